"""Trips, legs, expenses, seminars and trip reports: a control character is refused next to
its field by the form and by the service alone (a caller without the form); line breaks and
tabs stay in the multi-line fields."""

from datetime import date

import pytest
from django.urls import reverse

from seminars.models import Expense, FollowUp, Leg, Seminar, Trip
from seminars.services import expenses as expense_services
from seminars.services import legs as leg_services
from seminars.services import seminars as seminar_services
from seminars.services import trip_reports as report_services
from seminars.services import trips as trip_services
from seminars.services.common import TripRefused

from .conftest import leg_plan, plan, seminar_plan

pytestmark = pytest.mark.django_db


def test_the_trip_form_says_which_character_to_remove_and_keeps_the_text(
    client, coordinator, program, enrollment
):
    client.force_login(coordinator)
    response = client.post(
        reverse("seminars:trip_new", args=[program.pk]),
        {
            "purpose": "説明会\x00の開催",
            "start_date": "2026-12-01",
            "end_date": "2026-12-02",
            "trainees": [enrollment.pk],
            "lodging": "伊那市内のホテル\n\t朝食付き",
            "status": "planned",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "制御文字（U+0000）は使えません（4文字目）。取り除いてください。" in page
    assert "伊那市内のホテル" in page
    assert not Trip.objects.exists()


def test_the_trip_service_refuses_without_the_form(program, enrollment, coordinator):
    with pytest.raises(TripRefused) as refused:
        trip_services.save_trip(
            program, plan(program, [enrollment], places="東京\x0b名古屋"), by=coordinator
        )
    assert refused.value.field == "places" and "U+000B" in refused.value.message
    assert not Trip.objects.exists()
    trip = trip_services.save_trip(
        program, plan(program, [enrollment], lodging="1泊目：伊那\n\t2泊目：松本"), by=coordinator
    )
    assert trip.lodging == "1泊目：伊那\n\t2泊目：松本"


def test_legs_and_expenses_refuse_a_control_character(trip, coordinator, enrollment):
    with pytest.raises(TripRefused) as refused:
        leg_services.save_leg(
            trip, leg_plan("12-01 07:00", "12-01 08:40", notes="窓側\t指定"), by=coordinator
        )
    assert refused.value.field == "notes" and "U+0009" in refused.value.message
    assert not Leg.objects.exists()
    with pytest.raises(TripRefused) as refused:
        expense_services.save_expense(
            trip,
            expense_services.ExpensePlan(
                f"e{enrollment.pk}", "lodging", 9800, "municipality", "領収書\x1bあり"
            ),
            by=coordinator,
        )
    assert refused.value.field == "note"
    assert not Expense.objects.filter(generated=False).exists()


def test_seminars_and_follow_ups_refuse_and_outcomes_keep_line_breaks(
    program, trip, coordinator, staff
):
    with pytest.raises(TripRefused) as refused:
        seminar_services.save_seminar(
            program, seminar_plan(title="説明会\x7f"), trip=trip, by=coordinator
        )
    assert refused.value.field == "title"
    assert not Seminar.objects.exists()
    seminar = seminar_services.save_seminar(
        program, seminar_plan(outcomes="・参加20名\n\t質問多数"), trip=trip, by=coordinator
    )
    assert seminar.outcomes == "・参加20名\n\t質問多数"
    with pytest.raises(TripRefused) as refused:
        seminar_services.add_follow_up(
            seminar, "資料を\x00送る", staff, date(2026, 12, 10), by=coordinator
        )
    assert refused.value.field == "action"
    assert not FollowUp.objects.exists()


def test_the_trip_report_refuses_a_nul_and_keeps_tabs_and_line_breaks(trip, enrollment, trainee):
    report = report_services.report_for(trip, enrollment)
    with pytest.raises(TripRefused) as refused:
        report_services.save_report(
            report,
            report_services.ReportText(content="説明会を\x00補助した。", impressions="速い"),
            by=trainee,
        )
    assert refused.value.field == "content" and "5文字目" in refused.value.message
    report.refresh_from_db()
    assert report.content == ""
    report_services.save_report(
        report,
        report_services.ReportText(content="1.\t説明会\n2.\tセミナー", impressions="速い"),
        by=trainee,
    )
    report.refresh_from_db()
    assert report.content == "1.\t説明会\n2.\tセミナー"
