"""The pre/post survey: its windows, answering (bad input refused, nothing half-saved), the
change per trainee and question with the program mean over pairs, and the SVG chart."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from trainees.forms import SurveyAnswerForm
from trainees.models import Answer, Phase, QuestionKind, QuestionSet, SurveyResponse
from trainees.services import surveys as svc

from ..factories import ProgramFactory, add_activity, enrol

pytestmark = pytest.mark.django_db


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def december(host, coordinator, trainee):
    program = ProgramFactory(host=host, start_date=date(2026, 12, 7), end_date=date(2026, 12, 11))
    add_activity(program, date(2026, 12, 7), "09:30", "12:00", "オリエンテーション")
    return program


def answer(enrollment, phase, data, *, now):
    """Answers as the page sends them (`q<id>`): read by the page's form, then saved."""
    questions = svc.questions_of(svc.survey_of(enrollment.program).question_set)
    form = SurveyAnswerForm(data, questions=questions)
    assert form.is_valid()
    return svc.answer(enrollment, phase, form.answers(), now=now)


def full_answers(question_set, value=3, text="自由記述"):
    data = {}
    for q in question_set.questions.all():
        data[f"q{q.pk}"] = str(value) if q.kind == QuestionKind.LIKERT else text
    return data


def test_the_built_in_set_is_bilingual_and_covers_the_four_themes(december):
    built_in = svc.survey_of(december).question_set
    assert built_in.host_id is None
    questions = list(built_in.questions.all())
    assert {q.theme for q in questions} >= {"work", "place_time", "crowdsourcing", "public_private"}
    assert all(q.text and q.text_en for q in questions)
    assert {q.kind for q in questions} == {QuestionKind.LIKERT, QuestionKind.TEXT}
    with translation.override("en"):
        assert questions[0].label == questions[0].text_en
    with translation.override("ja"):
        assert questions[0].label == questions[0].text


def test_a_deleted_built_in_set_comes_back(host):
    QuestionSet.objects.filter(host__isnull=True).delete()
    program = ProgramFactory(host=host)
    question_set = svc.survey_of(program).question_set
    assert question_set.host_id is None and question_set.questions.count() == 11


def test_windows(december):
    survey = svc.survey_of(december)
    windows = svc.windows(december, survey)
    # The pre survey closes when day 1's first activity starts.
    assert windows[Phase.PRE].is_open(at(date(2026, 12, 7), 9, 29))
    assert not windows[Phase.PRE].is_open(at(date(2026, 12, 7), 9, 30))
    # The post survey opens on the last day, for two weeks.
    assert not windows[Phase.POST].is_open(at(date(2026, 12, 10), 23, 59))
    assert windows[Phase.POST].is_open(at(date(2026, 12, 11), 0, 0))
    assert windows[Phase.POST].is_open(at(date(2026, 12, 25), 23, 0))
    assert not windows[Phase.POST].is_open(at(date(2026, 12, 26), 0, 0))
    # The follow-up, 90 days after the last day by default.
    assert windows[Phase.FOLLOWUP].opens == at(date(2026, 12, 11) + timedelta(days=90), 0)
    survey.followup_days = None
    assert Phase.FOLLOWUP not in svc.windows(december, survey)


def test_without_activities_on_day_one_the_pre_survey_closes_at_nine(host):
    program = ProgramFactory(host=host, start_date=date(2026, 12, 7), end_date=date(2026, 12, 8))
    window = svc.windows(program, svc.survey_of(program))[Phase.PRE]
    assert window.closes == at(date(2026, 12, 7), 9)


@pytest.mark.parametrize("bad", ["0", "6", "", "abc", "2.5"])
def test_an_answer_out_of_range_or_missing_saves_nothing(december, trainee, bad):
    enrollment = enrol(december, trainee)
    survey = svc.survey_of(december)
    data = full_answers(survey.question_set)
    first_likert = survey.question_set.questions.filter(kind=QuestionKind.LIKERT).first()
    data[f"q{first_likert.pk}"] = bad
    with pytest.raises(svc.SurveyRefused) as refused:
        answer(enrollment, Phase.PRE, data, now=at(date(2026, 12, 1), 12))
    assert list(refused.value.errors) == [f"q{first_likert.pk}"]
    assert not SurveyResponse.objects.exists() and not Answer.objects.exists()


def test_a_closed_survey_is_refused(december, trainee):
    enrollment = enrol(december, trainee)
    data = full_answers(svc.survey_of(december).question_set)
    with pytest.raises(svc.SurveyRefused) as refused:
        answer(enrollment, Phase.POST, data, now=at(date(2026, 12, 8), 12))
    assert refused.value.code == "closed"
    with pytest.raises(svc.SurveyRefused):
        answer(enrollment, Phase.PRE, data, now=at(date(2026, 12, 7), 10))


def test_answering_again_replaces_the_answers(december, trainee):
    enrollment = enrol(december, trainee)
    question_set = svc.survey_of(december).question_set
    answer(enrollment, Phase.PRE, full_answers(question_set, 2), now=at(date(2026, 12, 1), 9))
    answer(enrollment, Phase.PRE, full_answers(question_set, 4), now=at(date(2026, 12, 2), 9))
    assert SurveyResponse.objects.count() == 1
    assert set(Answer.objects.exclude(value=None).values_list("value", flat=True)) == {4}


def test_results_pair_before_and_after_per_trainee(december, trainee, host):
    from ..factories import TraineeProfileFactory, UserFactory

    question_set = svc.survey_of(december).question_set
    likert = list(question_set.questions.filter(kind=QuestionKind.LIKERT))
    a = enrol(december, trainee)
    b = enrol(december, TraineeProfileFactory(user=UserFactory()).user)
    c = enrol(december, TraineeProfileFactory(user=UserFactory()).user)
    before, after = at(date(2026, 12, 1), 9), at(date(2026, 12, 11), 17)
    answer(a, Phase.PRE, full_answers(question_set, 2), now=before)
    answer(a, Phase.POST, full_answers(question_set, 5), now=after)
    answer(b, Phase.PRE, full_answers(question_set, 3), now=before)
    answer(b, Phase.POST, full_answers(question_set, 4), now=after)
    answer(c, Phase.PRE, full_answers(question_set, 1), now=before)  # no "after": unpaired
    result = svc.results(december)
    first = result.questions[0]
    assert first.means[Phase.PRE] == pytest.approx(2.0)  # (2 + 3 + 1) / 3
    assert first.means[Phase.POST] == pytest.approx(4.5)
    assert first.change[Phase.POST] == pytest.approx(2.0)  # (3 + 1) / 2 pairs
    assert first.paired[Phase.POST] == 2
    assert first.paired[Phase.FOLLOWUP] == 0 and first.change[Phase.FOLLOWUP] is None
    rows = {row.enrollment.pk: row for row in result.trainees}
    assert rows[a.pk].cells[0]["post_change"] == 3
    assert rows[c.pk].cells[0]["post_change"] is None
    assert len(result.questions) == len(likert)
    assert result.responded[Phase.PRE] == 3 and result.responded[Phase.POST] == 2


def test_the_results_page_draws_the_change_in_the_page_language(
    client, december, trainee, coordinator
):
    enrollment = enrol(december, trainee)
    question_set = svc.survey_of(december).question_set
    answer(enrollment, Phase.PRE, full_answers(question_set, 2), now=at(date(2026, 12, 1), 9))
    answer(enrollment, Phase.POST, full_answers(question_set, 4), now=at(date(2026, 12, 11), 17))
    client.force_login(coordinator)
    url = reverse("trainees:survey_results", args=[december.pk])
    html = client.get(url).content.decode()
    assert "<svg" in html and 'role="img"' in html
    assert "研修前後の平均" in html  # the chart's title, in Japanese
    assert "+2.0 (1)" in html  # change and number of pairs, drawn and tabulated
    first = question_set.questions.order_by("order").first()
    assert first.text in html
    client.post(reverse("programs:set_language"), {"language": "en", "next": url})
    html = client.get(url).content.decode()
    assert "Mean agreement before and after the program" in html
    assert first.text_en in html


def test_the_question_set_is_fixed_once_anyone_has_answered(
    client, december, trainee, coordinator, host
):
    own = QuestionSet.objects.create(host=host, name="自社の質問")
    client.force_login(coordinator)
    url = reverse("trainees:survey_results", args=[december.pk])
    response = client.post(url, {"question_set": own.pk, "followup_days": "60"})
    assert response.status_code == 302
    assert svc.survey_of(december).question_set == own
    enrollment = enrol(december, trainee)
    builtin = QuestionSet.objects.filter(host__isnull=True).get()
    own.questions.create(order=1, kind=QuestionKind.LIKERT, text="質問")
    answer(enrollment, Phase.PRE, {f"q{own.questions.get().pk}": "3"}, now=at(date(2026, 12, 1), 9))
    response = client.post(url, {"question_set": builtin.pk, "followup_days": "60"})
    assert response.status_code == 400
    assert "変更できません" in response.content.decode()
    assert svc.survey_of(december).question_set == own


def test_another_hosts_question_set_cannot_be_chosen(client, december, coordinator, other_host):
    foreign = QuestionSet.objects.create(host=other_host, name="他社の質問")
    client.force_login(coordinator)
    response = client.post(
        reverse("trainees:survey_results", args=[december.pk]),
        {"question_set": foreign.pk, "followup_days": "90"},
    )
    assert response.status_code == 400
    assert svc.survey_of(december).question_set.host_id is None


def test_the_trainee_answers_in_the_browser_form(client, trainee, host, today):
    program = ProgramFactory(
        host=host, start_date=today + timedelta(days=3), end_date=today + timedelta(days=7)
    )
    enrollment = enrol(program, trainee)
    client.force_login(trainee)
    # "Today" lists the open pre survey.
    url = reverse("trainees:survey_answer", args=[enrollment.pk, "pre"])
    assert url in client.get(reverse("programs:trainee_today")).content.decode()
    question_set = svc.survey_of(program).question_set
    data = full_answers(question_set, 4, text="<script>x</script>学びたいこと")
    missing = dict(data)
    first_likert = question_set.questions.filter(kind=QuestionKind.LIKERT).first()
    del missing[f"q{first_likert.pk}"]
    response = client.post(url, missing)
    assert response.status_code == 400
    html = response.content.decode()
    assert "5つの選択肢から1つ選んでください" in html
    assert "&lt;script&gt;x&lt;/script&gt;学びたいこと" in html  # kept, as text
    assert not SurveyResponse.objects.exists()
    response = client.post(url, data)
    assert response.status_code == 302
    assert SurveyResponse.objects.get().phase == Phase.PRE
    assert url not in client.get(reverse("programs:trainee_today")).content.decode()
    # The post survey is not open yet: the page says when it opens, without a form.
    html = client.get(
        reverse("trainees:survey_answer", args=[enrollment.pk, "post"])
    ).content.decode()
    assert "に始まります" in html and '<form method="post" class="form card' not in html


def test_an_unknown_phase_is_404(client, trainee, december):
    enrollment = enrol(december, trainee)
    client.force_login(trainee)
    assert (
        client.get(reverse("trainees:survey_answer", args=[enrollment.pk, "mid"])).status_code
        == 404
    )


def test_a_one_day_programs_surveys_do_not_overlap(host):
    program = ProgramFactory(host=host, start_date=date(2026, 12, 7), end_date=date(2026, 12, 7))
    add_activity(program, date(2026, 12, 7), "10:00", "16:00")
    windows = svc.windows(program, svc.survey_of(program))
    assert windows[Phase.POST].opens == windows[Phase.PRE].closes == at(date(2026, 12, 7), 10)


def test_the_follow_up_cannot_open_while_the_survey_at_the_end_is_open(
    client, december, coordinator
):
    client.force_login(coordinator)
    url = reverse("trainees:survey_results", args=[december.pk])
    builtin = svc.survey_of(december).question_set
    response = client.post(url, {"question_set": builtin.pk, "followup_days": "14"})
    assert response.status_code == 400
    assert svc.survey_of(december).followup_days == 90
    assert client.post(url, {"question_set": builtin.pk, "followup_days": ""}).status_code == 302
    assert Phase.FOLLOWUP not in svc.windows(december, svc.survey_of(december))


def test_the_chart_draws_the_same_pairs_as_the_change(december, trainee):
    """Before: 1 and 5; after: only the first trainee, 2. Everyone's means would go from 3.0
    down to 2.0 while the change is +1.0: the chart draws the pair, 1.0 → 2.0."""
    from ..factories import TraineeProfileFactory, UserFactory

    question_set = svc.survey_of(december).question_set
    a = enrol(december, trainee)
    b = enrol(december, TraineeProfileFactory(user=UserFactory()).user)
    answer(a, Phase.PRE, full_answers(question_set, 1), now=at(date(2026, 12, 1), 9))
    answer(b, Phase.PRE, full_answers(question_set, 5), now=at(date(2026, 12, 1), 9))
    answer(a, Phase.POST, full_answers(question_set, 2), now=at(date(2026, 12, 11), 17))
    result = svc.results(december)
    row = svc.chart(result)["rows"][0]
    xs = {p["phase"]: p["x"] for p in row["points"]}
    assert xs[Phase.PRE] < xs[Phase.POST]  # up, as the change says
    assert row["arrow"]["x1"] < row["arrow"]["x2"]
    assert row["change"] == "+1.0" and row["paired"] == 1
    assert result.questions[0].means[Phase.PRE] == pytest.approx(3.0)  # the table's figure


def test_free_answers_and_question_labels_are_shown_as_text(
    client, december, trainee, coordinator, host
):
    own = QuestionSet.objects.create(host=host, name="<i>自社</i>の質問")
    own.questions.create(order=1, kind=QuestionKind.LIKERT, text="<script>q()</script>速い")
    free = own.questions.create(order=2, kind=QuestionKind.TEXT, text="自由")
    svc.change_question_set(december, own, 90, by=coordinator)
    enrollment = enrol(december, trainee)
    likert = own.questions.get(order=1)
    answer(
        enrollment,
        Phase.PRE,
        {f"q{likert.pk}": "2", f"q{free.pk}": "<img src=x onerror=alert(1)>"},
        now=at(date(2026, 12, 1), 9),
    )
    client.force_login(coordinator)
    html = client.get(reverse("trainees:survey_results", args=[december.pk])).content.decode()
    assert "<script>q()" not in html and "&lt;script&gt;q()&lt;/script&gt;速い" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<i>自社</i>" not in html
    client.force_login(trainee)
    html = client.get(
        reverse("trainees:survey_answer", args=[enrollment.pk, "pre"])
    ).content.decode()
    assert "<script>q()" not in html


def test_only_a_coordinator_changes_the_survey(december, staff):
    builtin = svc.survey_of(december).question_set
    with pytest.raises(svc.SurveyRefused) as refused:
        svc.change_question_set(december, builtin, 30, by=staff)
    assert refused.value.code == "forbidden"
    assert svc.survey_of(december).followup_days == 90


def test_opening_the_survey_pages_writes_nothing(client, december, trainee, coordinator):
    """A program without survey settings yet: the results page and the trainee's survey
    draw the built-in set's, and create no row (the POST that needs it does)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trainees.models import ProgramSurvey

    enrollment = enrol(december, trainee)
    svc.survey_of(december)  # the built-in set is there; the program's row is not
    ProgramSurvey.objects.filter(program=december).delete()
    pages = [
        (coordinator, reverse("trainees:survey_results", args=[december.pk])),
        (trainee, reverse("trainees:survey_answer", args=[enrollment.pk, "pre"])),
    ]
    for person, url in pages:
        client.force_login(person)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        writes = [
            q["sql"]
            for q in ctx.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        ]
        assert writes == [], url
    assert not ProgramSurvey.objects.filter(program=december).exists()
