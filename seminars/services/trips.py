"""Trips: planning one, moving it, its participants and status. Every change that touches
the week goes through `sync_trip`, inside the same transaction, so a clash refuses the whole
change and nothing is half-written."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from programs.date_range import check_in_range
from programs.models import ActivityKind, Enrollment, Municipality, Program, User
from programs.plain_text import check_plain_text
from programs.services.activity_log import record_activity
from programs.services.week import Slot, lock_program

from ..models import (
    Expense,
    Leg,
    Payer,
    Seminar,
    SeminarRole,
    Trip,
    TripReport,
    TripReportStatus,
    TripStatus,
)
from .common import (
    TripRefused,
    day_pieces,
    host_people,
    local,
    refuse_unless_coordinator,
    sync_activities,
)
from .travel_costs import sync_expenses


@dataclass
class TripPlan:
    purpose: str
    start_date: date
    end_date: date
    municipalities: list[Municipality] = field(default_factory=list)
    places: str = ""
    trainees: list[Enrollment] = field(default_factory=list)
    staff: list[User] = field(default_factory=list)
    lodging: str = ""
    status: str = TripStatus.PLANNED
    lodging_cost: int | None = None
    trainees_paid_by: str = Payer.MUNICIPALITY


def _check_plan(program: Program, plan: TripPlan, trip: Trip | None = None) -> None:
    check_plain_text(
        {"purpose": plan.purpose, "places": plan.places, "lodging": plan.lodging},
        multiline=("places", "lodging"),
        refuse=TripRefused,
    )
    check_in_range(plan.start_date, refuse=TripRefused, field="start_date")
    check_in_range(plan.end_date, refuse=TripRefused, field="end_date")
    if plan.end_date < plan.start_date:
        raise TripRefused(_("The last day is before the first day."), field="end_date")
    if not (program.start_date <= plan.start_date and plan.end_date <= program.end_date):
        raise TripRefused(
            _("The trip must lie within the program (%(start)s–%(end)s).")
            % {"start": program.start_date, "end": program.end_date},
            field="start_date",
        )
    already = set(trip.trainees.values_list("pk", flat=True)) if trip else set()
    for enrollment in plan.trainees:
        # Someone who withdrew after travelling stays on the trip (their costs and their
        # report are real); only a withdrawn trainee cannot be added.
        joining = enrollment.pk not in already
        if enrollment.program_id != program.pk or (joining and not enrollment.is_active):
            raise TripRefused(
                _("%(person)s is not a trainee of this program.") % {"person": enrollment.trainee},
                field="trainees",
            )
    allowed = set(host_people(program).values_list("pk", flat=True))
    for person in plan.staff:
        if person.pk not in allowed:
            raise TripRefused(
                _("%(person)s does not work for %(host)s.")
                % {"person": person, "host": program.host},
                field="staff",
            )
    if plan.lodging_cost is not None and plan.lodging_cost < 0:
        raise TripRefused(_("An amount cannot be negative."), field="lodging_cost")
    if plan.trainees_paid_by not in Payer.values:
        raise TripRefused(_("Choose who pays."), field="trainees_paid_by")
    if not plan.trainees and not plan.staff:
        raise TripRefused(_("Choose who goes on the trip."), field="trainees")


def save_trip(program: Program, plan: TripPlan, *, by, trip: Trip | None = None) -> Trip:
    """Create or change a trip. When both days move by the same number of days the trip
    moves: its legs and seminars shift with it, and so do their activities in the week;
    otherwise they stay and must fit the new dates. Someone taken off the trip leaves its
    seminars and its fares (their hand-typed expenses must be removed first). Everything
    must still fit the week and nobody may be on two legs at once, or nothing changes."""
    refuse_unless_coordinator(by, program)
    with transaction.atomic():
        # The program's dates as they are now, under the lock its date changes take too.
        lock_program(program)
        program.refresh_from_db(fields=["start_date", "end_date", "status"])
        creating = trip is None
        if creating:
            trip = Trip(program=program, created_by=by)
            shift = timedelta(0)
        else:
            trip = Trip.objects.select_for_update().get(pk=trip.pk)
            moved = plan.start_date - trip.start_date
            shift = moved if moved == plan.end_date - trip.end_date else timedelta(0)
        _check_plan(program, plan, None if creating else trip)
        fields = ("purpose", "start_date", "end_date", "places", "lodging", "status")
        for name in (*fields, "lodging_cost", "trainees_paid_by"):
            setattr(trip, name, getattr(plan, name))
        trip.save()
        if not creating:
            _leave(trip, plan)
        trip.municipalities.set(plan.municipalities)
        trip.trainees.set(plan.trainees)
        trip.staff.set(plan.staff)
        if shift:
            _shift(trip, shift)
        _check_contents_fit(trip)
        _check_legs_free(trip)
        sync_expenses(trip)
        sync_trip(trip, by=by, field="start_date")
        record_activity(
            by,
            "trip.created" if creating else "trip.changed",
            trip,
            host_company=program.host,
            data={"moved_days": shift.days} if shift else None,
        )
    return trip


def _leave(trip: Trip, plan: TripPlan) -> None:
    """Those taken off the trip: out of its seminars; refused while they have expenses
    typed by hand (computed lines follow the trip and go by themselves)."""
    gone_trainees = set(trip.trainees.values_list("pk", flat=True)) - {e.pk for e in plan.trainees}
    gone_staff = set(trip.staff.values_list("pk", flat=True)) - {u.pk for u in plan.staff}
    typed = (
        Expense.objects.filter(trip=trip, generated=False)
        .filter(Q(enrollment__in=gone_trainees) | Q(staff__in=gone_staff))
        .select_related("enrollment__trainee", "staff")
        .first()
    )
    filed = (
        TripReport.objects.filter(trip=trip, enrollment__in=gone_trainees)
        .exclude(status=TripReportStatus.DRAFT)
        .select_related("enrollment__trainee")
        .first()
    )
    if filed is not None:
        raise TripRefused(
            _("%(person)s has filed a trip report on this trip: they stay on it.")
            % {"person": filed.enrollment.trainee},
            field="trainees",
        )
    if typed is not None:
        person = typed.enrollment.trainee if typed.enrollment_id else typed.staff
        raise TripRefused(
            _("%(person)s has expenses typed by hand on this trip: remove them first.")
            % {"person": person},
            field="staff" if typed.staff_id else "trainees",
        )
    SeminarRole.objects.filter(seminar__trip=trip, enrollment__in=gone_trainees).delete()


def _check_legs_free(trip: Trip) -> None:
    """After a move or a change of people: every leg checked again against the people's
    legs on other trips (the host's staff are in no activity of the week)."""
    from .legs import LegPlan, check_leg

    for leg in trip.legs.all():
        plan = LegPlan(
            mode=leg.mode,
            origin_place=leg.origin_place,
            destination=leg.destination,
            depart_at=leg.depart_at,
            arrive_at=leg.arrive_at,
            fare=leg.fare,
        )
        check_leg(trip, plan, exclude_pk=leg.pk, field="start_date")


def _shift(trip: Trip, shift: timedelta) -> None:
    for leg in trip.legs.all():
        leg.depart_at += shift
        leg.arrive_at += shift
        leg.save(update_fields=["depart_at", "arrive_at"])
    for seminar in trip.seminars.all():
        seminar.date += shift
        seminar.save(update_fields=["date"])


def _check_contents_fit(trip: Trip) -> None:
    for leg in trip.legs.all():
        if local(leg.depart_at).date() < trip.start_date or local(leg.arrive_at).date() > (
            trip.end_date
        ):
            raise TripRefused(
                _("The leg %(leg)s would fall outside the trip's dates.") % {"leg": leg},
                field="end_date",
            )
    for seminar in trip.seminars.all():
        if not trip.start_date <= seminar.date <= trip.end_date:
            raise TripRefused(
                _("The seminar “%(title)s” would fall outside the trip's dates.")
                % {"title": seminar.title},
                field="end_date",
            )


def leg_title(leg: Leg) -> str:
    # Stored in the week as the activity's title, so in the one language of the records
    # (typed titles are Japanese too), not in the language of whoever saved the leg.
    title = f"移動：{leg.origin_place} → {leg.destination}"
    return f"{title}（{leg.service}）" if leg.service else title


def leg_slots(trip: Trip) -> dict[str, Slot]:
    trainees = list(trip.trainees.filter(withdrawn_at__isnull=True))
    slots = {}
    for leg in trip.legs.all():
        for index, (day, start, end) in enumerate(day_pieces(leg.depart_at, leg.arrive_at)):
            slots[f"leg:{leg.pk}:{index}"] = Slot(
                date=day,
                start_time=start,
                end_time=end,
                title=leg_title(leg),
                kind=ActivityKind.TRIP,
                place=leg.origin_place,
                for_all=False,
                participants=trainees,
                notes=trip.purpose,
            )
    return slots


def sync_trip(trip: Trip, *, by, field: str | None = None, make_room=None) -> None:
    """The week shows the trip's legs and its seminars, synced together (so moving both
    never clashes with their own old times); a cancelled trip shows nothing. `make_room`:
    as sync_activities takes it."""
    from .seminars import seminar_slots

    cancelled = trip.status == TripStatus.CANCELLED
    desired = {trip.origin: {} if cancelled else leg_slots(trip)}
    for seminar in trip.seminars.all():
        desired[seminar.origin] = {} if cancelled else seminar_slots(seminar)
    sync_activities(trip.program, desired, by=by, field=field, make_room=make_room)


def participants(trip: Trip) -> list[dict]:
    """Everyone on the trip, trainees first, as the pages and documents name them."""
    people = [
        {
            "key": f"e{e.pk}",
            "user": e.trainee,
            "enrollment": e,
            "name": e.trainee.display_name,
            "affiliation": " ".join(filter(None, [e.municipality.name, e.department])),
        }
        for e in trip.trainees.select_related("trainee", "municipality")
    ]
    people += [
        {
            "key": f"s{u.pk}",
            "user": u,
            "enrollment": None,
            "name": u.display_name,
            "affiliation": trip.program.host.name,
        }
        for u in trip.staff.all()
    ]
    return people


def seminars_of(trip: Trip):
    return Seminar.objects.filter(trip=trip).order_by("date", "start_time")
