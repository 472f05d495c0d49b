"""The trainee's 研修報告書: closed until the program's last day has passed, a first draft from
the trainee's own submitted text only, saved as they type (once per change, a replaced draft
kept), submitted once (then it no longer changes), confirmed by the contact of the trainee's
municipality and nobody else; the pages' scope."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programs import registry
from seminars.services import trip_reports as trip_report_services
from seminars.services import trips as trip_services
from trainees.models import (
    DailyReflection,
    ReflectionStatus,
    TrainingReport,
    TrainingReportDraft,
    TrainingReportStatus,
)
from trainees.services import training_reports as svc
from trainees.services.training_reports import TrainingReportRefused

from ..factories import ProgramFactory, add_activity, at, enrol
from .conftest import running_program

pytestmark = pytest.mark.django_db

TEXT = {"impressions": "場所に縛られない働き方を知った。", "application": "庁内で一件試す。"}


def ended_program(host, today, title="ITベンチャー研修（終了）"):
    """Five days that ended the day before yesterday, an activity on each."""
    program = ProgramFactory(
        host=host,
        title=title,
        start_date=today - timedelta(days=6),
        end_date=today - timedelta(days=2),
        status="completed",
    )
    for offset in range(5):
        add_activity(program, program.start_date + timedelta(days=offset), "10:00", "12:00")
    return program


@pytest.fixture
def ended(host, coordinator, today):
    return ended_program(host, today)


@pytest.fixture
def mine(ended, trainee, staff):
    enrollment = enrol(ended, trainee)
    enrollment.mentor = staff
    enrollment.save(update_fields=["mentor"])
    return enrollment


def write_url(enrollment):
    return reverse("trainees:training_report_write", args=[enrollment.pk])


def autosave(client, enrollment, data, *, seq, client_id="page-1", base=""):
    return client.post(
        write_url(enrollment),
        data | {"client_id": client_id, "client_seq": seq, "base_revision": base},
        headers={"X-Kenshu-Autosave": "1"},
    )


def submitted(enrollment, text=TEXT):
    return svc.submit(enrollment, text, by=enrollment.trainee, now=timezone.now()).report


def test_before_the_last_day_has_passed_the_page_says_when_it_opens(
    client, host, coordinator, trainee, today
):
    running = enrol(running_program(host, "ITベンチャー研修（実施中）", today), trainee)
    client.force_login(trainee)
    page = client.get(write_url(running)).content.decode()
    opens = running.program.end_date + timedelta(days=1)
    assert f"{opens.year}年{opens.month}月{opens.day}日" in page
    assert "<textarea" not in page
    response = autosave(client, running, TEXT, seq=1)
    assert response.status_code == 400 and response.json()["code"] == "not_open"
    # On the last day it is still closed; the day after, it opens (the caller's day).
    assert not svc.is_open(running, running.program.end_date)
    assert svc.is_open(running, opens)
    assert not TrainingReport.objects.exists()


def test_the_first_draft_is_made_from_the_trainees_own_submitted_text_only(
    client, ended, mine, trainee, other_trainee, coordinator, today
):
    day1, day2 = ended.start_date, ended.start_date + timedelta(days=1)
    DailyReflection.objects.create(
        enrollment=mine,
        date=day1,
        learned="仕事を切り出すと人が集まる",
        felt="決定の速さに驚いた",
        status=ReflectionStatus.SUBMITTED,
        submitted_at=at(day1, 20),
    )
    DailyReflection.objects.create(
        enrollment=mine, date=day2, learned="まだ誰にも見せていない下書き"
    )
    other = enrol(ended, other_trainee)
    DailyReflection.objects.create(
        enrollment=other,
        date=day1,
        learned="別の研修生の学び",
        status=ReflectionStatus.SUBMITTED,
        submitted_at=at(day1, 20),
    )
    trip = trip_services.save_trip(
        ended,
        trip_services.TripPlan(
            purpose="箕輪町の説明会",
            start_date=day2,
            end_date=day2,
            trainees=[mine, other],
            staff=[],
        ),
        by=coordinator,
    )
    for enrollment, words in ((mine, "自分の所感"), (other, "他人の所感")):
        report = trip_report_services.report_for(trip, enrollment)
        trip_report_services.submit(
            report,
            trip_report_services.ReportText(
                content="内容", impressions=words, application=f"{words}から活用"
            ),
            by=enrollment.trainee,
        )
    client.force_login(trainee)
    page = client.get(write_url(mine)).content.decode()
    assert "仕事を切り出すと人が集まる" in page and "決定の速さに驚いた" in page
    assert "自分の所感" in page and "自分の所感から活用" in page
    assert "箕輪町の説明会" in page
    for foreign in ("まだ誰にも見せていない下書き", "別の研修生の学び", "他人の所感"):
        assert foreign not in page
    assert not TrainingReport.objects.exists()  # the GET wrote nothing
    draft = svc.first_draft(mine)
    assert draft["impressions"].index("仕事を切り出す") < draft["impressions"].index("自分の所感")
    assert [w.title for w in registry.own_writing(mine)] == ["復命書（箕輪町の説明会）"]


def test_autosave_answers_json_applies_each_change_once_and_keeps_a_replaced_draft(
    client, mine, trainee
):
    client.force_login(trainee)
    first = autosave(client, mine, TEXT, seq=1)
    assert first.status_code == 200
    body = first.json()
    assert body["ok"] and body["applied"] and body["revision"] == 1
    assert "保存しました" in body["message"]
    repeat = autosave(client, mine, {**TEXT, "impressions": "古い文"}, seq=1)
    assert repeat.json()["applied"] is False
    assert TrainingReport.objects.get().impressions == TEXT["impressions"]
    # Another device that had not seen revision 1 replaces it: the replaced text is kept.
    other = autosave(
        client, mine, {**TEXT, "impressions": "別の端末"}, seq=1, client_id="b", base=0
    )
    assert other.json()["revision"] == 2
    kept = TrainingReportDraft.objects.get()
    assert kept.content["impressions"] == TEXT["impressions"]
    assert "別の端末" in client.get(write_url(mine)).content.decode()
    too_long = autosave(client, mine, {**TEXT, "application": "あ" * 4001}, seq=2)
    assert too_long.status_code == 400 and "application" in too_long.json()["errors"]


def test_submitting_needs_both_parts_and_then_the_report_no_longer_changes(client, mine, trainee):
    client.force_login(trainee)
    refused = client.post(write_url(mine), {"impressions": "所感だけ", "action": "submit"})
    assert refused.status_code == 400
    assert "提出する前に" in refused.content.decode()
    response = client.post(write_url(mine), TEXT | {"action": "submit"})
    assert response.status_code == 302
    report = TrainingReport.objects.get()
    assert report.status == TrainingReportStatus.SUBMITTED and report.submitted_at
    assert report.content() == TEXT
    page = client.get(write_url(mine)).content.decode()
    assert "提出済み" in page and "自治体確認待ち" in page and "<textarea" not in page
    late = autosave(client, mine, {**TEXT, "impressions": "後から"}, seq=9, client_id="z")
    assert late.status_code == 409
    again = client.post(write_url(mine), {**TEXT, "impressions": "後から", "action": "submit"})
    assert again.status_code == 302
    assert TrainingReport.objects.get().impressions == TEXT["impressions"]


def test_only_the_trainee_writes_and_the_pages_keep_to_their_readers(
    client, mine, trainee, other_trainee, coordinator, supervisor, other_supervisor, staff
):
    url = write_url(mine)
    assert client.get(url).status_code == 302 and "/login/" in client.get(url)["Location"]
    for person in (other_trainee, coordinator, supervisor):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert autosave(client, mine, TEXT, seq=1).status_code == 404
    with pytest.raises(TrainingReportRefused):
        svc.save_draft(mine, TEXT, by=coordinator, today=timezone.localdate())
    svc.save_draft(mine, TEXT, by=trainee, today=timezone.localdate())
    detail = reverse("trainees:training_report_detail", args=[TrainingReport.objects.get().pk])
    # A draft stays with its author.
    for person in (coordinator, supervisor, staff):
        client.force_login(person)
        assert client.get(detail).status_code == 404
    submitted(mine)
    for person in (coordinator, supervisor, staff, trainee):
        client.force_login(person)
        page = client.get(detail)
        assert page.status_code == 200 and TEXT["impressions"] in page.content.decode()
    for person in (other_trainee, other_supervisor):
        client.force_login(person)
        assert client.get(detail).status_code == 404
    client.logout()
    assert "/login/" in client.get(detail)["Location"]


def test_the_contact_confirms_and_everyone_who_reads_it_sees_who_and_when(
    client, mine, trainee, coordinator, supervisor, other_supervisor
):
    report = submitted(mine)
    detail = reverse("trainees:training_report_detail", args=[report.pk])
    confirm = reverse("trainees:training_report_confirm", args=[report.pk])
    client.force_login(supervisor)
    page = client.get(detail).content.decode()
    assert "自治体確認待ち" in page and "確認する" in page
    client.force_login(coordinator)
    assert "確認する" not in client.get(detail).content.decode()
    assert client.post(confirm).status_code == 403
    client.force_login(trainee)
    assert client.post(confirm).status_code == 403
    client.force_login(other_supervisor)
    assert client.post(confirm).status_code == 404
    client.logout()
    assert "/login/" in client.post(confirm)["Location"]
    assert TrainingReport.objects.get().municipality_confirmed_at is None
    client.force_login(supervisor)
    assert client.post(confirm).status_code == 302
    report.refresh_from_db()
    assert report.municipality_confirmed_by == supervisor
    moment = timezone.localtime(report.municipality_confirmed_at)
    label = f"自治体確認済み（{moment.month}月{moment.day}日 {supervisor.display_name}）"
    for person, url in ((coordinator, detail), (trainee, detail), (trainee, write_url(mine))):
        client.force_login(person)
        assert label in client.get(url).content.decode()
    # A second confirmation changes nothing.
    again = svc.confirm(report, by=supervisor, now=report.municipality_confirmed_at + timedelta(1))
    assert again.municipality_confirmed_at == report.municipality_confirmed_at


def test_a_draft_cannot_be_confirmed(mine, trainee, supervisor):
    svc.save_draft(mine, TEXT, by=trainee, today=timezone.localdate())
    with pytest.raises(TrainingReportRefused) as refused:
        svc.confirm(TrainingReport.objects.get(), by=supervisor, now=timezone.now())
    assert refused.value.code == "draft"


def test_the_trainees_today_and_program_pages_link_to_it_until_it_is_submitted(
    client, ended, mine, trainee
):
    client.force_login(trainee)
    items = registry.due_for(trainee, timezone.now())
    assert [i.url for i in items if i.kind == "training_report"] == [write_url(mine)]
    program_page = client.get(reverse("programs:program_detail", args=[ended.pk]))
    assert write_url(mine) in program_page.content.decode()
    submitted(mine)
    items = registry.due_for(trainee, timezone.now())
    assert not [i for i in items if i.kind == "training_report"]


def test_the_demo_has_one_report_confirmed_one_waiting_and_the_running_ones_closed():
    from django.core.management import call_command

    from programs.models import Program

    call_command("seed_demo")
    call_command("seed_demo")  # a second run adds nothing
    past = Program.objects.get(title="ITベンチャー研修（前回・田川市）")
    states = {
        r.enrollment.trainee.email: (r.status, r.municipality_confirmed_by_id is not None)
        for r in TrainingReport.objects.select_related("enrollment__trainee")
    }
    assert states == {
        "trainee1@example.com": ("submitted", True),
        "trainee2@example.com": ("submitted", False),
    }
    assert all(r.enrollment.program_id == past.pk for r in TrainingReport.objects.all())
    current = Program.objects.get(title="ITベンチャー研修（田川市・デモ）")
    running = current.enrollments.first()
    assert not svc.is_open(running, timezone.localdate())
