"""今日's items carry their own state words, with `now` pinned: the itinerary reads 明日出発
the day before the trip and 出張中 during it; an interview reads 予定 and its date and time,
never a survey's 回答受付中."""

from datetime import date, time

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from programs import registry
from programs.registry import DueItem
from tests.factories import at, schedule_interview

pytestmark = pytest.mark.django_db


def state_words(user, day, kind, hour=12):
    with translation.override("ja"):
        return [
            item.state_label for item in registry.due_for(user, at(day, hour)) if item.kind == kind
        ]


def test_the_itinerary_says_when_the_trip_leaves_and_that_it_is_on(trip, trainee, enrollment):
    assert state_words(trainee, date(2026, 11, 29), "itinerary") == []
    assert state_words(trainee, date(2026, 11, 30), "itinerary") == ["明日出発"]
    assert state_words(trainee, date(2026, 12, 1), "itinerary") == ["出張中"]
    assert state_words(trainee, date(2026, 12, 2), "itinerary") == ["出張中"]
    assert state_words(trainee, date(2026, 12, 3), "itinerary") == []


def test_an_interview_says_its_date_and_time(enrollment, trainee, coordinator):
    schedule_interview(enrollment, coordinator, date(2026, 12, 4), start=time(14), end=time(15))
    assert state_words(trainee, date(2026, 12, 3), "interview") == ["予定 12/4 14:00"]


def test_the_list_shows_an_item_s_own_words_instead_of_its_state():
    items = [
        DueItem("interview", "インタビュー", "/i/", state="open", state_label="予定 12/4 14:00"),
        DueItem("survey", "研修後の意識調査", "/s/", state="open"),
    ]
    with translation.override("ja"):
        html = render_to_string("partials/due_list.html", {"due": items})
    interview, survey = html.split("研修後の意識調査")
    assert '<span class="due__state">予定 12/4 14:00</span>' in interview
    assert "回答受付中" not in interview and "回答受付中" in survey
