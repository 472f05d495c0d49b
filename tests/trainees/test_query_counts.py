"""The matrix, the lists and the survey results run the same number of queries with 5
trainees as with 50 (and with their reflections, comments and answers)."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trainees.forms import SurveyAnswerForm
from trainees.models import Phase, QuestionKind
from trainees.services import reflections as reflection_services
from trainees.services import surveys as survey_services

from ..factories import TraineeProfileFactory, UserFactory, enrol
from .conftest import SECTIONS

pytestmark = pytest.mark.django_db


def count(client, url):
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), ctx


def grow(program, tagawa, coordinator, n):
    """n more trainees, each with a reflection submitted on every day so far (one with a
    comment), and answers before and after."""
    question_set = survey_services.survey_of(program).question_set
    data = {
        f"q{q.pk}": "3" if q.kind == QuestionKind.LIKERT else "記述"
        for q in question_set.questions.all()
    }
    today = timezone.localdate()
    for _ in range(n):
        trainee = TraineeProfileFactory(user=UserFactory(), municipality=tagawa).user
        enrollment = enrol(program, trainee)
        for day in reflection_services.reflection_days(program):
            if day <= today:
                row = reflection_services.submit(enrollment, day, SECTIONS, by=trainee)
                reflection_services.add_comment(row.reflection, "確認", by=coordinator)
        before = timezone.make_aware(
            datetime.combine(program.start_date - timedelta(days=1), time(9))
        )
        survey_services.Answer = survey_services.Answer  # the real service, real rows

        _answer_at(enrollment, Phase.PRE, data, before)
        _answer_at(
            enrollment,
            Phase.POST,
            data,
            timezone.make_aware(datetime.combine(program.end_date, time(18))),
        )


def _answer_at(enrollment, phase, data, when):
    questions = survey_services.questions_of(
        survey_services.survey_of(enrollment.program).question_set
    )
    form = SurveyAnswerForm(data, questions=questions)
    assert form.is_valid()
    survey_services.answer(enrollment, phase, form.answers(), now=when)


@pytest.mark.parametrize("name", ["matrix", "inbox", "results"])
def test_host_pages(client, coordinator, running, tagawa, name):
    urls = {
        "matrix": reverse("trainees:reflection_matrix", args=[running.pk]),
        "inbox": reverse("trainees:reflection_inbox"),
        "results": reverse("trainees:survey_results", args=[running.pk]),
    }
    client.force_login(coordinator)
    grow(running, tagawa, coordinator, 5)
    few, _ = count(client, urls[name])
    grow(running, tagawa, coordinator, 45)
    many, ctx = count(client, urls[name])
    assert few == many, "\n".join(q["sql"] for q in ctx.captured_queries)


def test_supervisor_list(client, supervisor, coordinator, running, tagawa):
    client.force_login(supervisor)
    grow(running, tagawa, coordinator, 5)
    few, _ = count(client, reverse("trainees:supervisor_reflections"))
    grow(running, tagawa, coordinator, 45)
    many, ctx = count(client, reverse("trainees:supervisor_reflections"))
    assert few == many, "\n".join(q["sql"] for q in ctx.captured_queries)


def test_the_trainees_pages(client, trainee, coordinator, host, tagawa, today):
    """A trainee's list and "today" with 2 recent programs as with 8 (running or ended within
    the week, so each day's reflection is looked at), each with reflections and comments."""
    from ..factories import ProgramFactory, add_activity

    def programs(n, offset):
        for i in range(offset, offset + n):
            start = today - timedelta(days=i + 1)
            program = ProgramFactory(
                host=host, start_date=start, end_date=start + timedelta(days=4)
            )
            for day in program.days:  # a different hour per program: no clash
                add_activity(program, day, f"{8 + i:02d}:00", f"{8 + i:02d}:45")
            enrollment = enrol(program, trainee)
            for day in reflection_services.reflection_days(program):
                if day < today:
                    row = reflection_services.submit(enrollment, day, SECTIONS, by=trainee)
                    reflection_services.add_comment(row.reflection, "確認", by=coordinator)

    client.force_login(trainee)
    programs(2, 0)
    few_list, _ = count(client, reverse("trainees:my_reflections"))
    few_today, _ = count(client, reverse("programs:trainee_today"))
    programs(6, 2)
    many_list, ctx = count(client, reverse("trainees:my_reflections"))
    assert few_list == many_list, "\n".join(q["sql"] for q in ctx.captured_queries)
    many_today, ctx = count(client, reverse("programs:trainee_today"))
    assert few_today == many_today, "\n".join(q["sql"] for q in ctx.captured_queries)
    html = client.get(reverse("programs:trainee_today")).content.decode()
    assert html.count("新しいコメント") >= 8  # the loop really met every program's days
