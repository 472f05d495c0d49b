"""What every service of this app shares: the refusal, who may change what, and the sync of
the activities a trip or a seminar puts in the week."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from programs import access
from programs import cache as kenshu_cache
from programs.models import Activity, Membership, Program, Role, Status
from programs.models.organisations import HOST_ROLES
from programs.refusals import Refused
from programs.services.week import (
    ActivityRefused,
    MakeRoom,
    Slot,
    lock_program,
    overlaps,
    save_activity,
)


class TripRefused(Refused):
    """A change the rules do not allow; `message` says why, `field` where (or None), and
    `clash` the activity in the way when a conflict in the week is the reason."""

    def __init__(self, *args, clash: Activity | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.clash = clash


def refuse_unless_coordinator(user, program: Program) -> None:
    """Every change to a trip or a seminar: a coordinator of the host, and a program that
    has not been reported (its record is closed)."""
    if not access.can_edit_program(user, program):
        raise TripRefused(_("Only the host's coordinators change trips and seminars."))
    if program.status == Status.REPORTED:
        raise TripRefused(_("The program has been reported: its trips no longer change."))


def host_people(program: Program):
    """The host's coordinators and staff: who may travel with trainees or lead a seminar."""
    from programs.models import User

    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(host_company=program.host_id, role__in=HOST_ROLES).values(
            "user"
        ),
    ).order_by("family_name_kana", "email")


def is_coordinator_of(user, program: Program) -> bool:
    return Membership.objects.filter(
        user=user, host_company=program.host_id, role=Role.COORDINATOR
    ).exists()


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def day_pieces(start: datetime, end: datetime) -> list[tuple[date, time, time]]:
    """A span in local time cut at midnight (a night bus): one piece per calendar day. A
    piece that ends at midnight ends at 23:59, as the week's slots end within their day."""
    start, end = local(start), local(end)
    pieces = []
    day = start.date()
    while day <= end.date():
        first = start.time() if day == start.date() else time(0, 0)
        last = end.time() if day == end.date() else time(23, 59)
        if last > first:
            pieces.append((day, first.replace(second=0, microsecond=0), last.replace(second=0)))
        day += timedelta(days=1)
    return pieces


def _same(activity: Activity, slot: Slot, participant_ids: set[int]) -> bool:
    return (
        (activity.date, activity.start_time, activity.end_time)
        == (slot.date, slot.start_time, slot.end_time)
        and (activity.title, activity.kind, activity.place, activity.notes)
        == (slot.title, slot.kind, slot.place, slot.notes)
        and activity.facilitator_id == (slot.facilitator.pk if slot.facilitator else None)
        and participant_ids == {e.pk for e in slot.participants or []}
    )


def sync_activities(
    program: Program,
    desired: dict[str, dict[str, Slot]],
    *,
    by,
    field: str | None = None,
    make_room: MakeRoom | None = None,
) -> None:
    """Make the week's live activities of each origin exactly its slots (origin → part →
    slot), each checked like a slot typed in the week editor; the first clash refuses
    everything (the caller's transaction rolls back) and is said next to `field`. All the
    origins' slots are set aside first, so moving a trip with its seminars never clashes
    with their own old times; unchanged slots keep their sequence, so calendars see only
    what moved. `make_room` deletes or moves an activity typed in the week that is in the way
    of the slot it overlaps (save_activity)."""
    with transaction.atomic():
        lock_program(program)
        existing = {
            (a.origin, a.origin_part): a
            for a in Activity.objects.filter(
                program=program, origin__in=list(desired), cancelled_at__isnull=True
            ).prefetch_related("participants")
        }
        now = timezone.now()
        Activity.objects.filter(pk__in=[a.pk for a in existing.values()]).update(cancelled_at=now)
        wanted = [
            (origin, part, slot)
            for origin, slots in desired.items()
            for part, slot in slots.items()
        ]
        wanted.sort(key=lambda item: _order(item[2]))
        room_for = _room_for(program, wanted, make_room)
        try:
            for origin, part, slot in wanted:
                activity = existing.pop((origin, part), None)
                room = make_room if (origin, part) == room_for else None
                if activity is not None:
                    Activity.objects.filter(pk=activity.pk).update(cancelled_at=None)
                    same = _same(activity, slot, {e.pk for e in activity.participants.all()})
                    if same and room is None:
                        continue
                save_activity(
                    program, slot, by=by, activity=activity, origin=(origin, part), make_room=room
                )
        except ActivityRefused as refused:
            raise TripRefused(refused.message, field=field, clash=refused.clash) from refused
        # Whatever is left was removed from the record: it stays cancelled, and calendars
        # are told so by the higher sequence.
        Activity.objects.filter(pk__in=[a.pk for a in existing.values()]).update(
            sequence=F("sequence") + 1, updated_at=now
        )
        kenshu_cache.bump_program(program.pk, "week", program.host_id)


def _order(slot: Slot):
    return (slot.date, slot.start_time)


def _room_for(program: Program, wanted, make_room: MakeRoom | None) -> tuple[str, str] | None:
    """The (origin, part) whose slot makes room: the first that overlaps the activity named,
    else the first (whose save then says that activity is not in the way)."""
    if make_room is None or not wanted:
        return None
    other = Activity.objects.filter(program=program, pk=make_room.activity_pk).first()
    for origin, part, slot in wanted:
        if other is not None and overlaps(other, slot):
            return origin, part
    return wanted[0][0], wanted[0][1]
