"""The week: activities (their rules are in services/slots.py; templates and copies in
services/week_templates.py; placeholders in services/placeholders.py).

A slot refused for a conflict with an activity typed in the same week can make room for
itself: the other is deleted, or moved to start when this one ends (`MakeRoom`), in the same
transaction as the save, or nothing changes."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import cache as kenshu_cache
from .. import date_range
from ..formats import time_range
from ..models import Activity, Program, User
from ..plain_text import check_plain_text
from .activity_log import record_activity
from .slots import (  # noqa: F401 -- the names callers use, as programs.services.week
    ActivityRefused,
    Slot,
    check_owner,
    check_slot,
    describe,
    describe_clash,
    overlaps,
    pushed_times,
)

REPLACE, PUSH = "replace", "push"


@dataclass(frozen=True)
class MakeRoom:
    """Room a slot makes for itself: REPLACE deletes the activity `activity_pk`, PUSH moves
    it to start when the slot ends (same day, same length). The pk comes from a form: the
    service checks it names a live activity typed in this program's week, in the way."""

    how: str
    activity_pk: int


def lock_program(program: Program) -> None:
    """Serialise the week's writers (activities, enrolments, templates) of one program."""
    Program.objects.select_for_update().filter(pk=program.pk).exists()


def save_activity(
    program: Program,
    slot: Slot,
    *,
    by: User,
    activity: Activity | None = None,
    ip: str | None = None,
    origin: tuple[str, str] = ("", ""),
    make_room: MakeRoom | None = None,
) -> Activity:
    """Create an activity, or change one (a move is a change of date or time). Moving an
    activity onto its own old time is not a conflict. Bumps SEQUENCE for calendar apps.
    `origin` (record, part) marks an activity derived from another app's record; only that
    record's service may change it afterwards. `make_room` deletes or moves the activity in
    the way first, in the same transaction: still refused, nothing changes."""
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
        own_pk = activity.pk if activity else None
        if make_room is not None:
            _make_room(program, slot, make_room, own_pk=own_pk, by=by, ip=ip)
        check_slot(program, slot, exclude_pk=own_pk, actor=by)
        return _write(program, slot, activity, origin=origin, by=by, ip=ip)


# What a slot sets on its activity (participants are set apart, after the save).
SLOT_FIELDS = (
    "date",
    "start_time",
    "end_time",
    "title",
    "kind",
    "place",
    "facilitator",
    "for_all",
    "notes",
    "placeholder",
)


def _write(program, slot: Slot, activity, *, origin=("", ""), by: User, ip) -> Activity:
    creating = activity is None
    if creating:
        activity = Activity(program=program, origin=origin[0], origin_part=origin[1])
    else:
        activity.sequence = F("sequence") + 1
    for field in SLOT_FIELDS:
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
    if not slot.placeholder:
        from .placeholders import fill_placeholders

        fill_placeholders(program, activity, by=by, ip=ip)
    return activity


def in_the_way(
    program: Program, slot: Slot, room: MakeRoom, *, own_pk: int | None, actor: User
) -> Activity:
    """The activity `room` names, once checked: live, of this program, typed in its week (not
    a trip's or a seminar's), and in the way of `slot`. Refused otherwise."""
    others = Activity.objects.live().select_for_update(of=("self",)).filter(program=program)
    if own_pk:
        others = others.exclude(pk=own_pk)
    other = others.filter(pk=room.activity_pk).first()
    if other is None or room.how not in (REPLACE, PUSH):
        raise ActivityRefused(_("That activity is not in this week any more: nothing was changed."))
    check_owner(other, "")  # a trip's or a seminar's slot: changed on its own page
    try:
        check_slot(program, slot, exclude_pk=own_pk, actor=actor, among=other.pk)
    except ActivityRefused as refused:
        if refused.clash is None:
            raise  # refused for another reason (the date, the times)
        return other
    raise ActivityRefused(
        _("“%(title)s” is not in the way of this activity: nothing was changed.")
        % {"title": other.title}
    )


def _make_room(program, slot: Slot, room: MakeRoom, *, own_pk, by: User, ip) -> None:
    other = in_the_way(program, slot, room, own_pk=own_pk, actor=by)
    if room.how == REPLACE:
        cancel_activity(other, by=by, ip=ip)
        return
    times = pushed_times(other, slot.end_time)
    if times is None:
        raise ActivityRefused(
            _("Moved after this one, “%(title)s” would run past midnight: nothing was changed.")
            % {"title": other.title}
        )
    moved = Slot(
        date=other.date,
        start_time=times[0],
        end_time=times[1],
        title=other.title,
        kind=other.kind,
        place=other.place,
        facilitator=other.facilitator,
        for_all=other.for_all,
        participants=list(other.participants.all()),
        notes=other.notes,
    )
    try:  # this activity's old time is free: it moves too
        check_slot(program, moved, exclude_pk=other.pk, also_exclude=own_pk, actor=by)
    except ActivityRefused as refused:
        raise ActivityRefused(
            _("“%(title)s” cannot move to %(times)s: %(reason)s")
            % {"title": other.title, "times": time_range(*times), "reason": refused.message},
            field="start_time",
            clash=refused.clash,
        ) from refused
    _write(program, moved, other, by=by, ip=ip)


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
    values |= {
        "for_all": activity.for_all,
        "notes": activity.notes,
        "placeholder": activity.placeholder,
    }
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
                    },
                    clash=other,
                )
