"""The itinerary: legs, each checked against the trip's dates, its other legs and the other
trips of the same people."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from programs.date_range import check_in_range
from programs.formats import show, time_range
from programs.plain_text import check_plain_text
from programs.services.activity_log import record_activity
from programs.services.week import MakeRoom

from ..models import FARE_KIND, Leg, Trip, TripStatus
from .common import TripRefused, local, refuse_unless_coordinator
from .travel_costs import sync_expenses
from .trips import sync_trip


@dataclass
class LegPlan:
    mode: str
    origin_place: str
    destination: str
    depart_at: datetime
    arrive_at: datetime
    service: str = ""
    fare: int = 0
    notes: str = ""


def _when(leg) -> str:
    return "{}→{} {} {}".format(
        leg.origin_place,
        leg.destination,
        show(leg.depart_at, "short"),
        time_range(leg.depart_at, leg.arrive_at),
    )


def check_leg(
    trip: Trip, plan: LegPlan, *, exclude_pk: int | None = None, field: str = "depart_at"
) -> None:
    """Raise TripRefused when the leg breaks a rule of the itinerary. `field` is where an
    overlap is said (the departure on the leg's form; the first day on the trip's)."""
    check_in_range(plan.depart_at, refuse=TripRefused, field="depart_at")
    check_in_range(plan.arrive_at, refuse=TripRefused, field="arrive_at")
    if plan.arrive_at <= plan.depart_at:
        raise TripRefused(_("The arrival must be after the departure."), field="arrive_at")
    if plan.fare < 0:
        raise TripRefused(_("A fare cannot be negative."), field="fare")
    if plan.fare and plan.mode not in FARE_KIND:
        raise TripRefused(_("A walk has no fare."), field="fare")
    if local(plan.depart_at).date() < trip.start_date:
        raise TripRefused(
            _("The trip starts on %(date)s: the leg cannot depart before it.")
            % {"date": trip.start_date},
            field="depart_at",
        )
    if local(plan.arrive_at).date() > trip.end_date:
        raise TripRefused(
            _("The trip ends on %(date)s: the leg cannot arrive after it.")
            % {"date": trip.end_date},
            field="arrive_at",
        )
    overlapping = Leg.objects.filter(depart_at__lt=plan.arrive_at, arrive_at__gt=plan.depart_at)
    if exclude_pk:
        overlapping = overlapping.exclude(pk=exclude_pk)
    own = overlapping.filter(trip=trip).first()
    if own is not None:
        raise TripRefused(
            _("The travellers would be on two legs at once: this one and %(other)s.")
            % {"other": _when(own)},
            field=field,
        )
    if trip.status == TripStatus.CANCELLED:
        return  # a cancelled trip takes nobody anywhere
    overlapping = overlapping.exclude(trip__status=TripStatus.CANCELLED)
    trainee_ids = list(trip.trainees.values_list("trainee", flat=True))
    staff_ids = list(trip.staff.values_list("pk", flat=True))
    people = trainee_ids + staff_ids
    other = (
        overlapping.exclude(trip=trip)
        .filter(Q(trip__trainees__trainee__in=people) | Q(trip__staff__in=people))
        .select_related("trip__program")
        .first()
    )
    if other is not None:
        shared = set(other.trip.trainees.values_list("trainee", flat=True)) | set(
            other.trip.staff.values_list("pk", flat=True)
        )
        person = next(p for p in (*trip.trainees.all(), *trip.staff.all()) if _uid(p) in shared)
        raise TripRefused(
            _("%(person)s would be on two legs at once: this one and %(other)s (another trip).")
            % {"person": getattr(person, "trainee", person), "other": _when(other)},
            field=field,
        )


def _uid(participant) -> int:
    return getattr(participant, "trainee_id", None) or participant.pk


def save_leg(
    trip: Trip, plan: LegPlan, *, by, leg: Leg | None = None, make_room: MakeRoom | None = None
) -> Leg:
    """Add or change a leg; its activity in the week and its fare lines follow. `make_room`
    deletes or moves the activity typed in the week that is in the way (sync_activities)."""
    refuse_unless_coordinator(by, trip.program)
    check_plain_text(
        {
            "origin_place": plan.origin_place,
            "destination": plan.destination,
            "service": plan.service,
            "notes": plan.notes,
        },
        refuse=TripRefused,
    )
    with transaction.atomic():
        trip = Trip.objects.select_for_update().select_related("program").get(pk=trip.pk)
        check_leg(trip, plan, exclude_pk=leg.pk if leg else None)
        creating = leg is None
        leg = leg or Leg(trip=trip)
        for name, value in vars(plan).items():
            setattr(leg, name, value)
        leg.save()
        sync_expenses(trip)
        sync_trip(trip, by=by, field="depart_at", make_room=make_room)
        record_activity(
            by,
            "trip.leg_added" if creating else "trip.leg_changed",
            trip,
            host_company=trip.program.host,
            data={"leg": str(leg)},
        )
    return leg


def delete_leg(leg: Leg, *, by) -> None:
    trip = leg.trip
    refuse_unless_coordinator(by, trip.program)
    with transaction.atomic():
        trip = Trip.objects.select_for_update().select_related("program").get(pk=trip.pk)
        leg.delete()
        sync_expenses(trip)
        sync_trip(trip, by=by)
        record_activity(
            by, "trip.leg_removed", trip, host_company=trip.program.host, data={"leg": str(leg)}
        )


class RowRefused(TripRefused):
    """A row of the itinerary table refused: `row` is its index; nothing was saved."""

    def __init__(self, row: int, refused: TripRefused):
        super().__init__(
            refused.message, refused.code, refused.errors, clash=getattr(refused, "clash", None)
        )
        self.row = row


def save_legs(
    trip: Trip,
    rows: list[tuple[Leg | None, LegPlan]],
    *,
    by,
    make_room: tuple[int, MakeRoom] | None = None,
) -> list[Leg]:
    """Save the itinerary table's rows in order, all of them or none: the first row refused
    (with its index) leaves every leg as it was. Each leg lands on the week as `save_leg`
    puts it there, taking the place of the move's placeholder. `make_room` (row index, room)
    makes room for that row's leg, as the clash's way out asked."""
    saved = []
    with transaction.atomic():
        for index, (leg, plan) in enumerate(rows):
            room = make_room[1] if make_room and make_room[0] == index else None
            try:
                saved.append(save_leg(trip, plan, by=by, leg=leg, make_room=room))
            except TripRefused as refused:
                raise RowRefused(index, refused) from refused
    return saved
