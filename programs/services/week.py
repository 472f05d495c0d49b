"""The week: activities with their rules (templates and copies: services/week_templates.py).

Conflicts are refused with a message naming both slots: a trainee in two overlapping
activities (across every program they are enrolled in), a facilitator in two places at once
(across programs). The checks run under row locks on the people involved, so two coordinators
saving at the same moment cannot both slip through."""

from dataclasses import dataclass
from datetime import date, time

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import cache as kenshu_cache
from .. import date_range
from ..formats import show
from ..models import Activity, Enrollment, Program, Status, User
from ..plain_text import check_plain_text
from .activity_log import record_activity
from .programs import ProgramRefused


class ActivityRefused(ProgramRefused):
    pass


@dataclass
class Slot:
    """What an activity will be; checked before anything is written."""

    date: date
    start_time: time
    end_time: time
    title: str
    kind: str
    place: str = ""
    facilitator: User | None = None
    for_all: bool = True
    participants: list[Enrollment] | None = None
    notes: str = ""


def describe(activity: Activity | Slot, *, with_program: bool = False) -> str:
    """ "“Title” (12/01 09:00–10:00)", for an activity or a slot not saved yet."""
    text = _("“%(title)s” (%(date)s %(start)s–%(end)s)") % {
        "title": activity.title,
        "date": show(activity.date, "short"),
        "start": activity.start_time.strftime("%H:%M"),
        "end": activity.end_time.strftime("%H:%M"),
    }
    if with_program:
        text += " " + _("in %(program)s") % {"program": activity.program.title}
    return text


def describe_clash(clash: Activity, program: Program, actor: User | None) -> str:
    """The other slot of a conflict. Another host's program stays private: only its time."""
    if clash.program_id == program.pk:
        return describe(clash)
    if actor is not None and clash.program.host_id in _host_ids(actor):
        return describe(clash, with_program=True)
    return _("an activity of another program (%(date)s %(start)s–%(end)s)") % {
        "date": show(clash.date, "short"),
        "start": clash.start_time.strftime("%H:%M"),
        "end": clash.end_time.strftime("%H:%M"),
    }


def _host_ids(actor: User) -> set[int]:
    from ..access import host_ids_of

    return host_ids_of(actor)


def lock_program(program: Program) -> None:
    """Serialise the week's writers (activities, enrolments, templates) of one program."""
    Program.objects.select_for_update().filter(pk=program.pk).exists()


def _participant_enrollments(program: Program, slot: Slot) -> list[Enrollment]:
    if slot.for_all:
        return list(program.enrollments.active().select_related("trainee"))
    return [e for e in (slot.participants or []) if e.withdrawn_at is None]


def _overlapping(slot: Slot, exclude_pk: int | None):
    qs = Activity.objects.live().filter(
        date=slot.date, start_time__lt=slot.end_time, end_time__gt=slot.start_time
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.select_related("program")


def check_slot(
    program: Program, slot: Slot, *, exclude_pk: int | None = None, actor: User | None = None
) -> None:
    """Raise ActivityRefused when the slot breaks a rule of the week."""
    _check_dates(program, slot)
    enrollments = _participant_enrollments(program, slot)
    trainee_ids = [e.trainee_id for e in enrollments]
    if slot.facilitator is not None:
        User.objects.select_for_update().filter(pk=slot.facilitator.pk).exists()
    if trainee_ids:
        list(User.objects.select_for_update().filter(pk__in=trainee_ids).order_by("pk"))
    overlapping = _overlapping(slot, exclude_pk)
    if slot.for_all:
        # Within one program, two slots for everyone never overlap, enrolled or not yet.
        clash = overlapping.filter(program=program, for_all=True).first()
        if clash is not None:
            raise ActivityRefused(
                _("All trainees would be in two places at once: %(new)s and %(other)s.")
                % {"new": describe(slot), "other": describe(clash)},
                field="start_time",
            )
    if trainee_ids:
        _check_trainees_free(program, slot, overlapping, trainee_ids, actor)
    if slot.facilitator is not None:
        clash = overlapping.filter(facilitator=slot.facilitator).first()
        if clash is not None:
            raise ActivityRefused(
                _("The facilitator %(person)s is already booked: %(new)s and %(other)s.")
                % {
                    "person": slot.facilitator,
                    "new": describe(slot),
                    "other": describe_clash(clash, program, actor),
                },
                field="facilitator",
            )


def _check_dates(program: Program, slot: Slot) -> None:
    """A program still changing; a start before the end; a day of the program."""
    if program.status == Status.REPORTED:
        raise ActivityRefused(_("The program has been reported: its week no longer changes."))
    if slot.end_time <= slot.start_time:
        raise ActivityRefused(_("The end time must be after the start time."), field="end_time")
    date_range.check_in_range(slot.date, refuse=ActivityRefused, field="date")
    if not program.start_date <= slot.date <= program.end_date:
        raise ActivityRefused(
            _("%(date)s is outside the program (%(start)s–%(end)s).")
            % {"date": slot.date, "start": program.start_date, "end": program.end_date},
            field="date",
        )


def _check_trainees_free(
    program: Program, slot: Slot, overlapping, trainee_ids: list[int], actor: User | None
) -> None:
    """None of the slot's trainees in another activity then, in any of their programs."""
    clash = (
        overlapping.filter(
            Q(
                for_all=True,
                program__enrollments__trainee__in=trainee_ids,
                program__enrollments__withdrawn_at__isnull=True,
            )
            | Q(participants__trainee__in=trainee_ids, participants__withdrawn_at__isnull=True)
        )
        .distinct()
        .first()
    )
    if clash is not None:
        person = _who_clashes(clash, trainee_ids)
        raise ActivityRefused(
            _("%(person)s would be in two places at once: %(new)s and %(other)s.")
            % {
                "person": person,
                "new": describe(slot),
                "other": describe_clash(clash, program, actor),
            },
            field="start_time",
        )


def _who_clashes(clash: Activity, trainee_ids: list[int]) -> User:
    if clash.for_all:
        enrollment = clash.program.enrollments.active().filter(trainee__in=trainee_ids).first()
    else:
        enrollment = clash.participants.filter(trainee__in=trainee_ids).first()
    return enrollment.trainee


def check_owner(activity: Activity, origin: str) -> None:
    """A derived activity changes only through the record it comes from."""
    if activity.origin != origin:
        from ..registry import origin_of

        label = (origin_of(activity) or (_("another record"), ""))[0]
        raise ActivityRefused(
            _("“%(title)s” comes from %(origin)s: change it there.")
            % {"title": activity.title, "origin": label}
        )


def save_activity(
    program: Program,
    slot: Slot,
    *,
    by: User,
    activity: Activity | None = None,
    ip: str | None = None,
    origin: tuple[str, str] = ("", ""),
) -> Activity:
    """Create an activity, or change one (a move is a change of date or time). Moving an
    activity onto its own old time is not a conflict. Bumps SEQUENCE for calendar apps.
    `origin` (record, part) marks an activity derived from another app's record; only that
    record's service may change it afterwards."""
    # The text typed or changed (a move keeps the activity's own text as it was).
    check_plain_text(
        {
            name: getattr(slot, name)
            for name in ("title", "place", "notes")
            if activity is None or getattr(slot, name) != getattr(activity, name)
        },
        multiline=("notes",),
        refuse=ActivityRefused,
    )
    with transaction.atomic():
        lock_program(program)
        if activity is not None:
            check_owner(activity, origin[0])
        check_slot(program, slot, exclude_pk=activity.pk if activity else None, actor=by)
        creating = activity is None
        if creating:
            activity = Activity(program=program, origin=origin[0], origin_part=origin[1])
        else:
            activity.sequence = F("sequence") + 1
        for field in (
            "date",
            "start_time",
            "end_time",
            "title",
            "kind",
            "place",
            "facilitator",
            "for_all",
            "notes",
        ):
            setattr(activity, field, getattr(slot, field))
        activity.save()
        activity.refresh_from_db(fields=["sequence"])
        activity.participants.set([] if slot.for_all else (slot.participants or []))
        record_activity(
            by,
            "activity.created" if creating else "activity.changed",
            activity,
            host_company=program.host,
            ip=ip,
        )
    return activity


def cancel_activity(
    activity: Activity, *, by: User, ip: str | None = None, origin: str = ""
) -> None:
    """Remove an activity from the week. The row stays as cancelled so that subscribed
    calendars receive the cancellation."""
    check_owner(activity, origin)
    updated = Activity.objects.filter(pk=activity.pk, cancelled_at__isnull=True).update(
        cancelled_at=timezone.now(), sequence=F("sequence") + 1, updated_at=timezone.now()
    )
    if updated:
        kenshu_cache.bump_program(activity.program_id, "week")  # update() sends no signal
        record_activity(
            by, "activity.cancelled", activity, host_company=activity.program.host, ip=ip
        )


def slot_of(activity: Activity, **changes) -> Slot:
    """The slot an activity holds, with `changes` (date, start_time, end_time) applied."""
    values = {
        name: getattr(activity, name)
        for name in ("date", "start_time", "end_time", "title", "kind", "place", "facilitator")
    }
    values |= {"for_all": activity.for_all, "notes": activity.notes}
    values["participants"] = list(activity.participants.all())
    return Slot(**(values | changes))


def restore_activity(activity: Activity, *, by: User, ip: str | None = None) -> Activity:
    """Put a deleted activity back in the week (元に戻す), as it was, if its time is still free:
    every rule of a new slot applies. Bumps SEQUENCE so calendars receive it again."""
    program = activity.program
    with transaction.atomic():
        lock_program(program)
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.cancelled_at is None:
            raise ActivityRefused(
                _("“%(title)s” is already in the week.") % {"title": activity.title}
            )
        check_owner(activity, "")  # a trip's leg or a seminar comes back through its record
        check_slot(program, slot_of(activity), exclude_pk=activity.pk, actor=by)
        Activity.objects.filter(pk=activity.pk).update(
            cancelled_at=None, sequence=F("sequence") + 1, updated_at=timezone.now()
        )
        kenshu_cache.bump_program(program.pk, "week")  # update() sends no signal
        record_activity(by, "activity.restored", activity, host_company=program.host, ip=ip)
    activity.refresh_from_db()
    return activity


def week_range(day: date) -> tuple[date, date]:
    """Monday to Sunday of `day`'s week (held at date.min / date.max at the calendar's ends)."""
    monday = date_range.add_days(day, -day.weekday())
    return monday, date_range.add_days(monday, 6)


def check_trainee_free(program: Program, trainee: User, actor: User | None = None) -> None:
    """Refuse an enrolment that would put the trainee in two places at once: this program's
    activities for everyone (and those the trainee was named in before a withdrawal) against
    the activities they take part in elsewhere."""
    mine = (
        Activity.objects.live()
        .filter(program=program)
        .filter(Q(for_all=True) | Q(participants__trainee=trainee))
        .distinct()
    )
    elsewhere = (
        Activity.objects.live()
        .exclude(program=program)
        .filter(
            Q(
                for_all=True,
                program__enrollments__trainee=trainee,
                program__enrollments__withdrawn_at__isnull=True,
            )
            | Q(participants__trainee=trainee, participants__withdrawn_at__isnull=True)
        )
        .select_related("program")
        .distinct()
    )
    dates = set(mine.values_list("date", flat=True))
    by_date: dict[date, list[Activity]] = {}
    for other in elsewhere.filter(date__in=dates):
        by_date.setdefault(other.date, []).append(other)
    for activity in mine.filter(date__in=by_date.keys()):
        for other in by_date[activity.date]:
            if other.start_time < activity.end_time and other.end_time > activity.start_time:
                raise ActivityRefused(
                    _("%(person)s would be in two places at once: %(new)s and %(other)s.")
                    % {
                        "person": trainee,
                        "new": describe(activity),
                        "other": describe_clash(other, program, actor),
                    }
                )
