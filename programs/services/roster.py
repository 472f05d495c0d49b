"""Bulk enrolment from a roster file: CSV (UTF-8, or Shift_JIS as Excel writes it) or .xlsx,
with the columns name, email, municipality code, department, position.

`read_roster` parses and classifies every row without writing anything; `apply_roster`
writes all rows or none, after checking them again."""

import logging
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Municipality, Program, User
from .programs import ProgramRefused
from .roster_files import (
    LINE_LIMIT,
    MAX_BYTES,
    MAX_ROWS,
    PROGRESS_EVERY,
    READ_SECONDS,
    UNREADABLE,
    records,
    too_long,
)
from .roster_rows import (
    COLUMNS,
    RosterPreview,
    RosterRefused,
    RosterRow,
    classify,
    read_header,
    split_name,
)

logger = logging.getLogger(__name__)


def read_roster(
    program: Program,
    data: bytes,
    filename: str,
    *,
    by: User,
    progress: Callable[[int], None] | None = None,
    seconds: float = READ_SECONDS,
) -> RosterPreview:
    """Parse and classify a roster. Writes nothing (but for what `progress` does with the
    number of lines read so far). Refuses, with a message for the person who uploaded it,
    a file past any of the limits of services/roster_files.py."""
    if len(data) > MAX_BYTES:
        raise RosterRefused(_("The file is larger than 5 MB."))
    deadline = time.monotonic() + seconds
    header = None
    rows: list[RosterRow] = []
    lines = records(data, filename, deadline=deadline, seconds=seconds)
    for count, (line, record) in enumerate(lines, start=1):
        if count % PROGRESS_EVERY == 0:
            if time.monotonic() > deadline:
                raise RosterRefused(too_long(seconds))
            if progress is not None:
                progress(line)
        blank = not any(cell.strip() for cell in record)
        if line > LINE_LIMIT:
            if blank:
                continue
            raise RosterRefused(
                _(
                    "Row %(line)s has content: a roster is read up to row %(limit)s "
                    "(at most %(max)s trainees). Delete the rows below the list, or split it."
                )
                % {"line": f"{line:,}", "limit": f"{LINE_LIMIT:,}", "max": f"{MAX_ROWS:,}"}
            )
        if blank:
            continue
        if header is None:
            header = read_header(record)
            continue
        if len(rows) >= MAX_ROWS:
            raise RosterRefused(_("A roster has at most %(max)s rows.") % {"max": f"{MAX_ROWS:,}"})
        values = dict.fromkeys(COLUMNS, "")
        extra = record[len(header) :]
        for name, cell in zip(header, record, strict=False):
            values[name] = cell.strip()
        row = RosterRow(line=line, **values)
        if any(cell.strip() for cell in extra):
            row.errors.append(_("More cells than columns."))
        rows.append(row)
    if header is None:
        raise RosterRefused(_("The file is empty."))
    if not rows:
        raise RosterRefused(_("The file has a header but no trainees."))
    classify(program, rows, by=by)
    return RosterPreview(rows)


def apply_roster(
    program: Program, preview: RosterPreview, *, by: User, ip: str | None = None
) -> dict:
    """Enrol the existing trainees and invite the new ones: every row or none. Rows are
    classified again first; anything that changed since the preview refuses the whole file."""
    from .trainee_entry import NamedTrainee, enrol_or_invite

    rows = [RosterRow(**{**asdict(r), "errors": [], "status": "invalid"}) for r in preview.rows]
    with transaction.atomic():
        classify(program, rows, by=by)
        if any(r.status == "invalid" for r in rows):
            raise RosterRefused(
                _(
                    "Some rows are no longer valid (the roster changed since the preview). "
                    "Upload the file again."
                )
            )
        municipalities = {
            m.code: m
            for m in Municipality.objects.filter(code__in={r.municipality_code for r in rows})
        }
        trainees = {
            u.email.lower(): u
            for u in User.objects.filter(
                email__in=[r.email for r in rows if r.status == "existing"]
            )
        }
        for row in rows:
            family, given = split_name(row.name)
            person = NamedTrainee(
                email=row.email,
                family_name=family,
                given_name=given,
                municipality=municipalities[row.municipality_code],
                department=row.department,
                position=row.position,
            )
            enrol_or_invite(program, person, by=by, registered=trainees.get(row.email), ip=ip)
    counts = {"existing": 0, "new": 0}
    for row in rows:
        counts[row.status] += 1
    return counts


PREVIEW_HOURS = 24  # an unconfirmed preview (names, addresses) is forgotten after this
READING_MINUTES = 5  # a file still "being read" after this: its reader stopped (killed)


def preview_expired(roster_import, *, now) -> bool:
    return roster_import.created_at < now - timedelta(hours=PREVIEW_HOURS)


def reading_stopped(roster_import, *, now) -> bool:
    """Still being read long after the upload: the worker reading it was stopped (out of
    memory, a restart) and the task is not delivered again (reject_on_worker_lost off)."""
    return roster_import.state == "reading" and roster_import.created_at < now - timedelta(
        minutes=READING_MINUTES
    )


def start_reading(program: Program, data: bytes, filename: str, *, by: User, ip: str | None = None):
    """Keep the uploaded file and let a worker read it: no web request parses a file, so no
    file, however it is made, holds a web thread. The page shows the reading's progress."""
    from ..models import RosterImport
    from ..tasks import read_roster_import
    from .activity_log import record_activity

    if len(data) > MAX_BYTES:
        raise RosterRefused(_("The file is larger than 5 MB."))
    roster_import = RosterImport.objects.create(
        program=program,
        requested_by=by,
        filename=filename[:255],
        upload=data,
        state=RosterImport.State.READING,
    )
    record_activity(
        by,
        "roster.uploaded",
        program,
        host_company=program.host,
        data={"bytes": len(data), "import": roster_import.pk},
        ip=ip,
    )
    read_roster_import.delay_on_commit(roster_import.pk)
    return roster_import


def run_roster_read(import_id: int, *, seconds: float = READ_SECONDS) -> None:
    """The worker's side of reading: parse and classify the kept file into a preview (or a
    refusal), then drop the file. Safe to run twice: only a file still being read is read."""
    from ..models import RosterImport

    roster_import = (
        RosterImport.objects.select_related("program", "requested_by")
        .filter(pk=import_id, state=RosterImport.State.READING)
        .first()
    )
    if roster_import is None or roster_import.upload is None:
        return

    def progress(lines: int) -> None:
        RosterImport.objects.filter(pk=import_id).update(lines_read=lines)

    try:
        preview = read_roster(
            roster_import.program,
            bytes(roster_import.upload),
            roster_import.filename,
            by=roster_import.requested_by,
            progress=progress,
            seconds=seconds,
        )
    except RosterRefused as refused:
        changes = {"state": RosterImport.State.REFUSED, "error": refused.message, "rows": []}
    except Exception:  # whatever else the file provokes, the page says it cannot be read
        logger.exception("Roster %s could not be read", import_id)
        changes = {"state": RosterImport.State.REFUSED, "error": str(UNREADABLE), "rows": []}
    else:
        changes = {"state": RosterImport.State.PREVIEW, "rows": preview.to_json()}
    RosterImport.objects.filter(pk=import_id, state=RosterImport.State.READING).update(
        upload=None, **changes
    )


def confirm_roster(roster_import, *, by: User, now, ip: str | None = None) -> None:
    """Queue a previewed roster for the worker to apply. Once only: a second click, another
    tab or another coordinator finds it queued already."""
    from ..models import RosterImport
    from ..tasks import apply_roster_import
    from .activity_log import record_activity

    if roster_import.state in (RosterImport.State.READING, RosterImport.State.REFUSED):
        raise RosterRefused(_("This file has no preview to confirm. Upload it again."))
    if roster_import.state != RosterImport.State.PREVIEW:
        raise RosterRefused(_("This roster has already been confirmed."))
    if preview_expired(roster_import, now=now):
        raise RosterRefused(_("The preview has expired. Upload the file again."))
    preview = RosterPreview.from_json(roster_import.rows)
    if not preview.can_apply:
        raise RosterRefused(_("Correct the invalid rows in the file and upload it again."))
    with transaction.atomic():
        claimed = RosterImport.objects.filter(
            pk=roster_import.pk, state=RosterImport.State.PREVIEW
        ).update(state=RosterImport.State.QUEUED, requested_by=by)
        if not claimed:
            raise RosterRefused(_("This roster has already been confirmed."))
        record_activity(
            by,
            "roster.queued",
            roster_import.program,
            host_company=roster_import.program.host,
            data={"rows": len(preview.rows), "import": roster_import.pk},
            ip=ip,
        )
        apply_roster_import.delay_on_commit(roster_import.pk)


def queue_roster(program: Program, preview: RosterPreview, *, by: User, ip: str | None = None):
    """Keep already-read rows and let a worker apply them (a roster may have 10,000 rows:
    no request waits for that). For callers holding a preview of their own (scripts, tests);
    the pages go through start_reading and confirm_roster."""
    from ..models import RosterImport
    from ..tasks import apply_roster_import
    from .activity_log import record_activity

    roster_import = RosterImport.objects.create(
        program=program, requested_by=by, rows=preview.to_json(), state=RosterImport.State.QUEUED
    )
    record_activity(
        by,
        "roster.queued",
        program,
        host_company=program.host,
        data={"rows": len(preview.rows), "import": roster_import.pk},
        ip=ip,
    )
    apply_roster_import.delay_on_commit(roster_import.pk)
    return roster_import


def forget_old_previews(*, now) -> int:
    """Drop previews nobody confirmed, and files a worker never read, after PREVIEW_HOURS:
    they hold names and addresses that were never used."""
    from ..models import RosterImport

    deleted, _by_model = RosterImport.objects.filter(
        state__in=[
            RosterImport.State.PREVIEW,
            RosterImport.State.READING,
            RosterImport.State.REFUSED,
        ],
        created_at__lt=now - timedelta(hours=PREVIEW_HOURS),
    ).delete()
    return deleted


def run_roster_import(import_id: int) -> None:
    """The worker's side: claim the import once, apply it, record the outcome on the row."""
    from django.utils import timezone

    from ..models import RosterImport

    claimed = RosterImport.objects.filter(pk=import_id, state=RosterImport.State.QUEUED).update(
        state=RosterImport.State.RUNNING
    )
    if not claimed:
        return
    roster_import = RosterImport.objects.select_related("program", "requested_by").get(pk=import_id)
    try:
        counts = apply_roster(
            roster_import.program,
            RosterPreview.from_json(roster_import.rows),
            by=roster_import.requested_by,
        )
    except ProgramRefused as refused:
        roster_import.state, roster_import.error = RosterImport.State.FAILED, refused.message
    except Exception:  # never left "being applied": nothing was written (all or none)
        logger.exception("Roster %s could not be applied", import_id)
        roster_import.state = RosterImport.State.FAILED
        roster_import.error = str(
            _(
                "The roster could not be applied. Upload the file again; if it happens "
                "again, ask the operators."
            )
        )
    else:
        roster_import.state = RosterImport.State.DONE
        roster_import.enrolled, roster_import.invited = counts["existing"], counts["new"]
    roster_import.finished_at = timezone.now()
    roster_import.save()
