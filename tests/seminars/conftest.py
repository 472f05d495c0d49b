"""A program (Monday 2026-11-30 to Friday 12-04) with two trainees of 田川市 and a trip on
Tuesday–Wednesday with both of them and the staff member; another host's program elsewhere.

`leg(trip, "12-01 07:00", "12-01 08:40")` and `plan(...)` build what the services take;
`save_trip_again(...)` edits a trip and `submit_report(...)` files a trainee's 復命書."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from seminars.services import legs as leg_services
from seminars.services import seminars as seminar_services
from seminars.services import trip_reports as report_services
from seminars.services import trips as trip_services

from ..factories import enrol, trainee_of


def at(text: str) -> datetime:
    """ "12-01 07:00" → an aware datetime in 2026, Tokyo time."""
    day, clock = text.split()
    month, dom = day.split("-")
    return timezone.make_aware(
        datetime.combine(date(2026, int(month), int(dom)), time.fromisoformat(clock))
    )


def plan(program, enrollments, staff=(), **changes) -> trip_services.TripPlan:
    values = {
        "purpose": "地域ワーカー向け説明会の開催",
        "start_date": date(2026, 12, 1),
        "end_date": date(2026, 12, 2),
        "trainees": list(enrollments),
        "staff": list(staff),
        "lodging": "伊那市内のホテル",
        "places": "東京（乗継）",
    }
    values.update(changes)
    return trip_services.TripPlan(**values)


def save_trip_again(trip, trainees, staff=(), *, by, **changes):
    """Save an existing `trip` with these people and `changes` (dates, status, …)."""
    return trip_services.save_trip(
        trip.program, plan(trip.program, trainees, staff, **changes), by=by, trip=trip
    )


def submit_report(trip, enrollment):
    """The trainee submits their 復命書 of `trip`, with a short text."""
    report = report_services.report_for(trip, enrollment)
    report_services.submit(
        report,
        report_services.ReportText(content="内容", impressions="所感"),
        by=enrollment.trainee,
    )
    return report


def leg_plan(depart: str, arrive: str, **changes) -> leg_services.LegPlan:
    values = {
        "mode": "flight",
        "origin_place": "福岡空港",
        "destination": "羽田空港",
        "depart_at": at(depart),
        "arrive_at": at(arrive),
        "service": "JAL 304",
        "fare": 38000,
    }
    values.update(changes)
    return leg_services.LegPlan(**values)


def seminar_plan(day="12-01", start="13:30", end="15:00", **changes):
    month, dom = day.split("-")
    values = {
        "kind": "worker_briefing",
        "title": "初心者ワーカー向け説明会",
        "date": date(2026, int(month), int(dom)),
        "start_time": time.fromisoformat(start),
        "end_time": time.fromisoformat(end),
        "venue": "箕輪町地域交流センター",
        "partner": "地域のワーカーチーム",
        "expected_attendance": 20,
    }
    values.update(changes)
    return seminar_services.SeminarPlan(**values)


@pytest.fixture
def enrollment(program, trainee):
    return enrol(program, trainee)


@pytest.fixture
def second_trainee(tagawa):
    return trainee_of(tagawa, "trainee2@example.org")


@pytest.fixture
def second_enrollment(program, second_trainee):
    return enrol(program, second_trainee)


@pytest.fixture
def people(enrollment, second_enrollment, staff):
    """Who goes on the trip: both trainees and the staff member, as `plan` takes them."""
    return [enrollment, second_enrollment], [staff]


@pytest.fixture
def trip(program, people, coordinator):
    return trip_services.save_trip(program, plan(program, *people), by=coordinator)


@pytest.fixture
def first_leg(trip, coordinator):
    return leg_services.save_leg(trip, leg_plan("12-01 07:00", "12-01 08:40"), by=coordinator)


@pytest.fixture
def seminar(program, trip, coordinator, staff):
    return seminar_services.save_seminar(
        program, seminar_plan(lead=staff), trip=trip, by=coordinator
    )


@pytest.fixture
def elsewhere(other_program, other_trainee):
    """Another host's program in the same week, with its own trainee."""
    return enrol(other_program, other_trainee)
