"""The itinerary's rules: a leg arrives after it departs, lies within the trip's dates, and
nobody is on two legs at once (on this trip or another). Each leg's fare becomes a line of
every traveller's expenses."""

import pytest

from seminars.models import Expense
from seminars.services import legs as leg_services
from seminars.services import trips as trip_services
from seminars.services.common import TripRefused

from ..factories import ProgramFactory, enrol
from .conftest import at, leg_plan, plan

pytestmark = pytest.mark.django_db


def refused(trip, coordinator, depart, arrive, **changes) -> TripRefused:
    with pytest.raises(TripRefused) as info:
        leg_services.save_leg(trip, leg_plan(depart, arrive, **changes), by=coordinator)
    return info.value


def test_a_leg_arriving_before_it_departs_is_refused(trip, coordinator):
    error = refused(trip, coordinator, "12-01 09:00", "12-01 08:00")
    assert error.field == "arrive_at"
    assert not trip.legs.exists()


def test_a_leg_before_the_trip_is_refused(trip, coordinator):
    error = refused(trip, coordinator, "11-30 20:00", "11-30 21:40")
    assert (error.field, "2026-12-01" in error.message) == ("depart_at", True)


def test_a_leg_after_the_trip_is_refused(trip, coordinator):
    error = refused(trip, coordinator, "12-02 23:00", "12-03 06:00", mode="bus")
    assert (error.field, "2026-12-02" in error.message) == ("arrive_at", True)


def test_overlapping_legs_are_refused(trip, first_leg, coordinator):
    error = refused(trip, coordinator, "12-01 08:30", "12-01 09:10", mode="rail")
    assert error.field == "depart_at"
    assert "福岡空港→羽田空港" in error.message
    assert trip.legs.count() == 1


def test_a_leg_may_depart_when_the_previous_one_arrives(trip, first_leg, coordinator):
    leg_services.save_leg(
        trip,
        leg_plan("12-01 08:40", "12-01 09:20", mode="rail", origin_place="羽田空港", fare=520),
        by=coordinator,
    )
    assert [leg.origin_place for leg in trip.legs.all()] == ["福岡空港", "羽田空港"]


def test_changing_a_leg_onto_its_own_time_is_not_an_overlap(trip, first_leg, coordinator):
    leg_services.save_leg(
        trip, leg_plan("12-01 07:10", "12-01 08:50"), by=coordinator, leg=first_leg
    )
    first_leg.refresh_from_db()
    assert (first_leg.depart_at, first_leg.arrive_at) == (at("12-01 07:10"), at("12-01 08:50"))


def test_someone_on_two_trips_at_once_is_refused(
    trip, first_leg, coordinator, staff, program, host
):
    # The staff member also goes on another program's trip of the same host.
    other = ProgramFactory(host=host, title="別の研修")
    from ..factories import TraineeProfileFactory, UserFactory

    other_trainee = TraineeProfileFactory(user=UserFactory()).user
    other_trip = trip_services.save_trip(
        other, plan(other, [enrol(other, other_trainee)], [staff]), by=coordinator
    )
    error = refused(other_trip, coordinator, "12-01 08:00", "12-01 09:00", mode="car")
    assert str(staff) in error.message
    assert not other_trip.legs.exists()


def test_a_negative_fare_is_refused(trip, coordinator):
    error = refused(trip, coordinator, "12-01 07:00", "12-01 08:40", fare=-1)
    assert error.field == "fare"


def test_fares_become_expense_lines_for_every_traveller(
    trip, first_leg, enrollment, second_enrollment, staff
):
    lines = {
        (e.enrollment_id, e.staff_id): (e.kind, e.label, e.amount, e.payer)
        for e in Expense.objects.filter(leg=first_leg)
    }
    assert lines == {
        (enrollment.pk, None): ("fare_air", "交通費", 38000, "municipality"),
        (second_enrollment.pk, None): ("fare_air", "交通費", 38000, "municipality"),
        (None, staff.pk): ("fare_air", "交通費", 38000, "host"),
    }


def test_a_changed_fare_follows_and_keeps_its_line(trip, first_leg, enrollment, coordinator):
    line = Expense.objects.get(leg=first_leg, enrollment=enrollment)
    leg_services.save_leg(
        trip, leg_plan("12-01 07:00", "12-01 08:40", fare=41000), by=coordinator, leg=first_leg
    )
    line.refresh_from_db()
    assert (line.amount, line.payer, line.label) == (41000, "municipality", "交通費")


def test_a_walk_has_no_fare_line_and_a_removed_leg_takes_its_lines(trip, first_leg, coordinator):
    walk = leg_services.save_leg(
        trip,
        leg_plan("12-01 09:00", "12-01 09:15", mode="walk", fare=0, service=""),
        by=coordinator,
    )
    assert not Expense.objects.filter(leg=walk).exists()
    leg_services.delete_leg(first_leg, by=coordinator)
    assert not Expense.objects.filter(trip=trip, leg__isnull=False).exists()
    assert trip.legs.get() == walk
