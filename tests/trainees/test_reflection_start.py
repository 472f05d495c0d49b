"""A reflection that starts from the day: the day's form offers the activities this trainee
took part in as a start for 今日やったこと (inserted by the page's script from a data
attribute), and quotes the 明日の目標 of their reflection before it; the page runs the same
queries however many activities and reflections there are."""

import html as html_lib
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from trainees.services import reflections as reflection_services

from ..factories import TraineeProfileFactory, UserFactory, add_activity, enrol
from .conftest import SECTIONS, write_url

pytestmark = pytest.mark.django_db


def fill_text(page: str) -> str | None:
    """The text the start button puts in 今日やったこと (None when there is no button)."""
    found = re.search(r'data-fill-for="id_did" data-fill-text="([^"]*)"', page)
    return html_lib.unescape(found.group(1)) if found else None


def test_the_button_offers_the_days_activities_of_this_trainee_in_time_order(
    client, trainee, enrollment, running, today, tagawa
):
    other = enrol(running, TraineeProfileFactory(user=UserFactory(), municipality=tagawa).user)
    add_activity(running, today, "13:30", "15:00", "箕輪町での説明会", participants=[enrollment])
    add_activity(running, today, "08:30", "09:00", "朝会")
    add_activity(running, today, "16:00", "17:00", "別の研修生の面談", participants=[other])
    add_activity(running, today - timedelta(days=1), "09:00", "10:00", "昨日の活動")
    client.force_login(trainee)
    page = client.get(write_url(enrollment, today)).content.decode()
    assert "今日の予定から書き始める" in page
    assert fill_text(page) == "08:30〜09:00 朝会\n10:00〜12:00 活動\n13:30〜15:00 箕輪町での説明会"
    # Hidden until the page's script shows it: without JavaScript it would do nothing.
    assert re.search(r'data-fill-text="[^"]*" hidden>', page)


def test_a_title_is_escaped_in_the_data(client, trainee, enrollment, running, today):
    add_activity(running, today, "18:00", "19:00", '"><script>alert(1)</script>')
    client.force_login(trainee)
    page = client.get(write_url(enrollment, today)).content.decode()
    assert "<script>alert(1)" not in page
    assert fill_text(page).endswith('18:00〜19:00 "><script>alert(1)</script>')


def test_a_day_without_activities_of_the_trainee_offers_no_button(
    client, trainee, enrollment, running, today
):
    running.activities.filter(date=today).update(cancelled_at=timezone.now())
    client.force_login(trainee)
    page = client.get(write_url(enrollment, today)).content.decode()
    assert fill_text(page) is None and "今日の予定から書き始める" not in page


def test_the_goal_written_the_day_before_is_quoted_above_the_form(
    client, trainee, enrollment, elsewhere, today
):
    yesterday = today - timedelta(days=1)
    reflection_services.save_draft(
        enrollment, yesterday, SECTIONS | {"tomorrow": "説明会で<質問>をする"}, by=trainee
    )
    # Another trainee's goal never shows.
    reflection_services.save_draft(
        elsewhere, yesterday, SECTIONS | {"tomorrow": "他人の目標"}, by=elsewhere.trainee
    )
    client.force_login(trainee)
    page = client.get(write_url(enrollment, today)).content.decode()
    quote = re.search(r'<figure class="card goal-quote">(.*?)</figure>', page, re.S).group(1)
    day = f"{yesterday.month}/{yesterday.day}"
    assert f"{day}" in quote and "の振り返りに書いた「明日の目標」" in quote
    assert "説明会で&lt;質問&gt;をする" in quote
    assert page.index("goal-quote") < page.index("data-reflection-form")
    assert "他人の目標" not in page
    # The first day has no reflection before it: no quote.
    first = client.get(write_url(enrollment, today - timedelta(days=2))).content.decode()
    assert "goal-quote" not in first


def test_the_last_reflection_before_the_day_is_quoted_and_an_empty_goal_is_not(
    client, trainee, enrollment, today
):
    two_days_ago, yesterday = today - timedelta(days=2), today - timedelta(days=1)
    reflection_services.save_draft(
        enrollment, two_days_ago, SECTIONS | {"tomorrow": "一昨日の目標"}, by=trainee
    )
    client.force_login(trainee)
    # Yesterday was skipped: the goal before it is the last one written.
    page = client.get(write_url(enrollment, today)).content.decode()
    assert "一昨日の目標" in page
    reflection_services.save_draft(enrollment, yesterday, SECTIONS | {"tomorrow": ""}, by=trainee)
    page = client.get(write_url(enrollment, today)).content.decode()
    assert "goal-quote" not in page and "一昨日の目標" not in page


def test_the_form_runs_the_same_queries_however_many_activities_and_reflections(
    client, trainee, enrollment, running, today
):
    url = write_url(enrollment, today)
    client.force_login(trainee)

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    reflection_services.save_draft(enrollment, today - timedelta(days=2), SECTIONS, by=trainee)
    before = count()
    reflection_services.save_draft(enrollment, today - timedelta(days=1), SECTIONS, by=trainee)
    for hour in range(13, 20):
        add_activity(running, today, f"{hour}:00", f"{hour}:30", f"活動{hour}")
        add_activity(running, today, f"{hour}:30", f"{hour}:45", "個別", participants=[enrollment])
    assert fill_text(client.get(url).content.decode()).count("\n") == 14
    assert count() == before
