"""The demo's reflections and surveys: five days for trainee1 (reviewed ones, one late, with
comments), a draft for today for trainee2, and answers before and after that show a change.
A second run changes nothing; a run on a later day moves them with the running week."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from programs.models import Program
from trainees.models import (
    DailyReflection,
    Phase,
    ReflectionComment,
    ReflectionStatus,
    SurveyResponse,
)
from trainees.services import surveys

from ..factories import seed_demo_then_later, seed_demo_twice

pytestmark = pytest.mark.django_db

PAST = "ITベンチャー研修（前回・田川市）"
CURRENT = "ITベンチャー研修（田川市・デモ）"


def rows():
    return (
        sorted(DailyReflection.objects.values_list("enrollment_id", "date", "status", "did")),
        SurveyResponse.objects.count(),
        ReflectionComment.objects.count(),
    )


def test_the_demo_has_reflections_comments_and_a_change(client):
    seed_demo_twice(rows)

    past = Program.objects.get(title=PAST)
    mine = DailyReflection.objects.filter(
        enrollment__program=past, enrollment__trainee__email="trainee1@example.com"
    )
    assert mine.count() == 5
    assert mine.filter(status=ReflectionStatus.REVIEWED).count() >= 2
    assert mine.filter(late=True).count() == 1
    assert ReflectionComment.objects.filter(reflection__in=mine).count() >= 3

    today = timezone.localdate()
    draft = DailyReflection.objects.get(
        enrollment__program__title=CURRENT,
        enrollment__trainee__email="trainee2@example.com",
        date=today,
    )
    assert draft.status == ReflectionStatus.DRAFT and draft.did

    result = surveys.results(past)
    assert all(q.paired[Phase.POST] == 2 for q in result.questions)
    assert all(q.change[Phase.POST] > 0 for q in result.questions)

    # The coordinator sees the change drawn; trainee1 sees the unread comment of this week.
    assert client.login(email="coordinator@example.com", password="kenshu-demo")
    html = client.get(reverse("trainees:survey_results", args=[past.pk])).content.decode()
    assert "<svg" in html and "+1.5 (2)" in html
    assert client.login(email="trainee1@example.com", password="kenshu-demo")
    assert "新しいコメント" in client.get(reverse("programs:trainee_today")).content.decode()


def test_a_later_run_moves_the_running_weeks_reflections(monkeypatch):
    later = seed_demo_then_later(monkeypatch)
    current = Program.objects.get(title=CURRENT)
    assert current.start_date <= later <= current.end_date
    dates = set(
        DailyReflection.objects.filter(enrollment__program=current).values_list("date", flat=True)
    )
    assert dates and all(current.start_date <= d <= current.end_date for d in dates)
    assert later in dates  # trainee2's draft for "today"


def test_the_demo_interview_is_approved_with_one_answer_left_out(client):
    from reports import articles
    from trainees.models import Interview, InterviewState

    call_command("seed_demo")
    past = Interview.objects.get(enrollment__program__title=PAST)
    assert past.state == InterviewState.APPROVED and past.name_form == "family_san"
    answers = past.questions.exclude(answer="")
    assert answers.filter(consent=False).count() == 1
    assert answers.filter(consent=True).count() >= 4
    markdown = articles.to_markdown(articles.build(past))
    left_out = answers.get(consent=False).answer
    assert left_out not in markdown and "**田中さん**" in markdown
    assert client.login(email="supervisor@example.com", password="kenshu-demo")
    assert client.get(reverse("reports:article_markdown", args=[past.pk])).status_code == 200
    # The running week has one waiting to be held, in the week's interview slot.
    current = Interview.objects.get(enrollment__program__title=CURRENT)
    assert current.state == InterviewState.DRAFT and current.activity.kind == "interview"
