"""Trips, legs, seminars and follow-ups take dates of 2000–2100 only (programs.date_range):
the forms say so next to the field, and the services refuse on their own, even inside a
program written before the range existed (year 9999)."""

from datetime import date, datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from programs.date_range import out_of_range_message
from seminars import forms
from seminars.models import FollowUp, Leg, Seminar, Trip
from seminars.services import legs as leg_services
from seminars.services import seminars as seminar_services
from seminars.services import trips as trip_services
from seminars.services.common import TripRefused

from ..factories import ProgramFactory, enrol, field_block
from .conftest import leg_plan, plan, seminar_plan

pytestmark = pytest.mark.django_db

MESSAGE_JA = "2000年1月1日から2100年12月31日までの日付を入力してください。"
OLD_START, OLD_END = date(9999, 12, 27), date(9999, 12, 31)


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@pytest.fixture
def old_program(host, coordinator):
    """A program written before the range existed."""
    return ProgramFactory(host=host, title="古い研修", start_date=OLD_START, end_date=OLD_END)


@pytest.fixture
def old_trip(old_program, trainee, coordinator):
    trip = Trip.objects.create(
        program=old_program,
        purpose="古い出張",
        start_date=date(9999, 12, 28),
        end_date=date(9999, 12, 29),
        created_by=coordinator,
    )
    trip.trainees.add(enrol(old_program, trainee))
    return trip


def refused_message(call) -> TripRefused:
    with translation.override("ja"), pytest.raises(TripRefused) as refused:
        call()
    assert refused.value.message == MESSAGE_JA
    return refused.value


class TestServices:
    def test_a_trip_in_year_9999_is_refused_inside_an_old_program(
        self, old_program, trainee, coordinator
    ):
        enrollment = enrol(old_program, trainee)
        refused = refused_message(
            lambda: trip_services.save_trip(
                old_program,
                plan(
                    old_program,
                    [enrollment],
                    start_date=date(9999, 12, 28),
                    end_date=date(9999, 12, 29),
                ),
                by=coordinator,
            )
        )
        assert refused.field == "start_date"
        assert not Trip.objects.exists()

    def test_a_leg_in_year_9999_is_refused(self, old_trip, coordinator):
        leg = leg_plan("12-01 07:00", "12-01 08:40")
        leg.depart_at, leg.arrive_at = at(date(9999, 12, 28), 7), at(date(9999, 12, 28), 9)
        refused = refused_message(lambda: leg_services.save_leg(old_trip, leg, by=coordinator))
        assert refused.field == "depart_at"
        assert not Leg.objects.exists()

    def test_a_seminar_in_year_9999_is_refused(self, old_program, coordinator):
        seminar = seminar_plan()
        seminar.date = date(9999, 12, 28)
        refused = refused_message(
            lambda: seminar_services.save_seminar(old_program, seminar, by=coordinator)
        )
        assert refused.field == "date"
        assert not Seminar.objects.exists()

    @pytest.mark.parametrize("due", [date(9999, 12, 31), date(1999, 12, 31), date(2101, 1, 1)])
    def test_a_follow_up_due_outside_the_range_is_refused(self, seminar, coordinator, due):
        refused = refused_message(
            lambda: seminar_services.add_follow_up(
                seminar, "事例集を送る", coordinator, due, by=coordinator
            )
        )
        assert refused.field == "due_date"
        assert not FollowUp.objects.exists()

    def test_a_follow_up_due_on_the_last_day_is_kept(self, seminar, coordinator):
        seminar_services.add_follow_up(
            seminar, "事例集を送る", coordinator, date(2100, 12, 31), by=coordinator
        )
        assert FollowUp.objects.get().due_date == date(2100, 12, 31)


class TestForms:
    def test_the_trip_form(self, program):
        form = forms.TripForm(
            {"purpose": "x", "start_date": "9999-12-28", "end_date": "9999-12-29"},
            program=program,
        )
        with translation.override("ja"):
            assert form.errors["start_date"] == [MESSAGE_JA]
            assert form.errors["end_date"] == [MESSAGE_JA]

    def test_the_leg_form(self):
        form = forms.LegForm(
            {
                "mode": "rail",
                "origin_place": "博多",
                "destination": "小倉",
                "depart_at": "0001-01-01T00:00",
                "arrive_at": "9999-12-31T23:59",
            }
        )
        with translation.override("ja"):
            assert form.errors["depart_at"] == [MESSAGE_JA]
            assert form.errors["arrive_at"] == [MESSAGE_JA]
        assert 'max="2100-12-31T23:59"' in str(form["arrive_at"])

    def test_the_seminar_form(self, program):
        form = forms.SeminarForm(
            {"kind": "workshop", "title": "x", "date": "9999-12-28"}, program=program
        )
        with translation.override("ja"):
            assert form.errors["date"] == [MESSAGE_JA]
        assert 'min="2000-01-01"' in str(form["date"])

    def test_the_follow_up_page_shows_the_message_next_to_the_field_and_keeps_the_text(
        self, client, program, seminar, coordinator
    ):
        client.force_login(coordinator)
        response = client.post(
            reverse("seminars:follow_up_add", args=[program.pk, seminar.pk]),
            {"action": "参加企業へ事例集を送る", "owner": coordinator.pk, "due_date": "9999-12-31"},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert MESSAGE_JA in field_block(html, "due_date")
        assert "参加企業へ事例集を送る" in html
        assert not FollowUp.objects.exists()

    def test_the_trip_page_refuses_year_9999(self, client, program, enrollment, coordinator):
        client.force_login(coordinator)
        response = client.post(
            reverse("seminars:trip_new", args=[program.pk]),
            {
                "purpose": "未来の出張",
                "start_date": "9999-12-28",
                "end_date": "9999-12-29",
                "trainees": [enrollment.pk],
                "status": "planned",
            },
        )
        assert response.status_code == 200
        assert MESSAGE_JA in response.content.decode()
        assert 'value="未来の出張"' in response.content.decode()
        assert not Trip.objects.exists()


def test_the_message_is_the_shared_one():
    with translation.override("ja"):
        assert out_of_range_message() == MESSAGE_JA
