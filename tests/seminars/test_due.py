"""What a trainee's "today" shows for a trip: the itinerary from the day before it starts to
its last day, and the trip report (復命書) from its first day until submitted, late after
the deadline."""

from datetime import date

import pytest
from django.test import override_settings

from programs import registry
from seminars.services import trip_reports as report_services
from tests.factories import at

from .conftest import submit_report

pytestmark = pytest.mark.django_db


def due(user, day):
    return [
        (item.kind, item.state)
        for item in registry.due_for(user, at(day))
        if item.kind in ("itinerary", "trip_report")
    ]


@override_settings(KENSHU_TRIP_REPORT_DAYS=3)
def test_the_itinerary_then_the_report(trip, trainee, enrollment, second_trainee):
    assert due(trainee, date(2026, 11, 29)) == []
    assert due(trainee, date(2026, 11, 30)) == [("itinerary", "info")]
    assert due(trainee, date(2026, 12, 1)) == [("itinerary", "info"), ("trip_report", "due")]
    assert due(trainee, date(2026, 12, 2)) == [("itinerary", "info"), ("trip_report", "due")]
    assert due(trainee, date(2026, 12, 5)) == [("trip_report", "due")]
    assert due(trainee, date(2026, 12, 6)) == [("trip_report", "late")]
    submit_report(trip, enrollment)
    assert due(trainee, date(2026, 12, 6)) == []
    assert due(second_trainee, date(2026, 12, 6)) == [("trip_report", "late")]


def test_nothing_for_someone_not_on_the_trip(trip, other_trainee, supervisor):
    assert due(other_trainee, date(2026, 12, 1)) == []
    assert due(supervisor, date(2026, 12, 1)) == []


def test_coordinators_see_the_reports_waiting_for_them(
    trip, trainee, enrollment, coordinator, staff
):
    def waiting(user):
        return [
            i.title
            for i in registry.due_for(user, at(date(2026, 12, 3)))
            if i.kind == "trip_reports"
        ]

    assert waiting(coordinator) == []
    submit_report(trip, enrollment)
    assert len(waiting(coordinator)) == 1 and "1" in waiting(coordinator)[0]
    assert waiting(staff) == []  # staff read; coordinators acknowledge


def test_supervisors_see_their_trainees_new_trip_reports(
    trip, trainee, enrollment, supervisor, other_supervisor
):
    def listed(user):
        return [
            i.url
            for i in registry.due_for(user, at(date(2026, 12, 3)))
            if i.kind == "trip_report_submitted"
        ]

    report_services.report_for(trip, enrollment)
    assert listed(supervisor) == []  # a draft is the trainee's own
    report = submit_report(trip, enrollment)
    assert listed(supervisor) == [
        f"/programs/{trip.program.pk}/trips/{trip.pk}/reports/{report.pk}/"
    ]
    assert listed(other_supervisor) == []


def test_the_submission_date_is_japans(trip, trainee, enrollment, supervisor):
    from datetime import UTC, datetime

    from seminars.models import TripReport

    report = submit_report(trip, enrollment)
    # 20:00 UTC on 11/29 is 05:00 on 11/30 in Japan.
    TripReport.objects.filter(pk=report.pk).update(
        submitted_at=datetime(2026, 11, 29, 20, 0, tzinfo=UTC)
    )
    (item,) = [
        i
        for i in registry.due_for(supervisor, datetime(2026, 11, 30, 0, 0, tzinfo=UTC))
        if i.kind == "trip_report_submitted"
    ]
    assert "11/30" in item.detail
