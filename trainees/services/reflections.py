"""Daily reflections: which days need one, saving drafts (safely repeated), submitting (late
after the program's deadline, never blocked), the comment thread, review (which locks) and
the history kept when locked text changes."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs import calendar_days
from programs.date_range import in_range, out_of_range_message
from programs.formats import show
from programs.integers import int_param
from programs.models import Activity, Enrollment, Program
from programs.plain_text import plain_text_error
from programs.refusals import Refused
from programs.services.activity_log import record_activity

from ..models import (
    COMMENT_LIMIT,
    SECTION_LIMIT,
    SECTION_NAMES,
    DailyReflection,
    ReflectionComment,
    ReflectionRevision,
    ReflectionStatus,
    RevisionKind,
)


class ReflectionRefused(Refused):
    """`errors` holds a message per field when the input was at fault."""


def reflection_days(
    program: Program,
    activity_dates: set[date] | None = None,
    days_off: dict[date, str] | None = None,
) -> list[date]:
    """The days a reflection is written, the program's training days (programs.calendar_days):
    every working day of the program, and a Saturday, Sunday, national holiday or closed day
    of the host that has an activity. Callers over many programs pass `activity_dates`
    (activity_dates_by_program) and `days_off` (calendar_days.days_off_by_program)."""
    if activity_dates is None:
        activity_dates = set(
            Activity.objects.on_the_grid().filter(program=program).values_list("date", flat=True)
        )
    if days_off is None:
        days_off = calendar_days.days_off_of(program)
    return calendar_days.training_days(program.days, days_off, activity_dates)


def activity_dates_by_program(program_ids) -> dict[int, set[date]]:
    """The dates with a live activity, per program, in one query (for `reflection_days`)."""
    dates: dict[int, set[date]] = {}
    rows = (
        Activity.objects.on_the_grid()
        .filter(program__in=program_ids)
        .values_list("program_id", "date")
    )
    for program_id, day in rows:
        dates.setdefault(program_id, set()).add(day)
    return dates


def day_label(day: date) -> str:
    """A day as reflections and reminders name it: 11/30（月）."""
    return show(day, "day")


def local_moment(day: date, at: time) -> datetime:
    """A day and a clock time in the project's zone (Japan time), whatever the server's."""
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


def deadline_of(program: Program, day: date) -> datetime:
    """The moment a day's reflection becomes late: the program's deadline (default 23:59,
    Japan time) on that day."""
    return local_moment(day, program.reflection_deadline)


def check_writable_day(enrollment: Enrollment, day: date, today: date | None = None) -> None:
    """Refuse a day outside the program or the accepted dates (2000–2100), a day still to
    come, or a withdrawn trainee."""
    today = today or timezone.localdate()
    program = enrollment.program
    if not in_range(day):
        raise ReflectionRefused(out_of_range_message(), "not_a_day")
    if day not in reflection_days(program):
        raise ReflectionRefused(_("This day is not a day of the program."), "not_a_day")
    if day > today:
        raise ReflectionRefused(_("This day has not come yet."), "future")
    if not enrollment.is_active:
        raise ReflectionRefused(_("You have withdrawn from this program."), "withdrawn")


def clean_content(data: dict) -> tuple[dict, dict]:
    """The sections and the rating from a form's data, and any errors by field. Text is
    kept exactly as typed (surrounding blank lines aside); nothing is cut."""
    content, errors = {}, {}
    for name in SECTION_NAMES:
        raw = (data.get(name) or "").replace("\r\n", "\n")
        text = raw.strip()
        # Counted in the text as typed, so "character 5" is the fifth in the box.
        unusable = plain_text_error(raw, multiline=True)
        if unusable:
            errors[name] = unusable
        elif len(text) > SECTION_LIMIT:
            errors[name] = _(
                "At most %(limit)s characters (now %(count)s). Shorten it to save; your text "
                "is kept on this page."
            ) % {"limit": SECTION_LIMIT, "count": len(text)}
        content[name] = text
    rating = data.get("self_rating")
    if rating in (None, ""):
        content["self_rating"] = None
    else:
        # One of the five buttons' values; anything else ("٣", "1e5", 2**70) is refused.
        content["self_rating"] = int_param(rating, minimum=1, maximum=5)
        if content["self_rating"] is None:
            errors["self_rating"] = _("Choose a rating from 1 to 5.")
    return content, errors


@dataclass
class Saved:
    reflection: DailyReflection
    applied: bool  # False when nothing changed (a repeated save, a double submit)
    first_submission: bool = False


def _locked_row(enrollment: Enrollment, day: date) -> DailyReflection:
    """The day's reflection, locked for this transaction; created (empty) if missing."""
    row = (
        DailyReflection.objects.select_for_update(of=("self",))
        .filter(enrollment=enrollment, date=day)
        .order_by()
        .first()
    )
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return DailyReflection.objects.create(enrollment=enrollment, date=day)
    except IntegrityError:
        # Two first saves at once: the other one created it.
        return DailyReflection.objects.select_for_update().get(enrollment=enrollment, date=day)


def _keep_revision(row: DailyReflection, kind: str, by, reason: str = "") -> None:
    ReflectionRevision.objects.create(
        reflection=row,
        revision=row.revision,
        content=row.content(),
        status=row.status,
        kind=kind,
        reason=reason,
        changed_by=by,
    )


def save_draft(
    enrollment: Enrollment,
    day: date,
    data: dict,
    *,
    by,
    client_id: str = "",
    client_seq: int = 0,
    base_revision: int | None = None,
) -> Saved:
    """Save what the trainee has typed. A save the same browser already made (same client,
    same or lower counter: a retry, a late duplicate) changes nothing. A save based on an
    older revision from another device keeps the text it replaces in the history."""
    check_writable_day(enrollment, day)
    content, errors = clean_content(data)
    if errors:
        raise ReflectionRefused(_("Some fields need attention."), "invalid", errors)
    with transaction.atomic():
        row = _locked_row(enrollment, day)
        if row.is_locked:
            raise ReflectionRefused(
                _("This reflection has been reviewed and can no longer be changed."), "locked"
            )
        if row.is_repeat(client_id, client_seq):
            return Saved(row, applied=False)
        if row.content() == content:
            row.saved_by(client_id, client_seq, changed=False)
            row.save(update_fields=["client_id", "client_seq"])
            return Saved(row, applied=True)
        other_device = row.replaces_unseen(
            client_id, base_revision, any(row.content()[name] for name in SECTION_NAMES)
        )
        if row.status == ReflectionStatus.SUBMITTED and (
            other_device or row.revision == row.submitted_revision
        ):
            # Readers have seen the submitted text: keep it before the first change.
            _keep_revision(
                row,
                RevisionKind.REPLACED_AFTER_SUBMISSION
                if other_device
                else RevisionKind.CHANGED_AFTER_SUBMISSION,
                by,
            )
        elif other_device:
            _keep_revision(row, RevisionKind.DRAFT_REPLACED, by)
        for name, value in content.items():
            setattr(row, name, value)
        row.saved_by(client_id, client_seq, changed=True)
        row.save(update_fields=[*content, "revision", "client_id", "client_seq", "updated_at"])
    return Saved(row, applied=True)


def submit(
    enrollment: Enrollment,
    day: date,
    data: dict,
    *,
    by,
    now=None,
    client_id: str = "",
    client_seq: int = 0,
    base_revision: int | None = None,
) -> Saved:
    """Save and submit. After the deadline the reflection is marked late (not refused). A
    second submit of the same text (a double click) changes nothing; changed text submitted
    again is saved and stays submitted (its first submission time and lateness stay)."""
    now = now or timezone.now()
    content, errors = clean_content(data)
    if not content["did"]:
        errors.setdefault("did", _("Write at least what you did today before submitting."))
    if content["self_rating"] is None:
        errors.setdefault("self_rating", _("Choose a rating from 1 to 5 before submitting."))
    if errors:
        raise ReflectionRefused(_("Some fields need attention."), "invalid", errors)
    with transaction.atomic():
        before = (
            DailyReflection.objects.filter(enrollment=enrollment, date=day)
            .values_list("revision", flat=True)
            .first()
        )
        saved = save_draft(
            enrollment,
            day,
            data,
            by=by,
            client_id=client_id,
            client_seq=client_seq,
            base_revision=base_revision,
        )
        row = DailyReflection.objects.select_for_update().get(pk=saved.reflection.pk)
        first = row.status == ReflectionStatus.DRAFT
        if not first and row.revision == before:
            return Saved(row, applied=False)
        row.status = ReflectionStatus.SUBMITTED
        row.submitted_revision = row.revision
        if first:
            row.submitted_at = now
            row.late = now > deadline_of(enrollment.program, day)
        row.save(
            update_fields=["status", "submitted_at", "late", "submitted_revision", "updated_at"]
        )
        record_activity(
            by,
            "reflection.submitted" if first else "reflection.resubmitted",
            row,
            host_company=enrollment.program.host,
            municipality=enrollment.municipality,
            data={"date": day.isoformat(), "late": row.late},
        )
    return Saved(row, applied=True, first_submission=first)


def can_comment(user, reflection: DailyReflection) -> bool:
    """Coordinators of the host, the mentor, and the trainee (a reply) write in the thread."""
    from programs import access

    enrollment = reflection.enrollment
    if reflection.status == ReflectionStatus.DRAFT:
        return False
    if user.pk in (enrollment.trainee_id, enrollment.mentor_id):
        return True
    return access.can_edit_program(user, enrollment.program)


def add_comment(reflection: DailyReflection, body: str, *, by) -> ReflectionComment:
    body = (body or "").replace("\r\n", "\n")
    if message := plain_text_error(body, multiline=True):
        raise ReflectionRefused(message, "unusable_character", {"body": message})
    body = body.strip()
    if not body:
        message = _("Write a comment first.")
        raise ReflectionRefused(message, "empty", {"body": message})
    if len(body) > COMMENT_LIMIT:
        message = _("At most %(limit)s characters (now %(count)s).") % {
            "limit": COMMENT_LIMIT,
            "count": len(body),
        }
        raise ReflectionRefused(message, "too_long", {"body": message})
    if not can_comment(by, reflection):
        raise ReflectionRefused(_("You cannot comment on this reflection."), "forbidden")
    own = by.pk == reflection.enrollment.trainee_id
    return ReflectionComment.objects.create(
        reflection=reflection,
        author=by,
        body=body,
        read_by_trainee_at=timezone.now() if own else None,
    )


def mark_comments_read(reflection: DailyReflection, trainee) -> int:
    if trainee.pk != reflection.enrollment.trainee_id:
        return 0
    return reflection.comments.filter(read_by_trainee_at__isnull=True).update(
        read_by_trainee_at=timezone.now()
    )


def mark_reviewed(reflection: DailyReflection, *, by) -> DailyReflection:
    """The coordinator has read it: the reflection is locked."""
    from programs import access

    if not access.can_edit_program(by, reflection.enrollment.program):
        raise ReflectionRefused(
            _("Only a coordinator can mark a reflection reviewed."), "forbidden"
        )
    with transaction.atomic():
        row = DailyReflection.objects.select_for_update().get(pk=reflection.pk)
        if row.status == ReflectionStatus.DRAFT:
            raise ReflectionRefused(_("A draft cannot be reviewed."), "draft")
        if row.status == ReflectionStatus.REVIEWED:
            return row
        row.status = ReflectionStatus.REVIEWED
        row.reviewed_at = timezone.now()
        row.reviewed_by = by
        row.save(update_fields=["status", "reviewed_at", "reviewed_by", "updated_at"])
        record_activity(by, "reflection.reviewed", row, host_company=row.enrollment.program.host)
    return row


def change_by_operator(reflection: DailyReflection, previous: dict, *, by, reason: str) -> None:
    """An operator changed a reflection (in the admin, reviewed ones included): keep what
    it said before."""
    if reflection.content() == previous:
        return
    ReflectionRevision.objects.create(
        reflection=reflection,
        revision=reflection.revision,
        content=previous,
        status=reflection.status,
        kind=RevisionKind.OPERATOR,
        reason=reason,
        changed_by=by,
    )
    DailyReflection.objects.filter(pk=reflection.pk).update(revision=reflection.revision + 1)
