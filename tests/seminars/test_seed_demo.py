"""The demo's trips: 福岡 → 東京 → 長野 and back on days 2–3 of both programs, with legs,
fares, four seminars (箕輪町: briefing and user survey; 松本市: seminar and workshop at the
chamber of commerce's youth division), attendance and one submitted 復命書. The week's
placeholders are replaced by the trip's own activities. Re-running changes nothing; a run
on a later day moves the trip with the running program."""

from datetime import timedelta

import pytest
from django.utils import timezone

from programs.models import Activity, Program
from seminars.models import Expense, Leg, Seminar, Trip, TripReport

from ..factories import seed_demo_then_later, seed_demo_twice

pytestmark = pytest.mark.django_db

CURRENT = "ITベンチャー研修（田川市・デモ）"
PAST = "ITベンチャー研修（前回・田川市）"


def rows():
    return (
        sorted(Leg.objects.values_list("trip__program__title", "depart_at", "fare")),
        sorted(Seminar.objects.values_list("title", "date", "actual_attendance")),
        Expense.objects.count(),
        TripReport.objects.count(),
    )


def test_the_demo_trip(client):
    seed_demo_twice(rows)

    past = Trip.objects.get(program__title=PAST)
    current = Trip.objects.get(program__title=CURRENT)
    assert (past.status, current.status) == ("done", "confirmed")
    assert current.start_date == current.program.start_date + timedelta(days=1)
    legs = list(current.legs.values_list("origin_place", "destination"))
    assert legs[0] == ("福岡空港", "羽田空港") and legs[-1][1] == "福岡空港"
    assert {m.name for m in current.municipalities.all()} == {"箕輪町", "松本市"}
    kinds = set(current.seminars.values_list("kind", flat=True))
    assert kinds == {"worker_briefing", "site_visit", "business_seminar", "workshop"}
    assert current.seminars.get(kind="business_seminar").partner == "松本商工会議所青年部"
    assert all(s.actual_attendance for s in past.seminars.all())
    (report,) = TripReport.objects.exclude(status="draft")
    assert (report.trip, report.enrollment.trainee.email) == (past, "trainee1@example.com")
    assert report.header["purpose"] == past.purpose
    # The template's placeholders gave way: only the trip's own trip and seminar slots remain.
    for trip in (past, current):
        typed = Activity.objects.live().filter(
            program=trip.program,
            origin="",
            date__range=(trip.start_date, trip.end_date),
            kind__in=["trip", "seminar"],
        )
        assert not typed.exists()
        assert Activity.objects.live().filter(origin=trip.origin).count() == 7


def test_a_later_run_moves_the_trip_with_the_running_program(monkeypatch):
    seed_demo_then_later(monkeypatch)
    program = Program.objects.get(title=CURRENT)
    trip = Trip.objects.get(program=program)
    assert trip.start_date == program.start_date + timedelta(days=1)
    first_leg = trip.legs.first()
    assert timezone.localtime(first_leg.depart_at).date() == trip.start_date
    assert {s.date for s in trip.seminars.all()} == {trip.start_date, trip.end_date}
    assert {a.date for a in Activity.objects.live().filter(origin=trip.origin)} == {
        trip.start_date,
        trip.end_date,
    }
