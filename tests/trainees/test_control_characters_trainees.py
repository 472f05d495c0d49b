"""What trainees and coordinators write by hand (no Django form in between): a NUL or another
control character is refused next to its field, with what to remove and where; the rest of
what was typed is kept; nothing reaches the database (PostgreSQL would refuse a NUL with a
500, SQLite would store it)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from trainees.models import (
    DailyReflection,
    InterviewQuestion,
    QuestionKind,
    ReflectionComment,
    SurveyResponse,
)
from trainees.services import interviews as interview_services
from trainees.services import reflections as svc
from trainees.services import surveys as survey_services

from ..factories import ProgramFactory, enrol, schedule_interview
from .conftest import SECTIONS, write_url

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "制御文字（U+0000）は使えません（7文字目）。取り除いてください。"


def autosave(client, enrollment, day, data, *, seq):
    return client.post(
        write_url(enrollment, day),
        data | {"client_id": "page-1", "client_seq": seq, "base_revision": ""},
        headers={"X-Kenshu-Autosave": "1", "Accept": "application/json"},
    )


def no_nul_stored():
    """Read back every text the tests could have written (SQLite would keep a NUL)."""
    texts = [c.body for c in ReflectionComment.objects.all()]
    for row in DailyReflection.objects.all():
        texts += [v for v in row.content().values() if isinstance(v, str)]
    return not any("\x00" in t for t in texts)


def test_a_nul_in_a_coordinators_comment_is_refused_and_the_text_kept(
    client, coordinator, trainee, enrollment, today
):
    row = svc.submit(enrollment, today, SECTIONS, by=trainee).reflection
    client.force_login(coordinator)
    typed = "確認しました\x00。説明会の質問、よかったです。"
    response = client.post(reverse("trainees:reflection_comment", args=[row.pk]), {"body": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert NUL_MESSAGE in page
    assert typed in page  # kept as typed; the message says what to remove
    assert 'aria-invalid="true"' in page
    assert not ReflectionComment.objects.exists() and no_nul_stored()
    # Without it the same comment goes through.
    response = client.post(
        reverse("trainees:reflection_comment", args=[row.pk]), {"body": typed.replace("\x00", "")}
    )
    assert response.status_code == 302
    assert ReflectionComment.objects.get().body == "確認しました。説明会の質問、よかったです。"


def test_the_trainees_reply_is_checked_the_same_way(client, trainee, enrollment, today):
    row = svc.submit(enrollment, today, SECTIONS, by=trainee).reflection
    client.force_login(trainee)
    response = client.post(
        reverse("trainees:reflection_comment", args=[row.pk]), {"body": "返信\x7f"}
    )
    assert response.status_code == 400
    assert "制御文字（U+007F）は使えません（3文字目）" in response.content.decode()
    assert not ReflectionComment.objects.exists()


def test_autosave_with_a_nul_in_one_field_says_so_there_and_loses_nothing(
    client, trainee, enrollment, today
):
    client.force_login(trainee)
    assert autosave(client, enrollment, today, {"did": "保存済みの本文"}, seq=1).status_code == 200
    response = autosave(
        client,
        enrollment,
        today,
        {"did": "保存済みの本文に追記", "learned": "学んだことは\x00速さ", "felt": "驚いた"},
        seq=2,
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors == {"learned": NUL_MESSAGE}
    # The saved draft is intact (the page keeps the new text and sends it again once fixed).
    row = DailyReflection.objects.get()
    assert row.did == "保存済みの本文" and row.learned == "" and no_nul_stored()
    fixed = autosave(
        client,
        enrollment,
        today,
        {"did": "保存済みの本文に追記", "learned": "学んだことは速さ", "felt": "驚いた"},
        seq=3,
    )
    assert fixed.status_code == 200
    row.refresh_from_db()
    assert row.did == "保存済みの本文に追記"
    assert (row.learned, row.felt) == ("学んだことは速さ", "驚いた")


def test_the_plain_form_keeps_every_field_when_one_has_a_control_character(
    client, trainee, enrollment, today
):
    client.force_login(trainee)
    response = client.post(
        write_url(enrollment, today),
        SECTIONS | {"felt": "速さに\x1b驚いた", "action": "submit"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "制御文字（U+001B）は使えません（4文字目）。取り除いてください。" in page
    for name in ("did", "learned", "tomorrow"):
        assert SECTIONS[name] in page
    assert not DailyReflection.objects.exists()


def test_line_breaks_and_tabs_are_kept_in_a_reflection(client, trainee, enrollment, today):
    client.force_login(trainee)
    text = "午前：\r\n\t説明会の準備\r\n午後：\r\n\tセミナー"
    assert autosave(client, enrollment, today, {"did": text}, seq=1).status_code == 200
    assert DailyReflection.objects.get().did == "午前：\n\t説明会の準備\n午後：\n\tセミナー"


def test_the_services_refuse_without_a_page(trainee, coordinator, enrollment, today):
    with pytest.raises(svc.ReflectionRefused) as refused:
        svc.save_draft(enrollment, today, {"tomorrow": "質問する\ud800"}, by=trainee)
    assert set(refused.value.errors) == {"tomorrow"}
    assert "U+D800" in refused.value.errors["tomorrow"]
    row = svc.submit(enrollment, today, SECTIONS, by=trainee).reflection
    with pytest.raises(svc.ReflectionRefused) as refused:
        svc.add_comment(row, "確認\x85済み", by=coordinator)
    assert "U+0085" in refused.value.errors["body"]
    assert not row.comments.exists()


def test_a_free_text_survey_answer_with_a_control_character_is_refused(
    client, trainee, host, today
):
    program = ProgramFactory(
        host=host, start_date=today + timedelta(days=3), end_date=today + timedelta(days=7)
    )
    enrollment = enrol(program, trainee)
    questions = survey_services.survey_of(program).question_set.questions.all()
    data = {
        f"q{q.pk}": "4" if q.kind == QuestionKind.LIKERT else "働き方を\n\t学びたい"
        for q in questions
    }
    free = next(q for q in questions if q.kind == QuestionKind.TEXT)
    client.force_login(trainee)
    url = reverse("trainees:survey_answer", args=[enrollment.pk, "pre"])
    response = client.post(url, data | {f"q{free.pk}": "働き方を\x00学びたい"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "制御文字（U+0000）は使えません（5文字目）。取り除いてください。" in page
    assert "働き方を\x00学びたい" in page
    assert not SurveyResponse.objects.exists()
    # A line break and a tab in a free answer are kept.
    assert client.post(url, data).status_code == 302
    answer = SurveyResponse.objects.get().answers.get(question=free)
    assert answer.text == "働き方を\n\t学びたい"


@pytest.fixture
def interview(enrollment, coordinator, running):
    return schedule_interview(enrollment, coordinator, running.end_date, place="本社 会議室")


def test_interview_answers_and_wording_refuse_control_characters(interview, coordinator):
    first, second = interview.questions.order_by("order")[:2]
    with pytest.raises(interview_services.InterviewRefused) as refused:
        interview_services.save_answers(
            interview,
            {first.pk: "知りませんでした\x00", second.pk: "1つ目\n\t2つ目"},
            texts={second.pk: "言い換え\tた質問"},
            by=coordinator,
        )
    assert set(refused.value.errors) == {f"answer-{first.pk}", f"text-{second.pk}"}
    assert "U+0009" in refused.value.errors[f"text-{second.pk}"]
    assert not InterviewQuestion.objects.exclude(answer="").exists()
    with pytest.raises(interview_services.InterviewRefused) as refused:
        interview_services.add_question(interview, "追加の\x1b質問", by=coordinator)
    assert "U+001B" in refused.value.errors["question"]
    with pytest.raises(interview_services.InterviewRefused) as refused:
        interview_services.edit_article(interview, "導入\x00", "結び\n\tです", by=coordinator)
    assert list(refused.value.errors) == ["introduction"]
    interview.refresh_from_db()
    assert interview.introduction != "導入\x00"


def test_an_interview_template_refuses_a_control_character_in_a_question(client, coordinator, host):
    client.force_login(coordinator)
    url = reverse("trainees:interview_templates", args=[host.pk])
    response = client.post(url, {"name": "自社の質問", "questions": "最初の質問\n次の\x0c質問"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "制御文字（U+000C）は使えません（9文字目）。取り除いてください。" in page
    assert "最初の質問" in page  # kept
    assert not host.interview_templates.exists()
