"""Seminars: where and when (an activity of the week, derived), who takes which role, what
came of it, what follows, and the materials."""

import io
import logging
import os
import zipfile
from dataclasses import dataclass
from datetime import date, time

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.date_range import check_in_range
from programs.models import ActivityKind, Enrollment, Program, User
from programs.plain_text import check_plain_text
from programs.services.activity_log import record_activity
from programs.services.week import MakeRoom, Slot
from programs.stored_files import STORE_ERRORS

from ..models import (
    MATERIAL_MAX_BYTES,
    FollowUp,
    Material,
    Seminar,
    SeminarRole,
    Trip,
    TripStatus,
)
from .common import TripRefused, host_people, refuse_unless_coordinator, sync_activities

logger = logging.getLogger(__name__)

MAX_ATTENDANCE = 100_000


@dataclass
class SeminarPlan:
    kind: str
    title: str
    date: date
    start_time: time
    end_time: time
    venue: str = ""
    address: str = ""
    partner: str = ""
    lead: User | None = None
    expected_attendance: int = 0
    actual_attendance: int | None = None
    outcomes: str = ""


def _check(program: Program, trip: Trip | None, plan: SeminarPlan) -> None:
    check_plain_text(
        {
            "title": plan.title,
            "venue": plan.venue,
            "address": plan.address,
            "partner": plan.partner,
            "outcomes": plan.outcomes,
        },
        multiline=("outcomes",),
        refuse=TripRefused,
    )
    if plan.end_time <= plan.start_time:
        raise TripRefused(_("The end time must be after the start time."), field="end_time")
    check_in_range(plan.date, refuse=TripRefused, field="date")
    if trip is not None and not trip.start_date <= plan.date <= trip.end_date:
        raise TripRefused(
            _("The trip runs %(start)s–%(end)s: the seminar must be on one of its days.")
            % {"start": trip.start_date, "end": trip.end_date},
            field="date",
        )
    if not program.start_date <= plan.date <= program.end_date:
        raise TripRefused(
            _("%(date)s is outside the program (%(start)s–%(end)s).")
            % {"date": plan.date, "start": program.start_date, "end": program.end_date},
            field="date",
        )
    if plan.lead is not None and not host_people(program).filter(pk=plan.lead.pk).exists():
        raise TripRefused(
            _("%(person)s does not work for %(host)s.")
            % {"person": plan.lead, "host": program.host},
            field="lead",
        )
    for name in ("expected_attendance", "actual_attendance"):
        value = getattr(plan, name)
        if value is not None and value < 0:
            raise TripRefused(_("Attendance cannot be negative."), field=name)
        if value is not None and value > MAX_ATTENDANCE:
            raise TripRefused(
                _("At most %(limit)s people.") % {"limit": f"{MAX_ATTENDANCE:,}"}, field=name
            )


def save_seminar(
    program: Program,
    plan: SeminarPlan,
    *,
    by,
    trip: Trip | None = None,
    seminar=None,
    make_room: MakeRoom | None = None,
) -> Seminar:
    """Add or change a seminar and its activity in the week. A new seminar has the trip's
    trainees (a local one: the program's) as observers; roles are changed with `set_roles`.
    The trip and the seminar are locked and checked again inside the transaction, so a trip
    moved meanwhile is not undone by a form opened before the move. `make_room` deletes or
    moves the activity typed in the week that is in the way (sync_activities)."""
    refuse_unless_coordinator(by, program)
    with transaction.atomic():
        if seminar is not None:
            seminar = Seminar.objects.select_for_update().get(pk=seminar.pk)
            trip = seminar.trip
        if trip is not None:
            trip = Trip.objects.select_for_update().get(pk=trip.pk)
        _check(program, trip, plan)
        creating = seminar is None
        seminar = seminar or Seminar(program=program, trip=trip)
        for name, value in vars(plan).items():
            setattr(seminar, name, value)
        seminar.save()
        if creating:
            enrollments = (
                trip.trainees.filter(withdrawn_at__isnull=True)
                if trip
                else program.enrollments.active()
            )
            SeminarRole.objects.bulk_create(
                SeminarRole(seminar=seminar, enrollment=e) for e in enrollments
            )
        sync_seminar(seminar, by=by, make_room=make_room)
        record_activity(
            by,
            "seminar.created" if creating else "seminar.changed",
            seminar,
            host_company=program.host,
        )
    return seminar


def seminar_slots(seminar: Seminar) -> dict[str, Slot]:
    """The seminar's slot in the week, for the trainees who take part."""
    return {
        "": Slot(
            date=seminar.date,
            start_time=seminar.start_time,
            end_time=seminar.end_time,
            title=seminar.title,
            kind=ActivityKind.SEMINAR,
            place=seminar.venue,
            facilitator=seminar.lead,
            for_all=False,
            participants=[
                r.enrollment
                for r in seminar.roles.select_related("enrollment")
                if r.enrollment.withdrawn_at is None
            ],
            notes=seminar.partner,
        )
    }


def sync_seminar(seminar: Seminar, *, by, make_room: MakeRoom | None = None) -> None:
    cancelled = seminar.trip is not None and seminar.trip.status == TripStatus.CANCELLED
    desired = {} if cancelled else seminar_slots(seminar)
    sync_activities(
        seminar.program,
        {seminar.origin: desired},
        by=by,
        field="start_time",
        make_room=make_room,
    )


def delete_seminar(seminar: Seminar, *, by) -> None:
    refuse_unless_coordinator(by, seminar.program)
    files = [m.file.name for m in seminar.materials.all()]
    with transaction.atomic():
        sync_activities(seminar.program, {seminar.origin: {}}, by=by)
        record_activity(by, "seminar.deleted", seminar, host_company=seminar.program.host)
        seminar.delete()
        transaction.on_commit(lambda: _delete_files(files))


def _delete_files(names: list[str]) -> None:
    """After the rows are gone: a store that is away leaves an object nobody can reach (its
    name was random and only the row knew it), never a row without its file."""
    from django.core.files.storage import default_storage

    for name in names:
        try:
            default_storage.delete(name)
        except STORE_ERRORS:
            logger.warning("Could not delete %s from the store; it is left behind", name)


def set_roles(seminar: Seminar, roles: dict[int, str | None], *, by) -> None:
    """`roles`: enrolment id → role, or None for someone who does not take part. Only
    trainees of the seminar's program (of its trip, for a trip's seminar) may take part."""
    refuse_unless_coordinator(by, seminar.program)
    allowed = (
        seminar.trip.trainees.all() if seminar.trip_id else seminar.program.enrollments.active()
    )
    allowed_ids = set(allowed.values_list("pk", flat=True))
    valid = set(SeminarRole.Role.values)
    for enrollment_id, role in roles.items():
        if enrollment_id not in allowed_ids:
            raise TripRefused(_("Only trainees of this trip or program take part."))
        if role is not None and role not in valid:
            raise TripRefused(_("Choose a role."))
    with transaction.atomic():
        for enrollment_id, role in roles.items():
            if role is None:
                SeminarRole.objects.filter(seminar=seminar, enrollment_id=enrollment_id).delete()
            else:
                SeminarRole.objects.update_or_create(
                    seminar=seminar, enrollment_id=enrollment_id, defaults={"role": role}
                )
        sync_seminar(seminar, by=by)


# Follow-ups -------------------------------------------------------------------------------


def add_follow_up(seminar: Seminar, action: str, owner: User, due: date, *, by) -> FollowUp:
    refuse_unless_coordinator(by, seminar.program)
    check_plain_text({"action": action.strip()}, refuse=TripRefused)
    if not action.strip():
        raise TripRefused(_("Say what is to be done."), field="action")
    check_in_range(due, refuse=TripRefused, field="due_date")
    owners = set(host_people(seminar.program).values_list("pk", flat=True)) | set(
        Enrollment.objects.filter(program=seminar.program).values_list("trainee", flat=True)
    )
    if owner.pk not in owners:
        raise TripRefused(_("The owner must be on the host's staff or a trainee."), field="owner")
    return FollowUp.objects.create(
        seminar=seminar, action=action.strip(), owner=owner, due_date=due
    )


def set_follow_up_done(follow_up: FollowUp, done: bool, *, by) -> None:
    refuse_unless_coordinator(by, follow_up.seminar.program)
    follow_up.done_at = timezone.now() if done else None
    follow_up.save(update_fields=["done_at"])


# Materials ----------------------------------------------------------------------------------

# What each accepted kind looks like inside, whatever its name says.
KINDS = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def sniff(head: bytes, data) -> str | None:
    """The content type the bytes really are, among the accepted kinds; None otherwise."""
    if head.startswith(b"%PDF-"):
        return KINDS[".pdf"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return KINDS[".png"]
    if head.startswith(b"\xff\xd8\xff"):
        return KINDS[".jpg"]
    if head.startswith((b"GIF87a", b"GIF89a")):
        return KINDS[".gif"]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return KINDS[".webp"]
    if head.startswith(b"PK\x03\x04"):
        try:
            data.seek(0)
            with zipfile.ZipFile(data) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        if "[Content_Types].xml" in names and "ppt/presentation.xml" in names:
            return KINDS[".pptx"]
    return None


def add_material(seminar: Seminar, upload, *, by) -> Material:
    """Keep an uploaded file: at most MATERIAL_MAX_BYTES, a PDF, a PowerPoint (.pptx) or an
    image, recognised from its content, and named for what it is."""
    refuse_unless_coordinator(by, seminar.program)
    if upload.size > MATERIAL_MAX_BYTES:
        raise TripRefused(
            _("The file is %(size)s MB; at most %(limit)s MB.")
            % {
                "size": f"{upload.size / 1024 / 1024:.1f}",
                "limit": MATERIAL_MAX_BYTES // 1024 // 1024,
            },
            field="file",
        )
    name = _clean_name(upload.name or "")
    extension = os.path.splitext(name)[1].lower()
    if extension not in KINDS:
        raise TripRefused(
            _("Only PDF, PowerPoint (.pptx) and images (PNG, JPEG, GIF, WebP) are accepted."),
            field="file",
        )
    data = io.BytesIO(upload.read())
    actual = sniff(data.getvalue()[:16], data)
    if actual is None or actual != KINDS[extension]:
        raise TripRefused(
            _("“%(name)s” is not the %(kind)s file its name says.")
            % {"name": name, "kind": extension.lstrip(".").upper()},
            field="file",
        )
    material = Material(
        seminar=seminar,
        name=name,
        content_type=actual,
        extension=".jpg" if extension == ".jpeg" else extension,
        size=upload.size,
        uploaded_by=by,
    )
    try:
        material.file.save("upload", ContentFile(data.getvalue()), save=False)
    except STORE_ERRORS as exc:
        logger.warning("The store refused a material: %r", exc)
        raise TripRefused(
            _(
                "The file could not be stored: the file store is not answering. Nothing was "
                "added; try again in a minute."
            ),
            field="file",
        ) from exc
    try:
        material.save()
    except Exception:
        material.file.delete(save=False)  # no file without its row
        raise
    record_activity(
        by,
        "seminar.material_added",
        seminar,
        host_company=seminar.program.host,
        data={"name": name},
    )
    return material


def delete_material(material: Material, *, by) -> None:
    """The row goes now; the file once that is committed (a rolled-back delete keeps both)."""
    refuse_unless_coordinator(by, material.seminar.program)
    name = material.file.name
    with transaction.atomic():
        material.delete()
        transaction.on_commit(lambda: _delete_files([name]))


# Direction marks and other invisible controls let a name read as something it is not
# ("report‮fdp.exe" shows as "reportexe.pdf").
_INVISIBLE = {
    chr(c) for c in (*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A))
}


def _clean_name(raw: str) -> str:
    """The file's own name, without folders or invisible controls, at most 200 characters
    with its extension kept."""
    name = os.path.basename(raw.replace("\\", "/"))
    name = "".join(c for c in name if c not in _INVISIBLE and c.isprintable()).strip() or "file"
    stem, extension = os.path.splitext(name)
    return stem[: 200 - len(extension)] + extension


def plan_seminars(
    program: Program, plans: list[SeminarPlan], *, by, trip: Trip | None, make_room=None
) -> list[Seminar]:
    """The seminars of the trip's table, all of them or none (the first refused names its
    row through `RowRefused`); each takes the place of its placeholder in the week.
    `make_room` (row index, room): the clash's way out for that row."""
    from .legs import RowRefused

    saved = []
    with transaction.atomic():
        for index, plan in enumerate(plans):
            room = make_room[1] if make_room and make_room[0] == index else None
            try:
                saved.append(save_seminar(program, plan, by=by, trip=trip, make_room=room))
            except TripRefused as refused:
                raise RowRefused(index, refused) from refused
    return saved
