"""Interview pages over HTTP: scheduling in the form, the interviewer's automatic save, the
trainee's consent, the supervisor's approval; every URL answers 404 to outsiders and sends
anonymous visitors to log in; the list runs a fixed number of queries."""

from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trainees.models import ARTICLE_TEXT_LIMIT, Interview, InterviewState
from trainees.services import interviews as svc

from ..factories import TraineeProfileFactory, UserFactory, enrol, schedule_interview

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview(enrollment, coordinator, running):
    return schedule_interview(enrollment, coordinator, running.end_date, place="会議室A")


def urls(interview):
    pk = interview.pk
    return [
        ("get", reverse("trainees:interview_list", args=[interview.enrollment.program_id])),
        ("post", reverse("trainees:interview_new", args=[interview.enrollment.program_id])),
        ("get", reverse("trainees:interview_conduct", args=[pk])),
        ("post", reverse("trainees:interview_questions", args=[pk])),
        ("post", reverse("trainees:interview_move", args=[pk])),
        ("get", reverse("trainees:interview_schedule", args=[pk])),
        ("post", reverse("trainees:interview_article", args=[pk])),
        ("get", reverse("trainees:interview_review", args=[pk])),
        ("get", reverse("reports:article_preview", args=[pk])),
        ("get", reverse("reports:article_markdown", args=[pk])),
        ("get", reverse("reports:article_html", args=[pk])),
    ]


def test_anonymous_is_sent_to_log_in(client, interview):
    for method, url in urls(interview):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("who", ["outsider", "other_supervisor", "other_trainee"])
def test_outsiders_get_404(client, interview, who, request):
    client.force_login(request.getfixturevalue(who))
    for method, url in urls(interview):
        data = {"move": "finish", "action": "add", "question": "x"} if method == "post" else None
        assert getattr(client, method)(url, data).status_code == 404, url
    assert interview.questions.count() == 5


def test_the_coordinator_schedules_in_the_form(client, coordinator, staff, running, enrollment):
    client.force_login(staff)
    assert client.get(reverse("trainees:interview_new", args=[running.pk])).status_code == 403
    client.force_login(coordinator)
    url = reverse("trainees:interview_new", args=[running.pk])
    form = {
        "enrollment": enrollment.pk,
        "date": running.end_date.isoformat(),
        "start_time": "17:00",
        "end_time": "16:00",
        "place": "オンライン<b>",
        "online_url": "https://meet.example.com/abc",
        "interviewers": [coordinator.pk, staff.pk],
        "template": svc.built_in_template().pk,
    }
    response = client.post(url, form)
    assert response.status_code == 400
    html = response.content.decode()
    assert "オンライン&lt;b&gt;" in html  # kept, as text
    assert not Interview.objects.exists()
    response = client.post(url, form | {"start_time": "16:00", "end_time": "17:00"})
    assert response.status_code == 302
    interview = Interview.objects.get()
    assert set(interview.interviewers.all()) == {coordinator, staff}
    assert interview.activity.place == "オンライン<b>"
    # It is in the week, for this trainee.
    week = client.get(reverse("programs:week_grid", args=[running.pk])).content.decode()
    assert enrollment.trainee.display_name in week


def test_the_interviewers_page_saves_as_they_type(client, coordinator, interview):
    client.force_login(coordinator)
    q = interview.questions.first()
    url = reverse("trainees:interview_conduct", args=[interview.pk])
    response = client.post(
        url,
        {
            f"answer-{q.pk}": "<i>知らなかった</i>",
            f"highlight-{q.pk}": "on",
            "client_id": "p",
            "client_seq": "1",
        },
        headers={"X-Kenshu-Autosave": "1"},
    )
    assert response.status_code == 200 and response.json()["ok"]
    q.refresh_from_db()
    assert q.answer == "<i>知らなかった</i>" and q.highlight
    html = client.get(url).content.decode()
    assert "&lt;i&gt;知らなかった&lt;/i&gt;" in html and "<i>知らなかった" not in html


def test_the_whole_journey_over_http(client, coordinator, trainee, supervisor, interview):
    questions = list(interview.questions.order_by("order"))
    client.force_login(coordinator)
    client.post(
        reverse("trainees:interview_conduct", args=[interview.pk]),
        {f"answer-{q.pk}": f"答え{q.order}" for q in questions[:2]},
    )
    client.post(reverse("trainees:interview_move", args=[interview.pk]), {"move": "finish"})
    client.force_login(trainee)
    assert (
        reverse("trainees:interview_review", args=[interview.pk])
        in client.get(reverse("programs:trainee_today")).content.decode()
    )
    review = reverse("trainees:interview_review", args=[interview.pk])
    response = client.post(review, {"name_form": "initials"})
    assert response.status_code == 400  # a decision per answer is missing
    response = client.post(
        review,
        {
            "name_form": "anonymous",
            f"consent-{questions[0].pk}": "yes",
            f"consent-{questions[1].pk}": "no",
        },
    )
    assert response.status_code == 302
    client.force_login(supervisor)
    preview = client.get(reverse("reports:article_preview", args=[interview.pk])).content.decode()
    assert "答え1" in preview and "答え2" not in preview
    client.post(reverse("trainees:interview_move", args=[interview.pk]), {"move": "approve"})
    interview.refresh_from_db()
    assert interview.state == InterviewState.APPROVED
    md = client.get(reverse("reports:article_markdown", args=[interview.pk])).content.decode()
    assert "答え1" in md and "答え2" not in md


def test_the_wrong_role_gets_403_for_a_move(client, staff, supervisor, interview, coordinator):
    client.force_login(supervisor)
    # Not yet reviewed: the supervisor does not see it at all.
    assert (
        client.post(
            reverse("trainees:interview_move", args=[interview.pk]), {"move": "approve"}
        ).status_code
        == 404
    )
    client.force_login(staff)  # host staff, not an interviewer
    assert (
        client.post(
            reverse("trainees:interview_move", args=[interview.pk]), {"move": "finish"}
        ).status_code
        == 403
    )


def test_the_list_runs_a_fixed_number_of_queries(client, coordinator, running, tagawa):
    from django.core.cache import cache

    def grow(n, hour):
        for i in range(n):
            trainee = TraineeProfileFactory(user=UserFactory(), municipality=tagawa).user
            enrollment = enrol(running, trainee)
            schedule_interview(
                enrollment, coordinator, running.start_date, time(hour, i), time(hour, i + 1)
            )

    client.force_login(coordinator)
    url = reverse("trainees:interview_list", args=[running.pk])

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries), ctx

    grow(5, 6)
    few, _ = count()
    grow(45, 7)
    many, ctx = count()
    assert few == many, "\n".join(q["sql"] for q in ctx.captured_queries)


def test_coordinators_copy_the_built_in_template_and_edit_their_own(
    client, coordinator, staff, host, outsider
):
    from trainees.models import InterviewTemplate

    url = reverse("trainees:interview_templates", args=[host.pk])
    built_in = svc.built_in_template()
    client.force_login(staff)
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "x", "questions": "y"}).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    page = client.get(url + f"?from={built_in.pk}").content.decode()
    assert "クラウドソーシング" in page  # the copy starts from the built-in questions
    response = client.post(url, {"name": "", "questions": "\n  \n"})
    assert response.status_code == 400
    response = client.post(url, {"name": "自社版", "questions": "一つ目\n\n二つ目\n"})
    assert response.status_code == 302
    own = InterviewTemplate.objects.get(host=host)
    assert list(own.questions.values_list("text", flat=True)) == ["一つ目", "二つ目"]
    assert built_in.questions.count() == 5  # untouched
    client.post(url, {"template_id": own.pk, "name": "自社版2", "questions": "三つ目"})
    own.refresh_from_db()
    assert own.name == "自社版2" and own.questions.get().text == "三つ目"
    # Another host's template is not theirs to open.
    foreign = InterviewTemplate.objects.create(
        host=outsider.memberships.get().host_company, name="他社"
    )
    assert client.get(url + f"?edit={foreign.pk}").status_code == 404
    assert (
        client.post(url, {"template_id": foreign.pk, "name": "x", "questions": "y"}).status_code
        == 404
    )


def reviewed(interview, coordinator, trainee):
    q = interview.questions.first()
    svc.save_answers(interview, {q.pk: "答え"}, by=coordinator)
    svc.finish(interview, by=coordinator)
    svc.review(interview, "full", {q.pk: True}, by=trainee)


def test_another_municipalitys_supervisor_cannot_approve(
    client, interview, coordinator, trainee, other_supervisor, supervisor
):
    reviewed(interview, coordinator, trainee)
    client.force_login(other_supervisor)
    move = reverse("trainees:interview_move", args=[interview.pk])
    assert client.post(move, {"move": "approve"}).status_code == 404
    assert client.get(reverse("reports:article_preview", args=[interview.pk])).status_code == 404
    interview.refresh_from_db()
    assert interview.state == InterviewState.REVIEWED
    # Their own supervisor asks for changes and lands on a page they may see.
    client.force_login(supervisor)
    response = client.post(
        move, {"move": "request_changes", "comment": "課名を伏せて"}, follow=True
    )
    assert response.status_code == 200 and "差し戻しました" in response.content.decode()


def test_a_second_review_click_is_told_not_refused(client, interview, coordinator, trainee):
    reviewed(interview, coordinator, trainee)
    client.force_login(trainee)
    response = client.post(
        reverse("trainees:interview_review", args=[interview.pk]),
        {"name_form": "full"},
        follow=True,
    )
    assert response.status_code == 200 and "すでに送信されています" in response.content.decode()


def test_staff_who_do_not_interview_get_403_on_questions(client, interview, staff):
    client.force_login(staff)
    q = interview.questions.first()
    url = reverse("trainees:interview_questions", args=[interview.pk])
    for action in ("up", "down", "remove"):
        assert client.post(url, {"action": action, "question_id": q.pk}).status_code == 403
    assert client.post(url, {"action": "add", "question": "x"}).status_code == 403
    assert interview.questions.count() == 5


def test_the_interviewer_page_locks_after_finishing(client, interview, coordinator, trainee):
    reviewed(interview, coordinator, trainee)
    client.force_login(coordinator)
    q = interview.questions.first()
    response = client.post(
        reverse("trainees:interview_conduct", args=[interview.pk]),
        {f"answer-{q.pk}": "上書き"},
        headers={"X-Kenshu-Autosave": "1"},
    )
    assert response.status_code == 409
    q.refresh_from_db()
    assert q.answer == "答え"


def test_the_cached_list_follows_every_write(client, coordinator, trainee, interview, staff):
    client.force_login(coordinator)
    url = reverse("trainees:interview_list", args=[interview.enrollment.program_id])
    assert "予定" in client.get(url).content.decode()
    q = interview.questions.first()
    svc.save_answers(interview, {q.pk: "答え"}, by=coordinator)
    svc.finish(interview, by=coordinator)
    assert "実施済み" in client.get(url).content.decode()
    interview.interviewers.add(staff)
    assert staff.display_name in client.get(url).content.decode()


def test_the_interview_is_in_both_calendar_feeds(client, interview, trainee, coordinator):
    """The trainee's own feed and the program's feed that the host's people subscribe to."""
    from programs.services import calendar as calendar_services

    program = interview.enrollment.program
    for user, kwargs in ((trainee, {}), (coordinator, {"program": program})):
        token = calendar_services.get_or_create_feed(user, **kwargs).token
        body = client.get(reverse("programs:calendar_feed", args=[token])).content.decode()
        assert "インタビュー" in body and "会議室A" in body, user


def test_the_supervisors_home_lists_articles_to_approve(
    client, interview, coordinator, trainee, supervisor, other_supervisor
):
    reviewed(interview, coordinator, trainee)
    client.force_login(supervisor)
    html = client.get(reverse("reports:municipality_home")).content.decode()
    assert reverse("reports:article_preview", args=[interview.pk]) in html
    client.force_login(other_supervisor)
    html = client.get(reverse("reports:municipality_home")).content.decode()
    assert reverse("reports:article_preview", args=[interview.pk]) not in html


def test_a_refused_question_article_or_comment_comes_back_in_its_field(
    client, interview, coordinator, trainee, supervisor
):
    """The interview's small forms redirect to their page; a refusal brings what was typed
    back into the field, with the reason beside it, once."""
    client.force_login(coordinator)
    conduct = reverse("trainees:interview_conduct", args=[interview.pk])
    page = client.post(
        reverse("trainees:interview_questions", args=[interview.pk]),
        {"action": "add", "question": "休日は\x00何を？"},
        follow=True,
    ).content.decode()
    assert "休日は" in page and "U+0000" in page and 'id="id_question_error"' in page
    assert interview.questions.count() == 5
    assert 'id="id_question_error"' not in client.get(conduct).content.decode()  # once

    long = "あ" * (ARTICLE_TEXT_LIMIT + 1)
    page = client.post(
        reverse("trainees:interview_article", args=[interview.pk]),
        {"introduction": long, "closing": "締めの言葉"},
        follow=True,
    ).content.decode()
    assert long in page and "締めの言葉" in page and "まだ保存していません" in page
    interview.refresh_from_db()
    assert interview.closing != "締めの言葉"

    reviewed(interview, coordinator, trainee)
    client.force_login(supervisor)
    page = client.post(
        reverse("trainees:interview_move", args=[interview.pk]),
        {"move": "request_changes", "comment": "課名を\x01伏せて"},
        follow=True,
    ).content.decode()
    assert "課名を" in page and "伏せて" in page and 'id="id_comment_error"' in page
    interview.refresh_from_db()
    assert interview.state == InterviewState.REVIEWED
