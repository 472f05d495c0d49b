"""A slot of the week and its rules, checked before anything is written: inside the program,
an end after the start, and no conflict. Conflicts are refused with a message naming both
slots, and the refusal keeps the other slot (`clash`) so that a page can link to it and, where
it is the person's own, offer to delete or move it (programs/services/week.py, make_room).
The checks run under row locks on the people involved, so two coordinators saving at the same
moment cannot both slip through."""

from dataclasses import dataclass
from datetime import date, time

from django.db.models import Q
from django.utils.translation import gettext as _

from .. import date_range
from ..formats import show
from ..models import Activity, Enrollment, Program, Status, User
from ..week_layout import shift
from .programs import ProgramRefused


class ActivityRefused(ProgramRefused):
    """`clash`: the other activity, when a conflict with it is the reason (None otherwise).
    It is the row itself: a page shows another host's one by its time only (describe_clash)."""

    def __init__(self, *args, clash: Activity | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.clash = clash


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
    placeholder: bool = False  # a 予定枠: takes nobody's time, so it never clashes


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


def _participant_enrollments(program: Program, slot: Slot) -> list[Enrollment]:
    if slot.for_all:
        return list(program.enrollments.active().select_related("trainee"))
    return [e for e in (slot.participants or []) if e.withdrawn_at is None]


def overlaps(a, b) -> bool:
    """Two slots (activities or not yet) share some time of one day; touching ends do not."""
    return a.date == b.date and a.start_time < b.end_time and a.end_time > b.start_time


def pushed_times(other: Activity, end: time) -> tuple[time, time] | None:
    """`other`'s times moved to start at `end`, keeping its length; None past midnight."""
    length = (other.end_time.hour * 60 + other.end_time.minute) - (
        other.start_time.hour * 60 + other.start_time.minute
    )
    day, new_end = shift(other.date, end, length)
    return (end, new_end) if day == other.date else None


def _overlapping(slot: Slot, exclude: list[int | None], among: int | None):
    qs = Activity.objects.live().filter(
        date=slot.date, start_time__lt=slot.end_time, end_time__gt=slot.start_time
    )
    qs = qs.exclude(pk__in=[pk for pk in exclude if pk])
    if among is not None:
        qs = qs.filter(pk=among)
    return qs.select_related("program")


def check_slot(
    program: Program,
    slot: Slot,
    *,
    exclude_pk: int | None = None,
    actor: User | None = None,
    also_exclude: int | None = None,
    among: int | None = None,
) -> None:
    """Raise ActivityRefused when the slot breaks a rule of the week. `exclude_pk` (the
    activity being changed) and `also_exclude` are not in the way; with `among`, only that
    activity is looked at for a conflict. Placeholders (予定枠) take nobody's time: they
    are checked for their dates only, and nothing clashes with them (`_overlapping` reads
    live activities)."""
    _check_dates(program, slot)
    if slot.placeholder:
        return
    enrollments = _participant_enrollments(program, slot)
    trainee_ids = [e.trainee_id for e in enrollments]
    if slot.facilitator is not None:
        User.objects.select_for_update().filter(pk=slot.facilitator.pk).exists()
    if trainee_ids:
        list(User.objects.select_for_update().filter(pk__in=trainee_ids).order_by("pk"))
    overlapping = _overlapping(slot, [exclude_pk, also_exclude], among)
    if slot.for_all:
        # Within one program, two slots for everyone never overlap, enrolled or not yet.
        clash = overlapping.filter(program=program, for_all=True).first()
        if clash is not None:
            raise ActivityRefused(
                _("All trainees would be in two places at once: %(new)s and %(other)s.")
                % {"new": describe(slot), "other": describe(clash)},
                field="start_time",
                clash=clash,
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
                clash=clash,
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
            clash=clash,
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
