"""The interview's rules without HTTP: scheduling into the week (clashes refused as in the
week editor), recording answers once, follow-up questions, the trainee's corrections and
consent, approval by the right supervisor only, and no change after publication."""

from datetime import time, timedelta

import pytest

from programs.models import Activity, Role
from trainees.forms import InterviewAnswersForm, InterviewReviewForm
from trainees.models import Interview, InterviewEvent, InterviewQuestion, InterviewState
from trainees.services import interviews as svc

from ..factories import MembershipFactory, add_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(coordinator, running):
    return svc.Plan(
        interviewers=[coordinator],
        date=running.end_date,
        start_time=time(16, 0),
        end_time=time(17, 0),
        place="本社 会議室",
    )


@pytest.fixture
def interview(enrollment, plan, coordinator):
    return svc.schedule(enrollment, plan, by=coordinator)


def save_answers(interview, data, **kwargs):
    """The interviewer's page as it sends it: read by its form, then saved."""
    form = InterviewAnswersForm(data)
    assert form.is_valid()
    return svc.save_answers(interview, **form.changes(), **kwargs)


def review(interview, data, *, by):
    """The trainee's page as it sends it: read by its form, then saved."""
    form = InterviewReviewForm(data)
    assert form.is_valid()
    return svc.review(interview, **form.review(), by=by)


def answered(interview, by):
    data = {f"answer-{q.pk}": f"答え{q.order}" for q in interview.questions.all()}
    save_answers(interview, data, by=by)
    return svc.finish(interview, by=by)


def consent_all(interview, yes=True, name_form="family_san"):
    data = {"name_form": name_form}
    for q in interview.questions.exclude(answer=""):
        data[f"consent-{q.pk}"] = "yes" if yes else "no"
    return data


def test_scheduling_puts_the_interview_in_the_week_and_copies_the_template(
    interview, enrollment, running
):
    slot = interview.activity
    assert slot.kind == "interview" and slot.date == running.end_date
    assert not slot.for_all and list(slot.participants.all()) == [enrollment]
    assert interview.questions.count() == 5
    assert "クラウドソーシング" in interview.questions.first().text
    assert InterviewEvent.objects.get().state == InterviewState.DRAFT


def test_a_clash_is_refused_naming_both_slots(enrollment, coordinator, running, plan):
    add_activity(running, running.end_date, "16:30", "17:30", "振り返り会")
    with pytest.raises(svc.InterviewRefused) as refused:
        svc.schedule(enrollment, plan, by=coordinator)
    assert "振り返り会" in refused.value.message
    assert not Interview.objects.exists()


def test_the_weeks_interview_slot_can_be_shared(enrollment, coordinator, running):
    slot = add_activity(
        running, running.end_date, "13:00", "14:30", "研修後インタビュー", kind="interview"
    )
    interview = svc.schedule(
        enrollment, svc.Plan(interviewers=[coordinator], slot=slot), by=coordinator
    )
    assert interview.activity == slot and not interview.owns_activity


def test_only_a_coordinator_schedules_and_interviewers_are_host_people(
    enrollment, staff, outsider, coordinator, plan
):
    with pytest.raises(svc.InterviewRefused) as refused:
        svc.schedule(enrollment, plan, by=staff)
    assert refused.value.code == "forbidden"
    plan.interviewers = [outsider]
    with pytest.raises(svc.InterviewRefused) as refused:
        svc.schedule(enrollment, plan, by=coordinator)
    assert refused.value.code == "foreign_interviewer"
    assert not Activity.objects.filter(kind="interview").exists()


def test_rescheduling_moves_the_slot(interview, coordinator, plan):
    plan.date = plan.date - timedelta(days=1)
    svc.reschedule(interview, plan, by=coordinator)
    interview.activity.refresh_from_db()
    assert interview.activity.date == plan.date
    assert interview.activity.sequence >= 1  # calendars see the change


def test_answers_are_saved_once_per_change(interview, coordinator):
    q = interview.questions.first()
    assert save_answers(
        interview, {f"answer-{q.pk}": "一"}, by=coordinator, client_id="p", client_seq=1
    )
    assert not save_answers(
        interview, {f"answer-{q.pk}": "古い"}, by=coordinator, client_id="p", client_seq=1
    )
    q.refresh_from_db()
    assert q.answer == "一"


def test_staff_who_are_not_interviewers_cannot_record(interview, staff):
    with pytest.raises(svc.InterviewRefused) as refused:
        save_answers(interview, {}, by=staff)
    assert refused.value.code == "forbidden"
    interview.interviewers.add(staff)
    assert save_answers(interview, {}, by=staff)


def test_a_follow_up_question_goes_where_it_was_asked(interview, coordinator):
    first, second = list(interview.questions.order_by("order"))[:2]
    new = svc.add_question(interview, "それはなぜですか？", by=coordinator, after=first.pk)
    order = list(interview.questions.order_by("order").values_list("pk", flat=True))
    assert order[:3] == [first.pk, new.pk, second.pk] and new.follow_up
    with pytest.raises(svc.InterviewRefused):
        svc.add_question(interview, "", by=coordinator)


def test_finishing_needs_an_answer(interview, coordinator):
    with pytest.raises(svc.InterviewRefused) as refused:
        svc.finish(interview, by=coordinator)
    assert refused.value.code == "empty"


def test_the_trainee_corrects_and_consents_and_the_record_is_kept(interview, coordinator, trainee):
    answered(interview, coordinator)
    first = interview.questions.order_by("order").first()
    data = consent_all(interview) | {f"answer-{first.pk}": "言い直した答え"}
    data[f"consent-{first.pk}"] = "no"
    review(interview, data, by=trainee)
    first.refresh_from_db()
    assert first.answer == "言い直した答え" and first.recorded_answer == "答え1"
    assert first.consent is False
    interview.refresh_from_db()
    assert interview.state == InterviewState.REVIEWED and interview.name_form == "family_san"


def test_review_needs_a_decision_for_every_answer_and_a_name_form(interview, coordinator, trainee):
    answered(interview, coordinator)
    data = consent_all(interview)
    data.pop(next(k for k in data if k.startswith("consent-")))
    data["name_form"] = "nickname"
    with pytest.raises(svc.InterviewRefused) as refused:
        review(interview, data, by=trainee)
    assert "name_form" in refused.value.errors
    assert any(k.startswith("consent-") for k in refused.value.errors)
    assert not InterviewQuestion.objects.filter(consent__isnull=False).exists()
    interview.refresh_from_db()
    assert interview.state == InterviewState.INTERVIEWED


def test_nobody_consents_for_someone_else(interview, coordinator, other_trainee, supervisor):
    answered(interview, coordinator)
    for person in (other_trainee, coordinator, supervisor):
        with pytest.raises(svc.InterviewRefused) as refused:
            review(interview, consent_all(interview), by=person)
        assert refused.value.code == "forbidden"


def test_only_a_supervisor_of_the_trainees_municipality_approves(
    interview, coordinator, trainee, supervisor, other_supervisor
):
    answered(interview, coordinator)
    review(interview, consent_all(interview), by=trainee)
    for person in (other_supervisor, coordinator, trainee):
        with pytest.raises(svc.InterviewRefused) as refused:
            svc.approve(interview, by=person)
        assert refused.value.code == "forbidden"
    svc.approve(interview, by=supervisor)
    interview.refresh_from_db()
    assert interview.state == InterviewState.APPROVED
    events = list(interview.events.values_list("state", "actor__email"))
    assert events[-1] == ("approved", supervisor.email)


def test_changes_requested_go_back_to_the_trainee_with_the_comment(
    interview, coordinator, trainee, supervisor
):
    answered(interview, coordinator)
    review(interview, consent_all(interview), by=trainee)
    with pytest.raises(svc.InterviewRefused):
        svc.request_changes(interview, "  ", by=supervisor)
    svc.request_changes(interview, "課名は出さないでください", by=supervisor)
    interview.refresh_from_db()
    assert interview.state == InterviewState.INTERVIEWED
    assert interview.supervisor_comment == "課名は出さないでください"
    review(interview, consent_all(interview), by=trainee)  # the trainee reviews again


def test_after_publication_nothing_changes(interview, coordinator, trainee, supervisor):
    answered(interview, coordinator)
    review(interview, consent_all(interview), by=trainee)
    svc.approve(interview, by=supervisor)
    with pytest.raises(svc.InterviewRefused):
        svc.publish(interview, by=supervisor)
    svc.publish(interview, by=coordinator)
    with pytest.raises(svc.InterviewRefused) as refused:
        svc.edit_article(interview, "新しい導入", "", by=coordinator)
    assert refused.value.code == "published"
    with pytest.raises(svc.InterviewRefused):
        save_answers(interview, {}, by=coordinator)
    with pytest.raises(svc.InterviewRefused):
        svc.add_question(interview, "追加", by=coordinator)
    with pytest.raises(svc.InterviewRefused):
        review(interview, consent_all(interview), by=trainee)


def test_a_second_click_does_not_move_twice(interview, coordinator):
    answered(interview, coordinator)
    with pytest.raises(svc.InterviewRefused) as refused:
        svc.finish(interview, by=coordinator)
    assert refused.value.code == "state"
    assert interview.events.filter(state="interviewed").count() == 1


def test_a_supervisor_elsewhere_sees_nothing(
    interview, other_supervisor, supervisor, coordinator, trainee
):
    assert not Interview.objects.visible_to(supervisor).exists()  # not reviewed yet
    answered(interview, coordinator)
    review(interview, consent_all(interview), by=trainee)
    assert Interview.objects.visible_to(supervisor).exists()
    assert not Interview.objects.visible_to(other_supervisor).exists()
    elsewhere = MembershipFactory(role=Role.STAFF).user  # staff of another host
    assert not Interview.objects.visible_to(elsewhere).exists()


def test_after_finishing_the_interviewers_no_longer_write(interview, coordinator, trainee):
    answered(interview, coordinator)
    q = interview.questions.first()
    with pytest.raises(svc.InterviewRefused) as refused:
        save_answers(interview, {f"answer-{q.pk}": "上書き"}, by=coordinator)
    assert refused.value.code == "locked"
    with pytest.raises(svc.InterviewRefused):
        svc.add_question(interview, "追加の質問", by=coordinator)
    q.refresh_from_db()
    assert q.answer == "答え1"


def test_the_approved_article_text_no_longer_changes(interview, coordinator, trainee, supervisor):
    answered(interview, coordinator)
    svc.edit_article(interview, "導入（修正）", "結び", by=coordinator)  # still allowed
    review(interview, consent_all(interview), by=trainee)
    svc.edit_article(interview, "導入（確認後）", "結び", by=coordinator)
    svc.approve(interview, by=supervisor)
    with pytest.raises(svc.InterviewRefused):
        svc.edit_article(interview, "承認後の書き換え", "", by=coordinator)
    interview.refresh_from_db()
    assert interview.introduction == "導入（確認後）"


def test_one_interview_per_trainee_and_program(interview, enrollment, coordinator, plan):
    plan.date = plan.date - timedelta(days=1)
    with pytest.raises(svc.InterviewRefused) as refused:
        svc.schedule(enrollment, plan, by=coordinator)
    assert refused.value.code == "twice"
    assert Interview.objects.count() == 1


def test_a_slot_deleted_in_the_week_is_replaced_when_rescheduling(
    interview, coordinator, plan, trainee
):
    from programs.services.week import cancel_activity

    old = interview.activity
    cancel_activity(old, by=coordinator)
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(trainee)
    assert (
        "インタビュー"
        not in client.get(reverse("programs:trainee_today")).content.decode().split("今日の予定")[0]
    )  # no reminder of a slot that is gone
    svc.reschedule(interview, plan, by=coordinator)
    interview.refresh_from_db()
    assert interview.activity.pk != old.pk and interview.activity.cancelled_at is None
    assert interview.owns_activity


def test_initials_need_the_reading_of_the_name(interview, coordinator, trainee):
    trainee.family_name_kana = trainee.given_name_kana = ""
    trainee.family_name, trainee.given_name = "田中", "翔"
    trainee.save()
    answered(interview, coordinator)
    with pytest.raises(svc.InterviewRefused) as refused:
        review(interview, consent_all(interview, name_form="initials"), by=trainee)
    assert "name_form" in refused.value.errors
