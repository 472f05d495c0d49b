"""Odd integers on the trainees' pages (tests/programs/test_integer_input.py says why these
values): the supervisor's list ignores an odd ?program=, the interview and survey forms
refuse an odd choice or number next to its field, and a reflection's text is saved however
odd the change counter sent beside it (the counter is ignored; nothing odd is stored)."""

import pytest
from django.urls import reverse

from programs.integers import ID_MAX, INT_MAX
from trainees.forms import InterviewScheduleForm
from trainees.models import DailyReflection, InterviewTemplate, Question, QuestionKind
from trainees.services import interviews as interview_services
from trainees.services import reflections as reflection_services
from trainees.services import surveys as survey_services

from ..factories import schedule_interview
from .conftest import SECTIONS, write_url

pytestmark = pytest.mark.django_db

HUGE = str(2**70)
ODD = [HUGE, str(-(2**70)), str(ID_MAX + 1), "1e5", " 12", "٣", "１２", "12abc", "9" * 5000]


def autosave(client, enrollment, day, data, **markers):
    return client.post(
        write_url(enrollment, day), data | markers, headers={"X-Kenshu-Autosave": "1"}
    )


# The supervisor's reflections ------------------------------------------------------------


@pytest.mark.parametrize("odd", ODD)
def test_the_supervisors_list_finds_no_odd_program_and_reads_an_odd_page_as_the_first(
    client, supervisor, trainee, enrollment, today, elsewhere, odd
):
    row = reflection_services.submit(enrollment, today, SECTIONS, by=trainee).reflection
    detail = reverse("trainees:reflection_detail", args=[row.pk])
    client.force_login(supervisor)
    url = reverse("trainees:supervisor_reflections")
    for query in ({"program": odd}, {"program": odd, "page": "1"}):
        assert client.get(url, query).status_code == 404, query  # names no program
    response = client.get(url, {"page": odd})
    assert response.status_code == 200
    assert detail in response.content.decode()  # the first page, as without it
    assert detail in client.get(url, {"program": enrollment.program_id}).content.decode()
    assert detail not in client.get(url, {"program": elsewhere.program_id}).content.decode()


# The reflection's automatic save ---------------------------------------------------------


@pytest.mark.parametrize("odd", ODD + [str(INT_MAX + 1)])
def test_the_text_is_saved_whatever_the_counter_beside_it(client, trainee, enrollment, today, odd):
    client.force_login(trainee)
    first = autosave(
        client, enrollment, today, {"did": "電車の中で"}, client_id="page-1", client_seq="5"
    )
    assert first.json()["applied"]
    # The same page sends an odd counter: before, "1e5" read as 0 (≤ 5) and the text was
    # taken for a repeat and dropped; 2**70 was a 500.
    response = autosave(
        client,
        enrollment,
        today,
        {"did": "電車の中で、続き", "learned": "速さ"},
        client_id="page-1",
        client_seq=odd,
        base_revision=odd,
    )
    assert response.status_code == 200
    assert response.json()["ok"] and response.json()["applied"]
    row = DailyReflection.objects.get(enrollment=enrollment, date=today)
    assert (row.did, row.learned) == ("電車の中で、続き", "速さ")
    assert row.client_seq == 0 and row.client_id == ""  # nothing odd stored
    # The page's next plain counter is read again.
    again = autosave(
        client, enrollment, today, {"did": "三度目"}, client_id="page-1", client_seq="6"
    )
    assert again.json()["applied"]
    row.refresh_from_db()
    assert (row.did, row.client_seq) == ("三度目", 6)


@pytest.mark.parametrize("odd", [HUGE, "1e5", "٣"])
def test_the_plain_form_saves_the_text_with_an_odd_counter(client, trainee, enrollment, today, odd):
    client.force_login(trainee)
    response = client.post(
        write_url(enrollment, today),
        SECTIONS | {"action": "submit", "client_id": "p", "client_seq": odd},
    )
    assert response.status_code == 302
    assert DailyReflection.objects.get(enrollment=enrollment).did == SECTIONS["did"]


@pytest.mark.parametrize("odd", ["٣", "３", "1e5", HUGE, "0", "6", "-3", " 3x"])
def test_a_rating_or_an_answer_is_one_of_the_five_buttons(odd, host):
    _content, errors = reflection_services.clean_content({"did": "x", "self_rating": odd})
    assert set(errors) == {"self_rating"}
    question = Question(pk=1, kind=QuestionKind.LIKERT, text="問い")
    values, errors = survey_services.clean_answers([question], {1: odd})
    assert (values, set(errors)) == ({}, {"q1"})
    assert survey_services.clean_answers([question], {1: "3"}) == ({1: 3}, {})


# Interviews --------------------------------------------------------------------------------


@pytest.mark.parametrize("odd", ODD)
def test_the_interview_form_refuses_an_odd_slot_or_interviewer(
    client, coordinator, running, enrollment, odd
):
    data = {
        "enrollment": enrollment.pk,
        "date": running.end_date.isoformat(),
        "start_time": "16:00",
        "end_time": "17:00",
        "interviewers": [coordinator.pk],
        "template": interview_services.built_in_template().pk,
    }
    assert InterviewScheduleForm(data, program=running).is_valid()
    for field, value in [("slot", odd), ("interviewers", [odd]), ("enrollment", odd)]:
        form = InterviewScheduleForm(data | {field: value}, program=running)
        assert not form.is_valid()
        assert [e.code for e in form.errors.as_data()[field]] == ["invalid_choice"], field
    client.force_login(coordinator)
    response = client.post(
        reverse("trainees:interview_new", args=[running.pk]),
        data | {"slot": odd, "place": "会議室B"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "正しく選択してください" in html and "会議室B" in html  # the rest kept
    assert not enrollment.interviews.exists()


@pytest.fixture
def interview(enrollment, coordinator, running):
    return schedule_interview(enrollment, coordinator, running.end_date)


@pytest.mark.parametrize("odd", ODD)
def test_interview_questions_and_templates_answer_404_for_an_odd_id(
    client, coordinator, host, interview, odd
):
    client.force_login(coordinator)
    url = reverse("trainees:interview_questions", args=[interview.pk])
    for action in ("up", "down", "remove"):
        assert client.post(url, {"action": action, "question_id": odd}).status_code == 404
    # An odd "after": the question goes at the end.
    assert client.post(url, {"action": "add", "question": "追加", "after": odd}).status_code == 302
    assert interview.questions.order_by("order").last().text == "追加"
    templates = reverse("trainees:interview_templates", args=[host.pk])
    assert client.get(templates, {"edit": odd}).status_code == 404
    assert (
        client.post(templates, {"template_id": odd, "name": "x", "questions": "y"}).status_code
        == 404
    )
    assert not InterviewTemplate.objects.filter(host=host).exists()


# The survey's settings ---------------------------------------------------------------------


@pytest.mark.parametrize("odd", ODD + [str(INT_MAX + 1), "40000", "731", "14"])
def test_the_survey_settings_refuse_an_odd_set_or_follow_up_next_to_the_field(
    client, coordinator, running, enrollment, odd
):
    """40000 overflows PostgreSQL's smallint. Before, a refused follow-up was already on the
    settings the page then drew (its follow-up window), and the page failed."""
    survey = survey_services.survey_of(running)
    client.force_login(coordinator)
    url = reverse("trainees:survey_results", args=[running.pk])
    for field, data in [
        ("question_set", {"question_set": odd, "followup_days": "60"}),
        ("followup_days", {"question_set": survey.question_set_id, "followup_days": odd}),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert set(response.context["form"].errors) == {field}, data
        assert "研修前後の平均" in response.content.decode()  # the page is drawn as ever
    survey.refresh_from_db()
    assert survey.followup_days == 90


@pytest.mark.parametrize("odd", [HUGE, "1e5", "٣", str(INT_MAX + 1)])
def test_the_interviewers_answers_are_saved_whatever_the_counter_beside_them(
    client, coordinator, interview, odd
):
    client.force_login(coordinator)
    q = interview.questions.order_by("order").first()
    url = reverse("trainees:interview_conduct", args=[interview.pk])
    first = {f"answer-{q.pk}": "最初の答え", "client_id": "p", "client_seq": "4"}
    assert client.post(url, first, headers={"X-Kenshu-Autosave": "1"}).json()["ok"]
    response = client.post(
        url,
        {f"answer-{q.pk}": "続きの答え", "client_id": "p", "client_seq": odd},
        headers={"X-Kenshu-Autosave": "1"},
    )
    assert response.status_code == 200 and response.json()["ok"]
    q.refresh_from_db()
    interview.refresh_from_db()
    assert q.answer == "続きの答え" and interview.client_seq == 0
