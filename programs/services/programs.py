"""Programs and enrolments: creation, the status workflow, enrolment and withdrawal."""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import cache as kenshu_cache
from .. import date_range, registry
from ..models import Enrollment, Program, Role, Status, TraineeProfile, User
from ..models.programs import MAX_PROGRAM_DAYS
from ..plain_text import check_plain_text
from ..refusals import Refused
from .activity_log import record_activity


class ProgramRefused(Refused):
    """A change that the rules do not allow; `message` says why, `field` where."""


def check_dates(start: date, end: date) -> None:
    date_range.check_in_range(start, refuse=ProgramRefused, field="start_date")
    date_range.check_in_range(end, refuse=ProgramRefused, field="end_date")
    if end < start:
        raise ProgramRefused(_("The end date is before the start date."), field="end_date")
    if (end - start).days + 1 > MAX_PROGRAM_DAYS:
        raise ProgramRefused(
            _("A program lasts at most %(days)s days.") % {"days": MAX_PROGRAM_DAYS},
            field="end_date",
        )


def save_program(program: Program, *, by: User, ip: str | None = None) -> Program:
    """Create or update a program. Dates: 1–14 days, within 2000–2100 (date_range); on an
    existing program, every activity and every other app's dated record (a trip) must still
    lie inside the new dates (move them first)."""
    check_plain_text(
        {
            "title": program.title,
            "municipality_aims": program.municipality_aims,
            "host_aims": program.host_aims,
        },
        refuse=ProgramRefused,
    )
    check_dates(program.start_date, program.end_date)
    with transaction.atomic():
        creating = program.pk is None
        if not creating and Program.objects.filter(pk=program.pk, status=Status.REPORTED).exists():
            raise ProgramRefused(_("The program has been reported: it no longer changes."))
        if not creating:
            # Serialised with the week's and the trips' writers, which check these dates.
            from .week import lock_program

            lock_program(program)
            before = Program.objects.values_list("start_date", "end_date").get(pk=program.pk)
        if not creating and before != (program.start_date, program.end_date):
            outside = program.activities.on_the_grid().exclude(
                date__range=(program.start_date, program.end_date)
            )
            if outside.exists():
                first = outside.first()
                raise ProgramRefused(
                    _(
                        "%(count)s activities lie outside the new dates (first: %(slot)s). "
                        "Move or delete them first."
                    )
                    % {"count": outside.count(), "slot": first},
                    field="start_date",
                )
            problem = registry.date_problem(program)
            if problem:
                raise ProgramRefused(problem, field="start_date")
        if creating:
            program.created_by = by
        program.save()
        record_activity(
            by,
            "program.created" if creating else "program.changed",
            program,
            host_company=program.host,
            ip=ip,
        )
    return program


# Moves a coordinator may make, from the effective status.
TRANSITIONS = {
    "publish": ({Status.DRAFT}, Status.PUBLISHED),
    "unpublish": ({Status.PUBLISHED}, Status.DRAFT),
    "report": ({Status.COMPLETED}, Status.REPORTED),
}


def allowed_moves(program: Program, today: date) -> list[str]:
    current = program.effective_status_on(today)
    return [move for move, (sources, _target) in TRANSITIONS.items() if current in sources]


def move_program(
    program: Program, move: str, *, by: User, today: date, ip: str | None = None
) -> Program:
    """Apply a workflow move on `today` (the caller's day). Running and completed follow the
    dates and cannot be chosen; a program that has started cannot go back to draft."""
    if move not in TRANSITIONS:
        raise ProgramRefused(_("Unknown status change."))
    sources, target = TRANSITIONS[move]
    with transaction.atomic():
        locked = Program.objects.select_for_update().get(pk=program.pk)
        current = locked.effective_status_on(today)
        if current not in sources:
            raise ProgramRefused(
                _("A program that is %(status)s cannot be changed that way.")
                % {"status": Status(current).label}
            )
        locked.status = target
        locked.save(update_fields=["status", "updated_at"])
        record_activity(
            by,
            f"program.{move}",
            locked,
            host_company=locked.host,
            data={"from": current, "to": target},
            ip=ip,
        )
    program.status = target
    return program


@dataclass(frozen=True)
class Enrolled:
    enrollment: Enrollment
    created: bool


def _locked_enrollment(program: Program, trainee) -> Enrollment | None:
    """The trainee's enrolment in the program, if any, locked (only its own row)."""
    return (
        Enrollment.objects.select_for_update(of=("self",))
        .filter(program=program, trainee=trainee)
        .order_by()
        .first()
    )


def enroll(
    program: Program,
    trainee: User,
    *,
    by: User | None,
    mentor: User | None = None,
    ip: str | None = None,
) -> Enrolled:
    """Enrol a trainee, copying their municipality, department and position. Enrolling a
    withdrawn trainee again re-activates the same enrolment; enrolling twice is refused."""
    try:
        profile = TraineeProfile.objects.select_related("municipality").get(user=trainee)
    except TraineeProfile.DoesNotExist as exc:
        raise ProgramRefused(
            _("%(person)s is not registered as a trainee.") % {"person": trainee}
        ) from exc
    from .week import check_trainee_free, lock_program

    with transaction.atomic():
        lock_program(program)
        User.objects.select_for_update().filter(pk=trainee.pk).exists()
        check_trainee_free(program, trainee, actor=by)
        existing = _locked_enrollment(program, trainee)
        if existing and existing.withdrawn_at is None:
            raise ProgramRefused(
                _("%(person)s is already enrolled in this program.") % {"person": trainee}
            )
        if existing:
            existing.withdrawn_at = None
            existing.withdrawal_reason = ""
            existing.mentor = mentor or existing.mentor
            existing.save(update_fields=["withdrawn_at", "withdrawal_reason", "mentor"])
            enrollment, created = existing, False
        else:
            try:
                with transaction.atomic():
                    enrollment = Enrollment.objects.create(
                        program=program,
                        trainee=trainee,
                        mentor=mentor,
                        municipality=profile.municipality,
                        department=profile.department,
                        position=profile.position,
                    )
            except IntegrityError as exc:
                raise ProgramRefused(
                    _("%(person)s is already enrolled in this program.") % {"person": trainee}
                ) from exc
            created = True
        record_activity(
            by,
            "enrollment.created" if created else "enrollment.reactivated",
            enrollment,
            host_company=program.host,
            municipality=profile.municipality,
            ip=ip,
        )
    return Enrolled(enrollment, created)


def withdraw(enrollment: Enrollment, *, by: User, reason: str = "", ip: str | None = None) -> None:
    """Withdraw a trainee. The enrolment and everything written under it stay."""
    check_plain_text({"reason": reason}, refuse=ProgramRefused)
    updated = Enrollment.objects.filter(pk=enrollment.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawal_reason=reason[:200]
    )
    if not updated:
        raise ProgramRefused(_("This trainee was already withdrawn."))
    kenshu_cache.bump_program(enrollment.program_id, "week")  # update() sends no signal
    record_activity(
        by,
        "enrollment.withdrawn",
        enrollment,
        host_company=enrollment.program.host,
        municipality=enrollment.municipality,
        data={"reason": reason[:200]},
        ip=ip,
    )


def mentor_choices(program: Program):
    """The people who may be a trainee's mentor (メンター) in a program: its host's
    coordinators and staff."""
    return (
        User.objects.filter(
            memberships__host_company_id=program.host_id,
            memberships__role__in=[Role.COORDINATOR, Role.STAFF],
        )
        .distinct()
        .order_by("family_name_kana", "family_name", "email")
    )


def check_mentor(program: Program, mentor: User | None, *, field: str = "mentor") -> None:
    if mentor is not None and not mentor_choices(program).filter(pk=mentor.pk).exists():
        raise ProgramRefused(
            _("%(person)s does not work for the host company: choose one of its people.")
            % {"person": mentor},
            field=field,
        )


def enroll_many(
    program: Program,
    trainees: list[User],
    *,
    by: User,
    mentor: User | None = None,
    ip: str | None = None,
) -> list[Enrolled]:
    """Enrol several trainees at once, all with the same mentor (or none): all of them, or,
    when one is refused (two places at once, already enrolled…), none; the refusal names
    that person, next to the field "trainees"."""
    if not trainees:
        raise ProgramRefused(_("Tick at least one trainee to enrol."), field="trainees")
    check_mentor(program, mentor)
    with transaction.atomic():
        done = []
        for trainee in trainees:
            try:
                done.append(enroll(program, trainee, by=by, mentor=mentor, ip=ip))
            except Refused as refused:
                raise ProgramRefused(refused.message, field="trainees") from refused
    return done


def set_mentor(
    enrollment: Enrollment, mentor: User | None, *, by: User, ip: str | None = None
) -> Enrollment:
    """Choose (or clear, with None) the mentor of an enrolment, however the trainee was
    enrolled. The mentor is one of the host's people; a withdrawn trainee's row no longer
    changes."""
    program = enrollment.program
    check_mentor(program, mentor)
    with transaction.atomic():
        locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if locked.withdrawn_at is not None:
            raise ProgramRefused(
                _("%(person)s has withdrawn: their enrolment no longer changes.")
                % {"person": enrollment.trainee},
                code="state",
            )
        before = locked.mentor_id
        if before != (mentor.pk if mentor else None):
            locked.mentor = mentor
            locked.save(update_fields=["mentor"])
            record_activity(
                by,
                "enrollment.mentor_changed",
                locked,
                host_company=program.host,
                municipality=locked.municipality,
                data={"from": before, "to": locked.mentor_id},
                ip=ip,
            )
    enrollment.mentor = mentor
    return enrollment
