"""The municipality's contact in the browser: logs in and lands on the table of their
trainees, opens a trainee's page (the week, the reflections, the 旅費), and downloads the
trainee's 研修報告書 after acknowledging (確認) the text the trainee submitted.

A stored file stands for the built PDF: the worker that builds it has its own journey
(test_staff_and_supervisor_journey)."""

import re
from datetime import date

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from reports.models import Report, ReportKind, ReportState
from seminars.models import Expense, Trip
from trainees.models import DailyReflection, TrainingReport

from ..factories import add_activity, at, enrol
from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def contact_scene(program, trainee, other_trainee, tagawa, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    trainee.family_name, trainee.given_name = "田中", "一郎"
    trainee.save(update_fields=["family_name", "given_name"])
    ours, theirs = enrol(program, trainee), enrol(program, other_trainee)
    add_activity(program, program.start_date, "10:00", "12:00", "オリエンテーション")
    DailyReflection.objects.create(
        enrollment=ours,
        date=program.start_date,
        status="submitted",
        submitted_at=at(program.start_date, 20),
        learned="意思決定の速さに驚いた",
    )
    trip = Trip.objects.create(
        program=program,
        purpose="説明会の開催",
        start_date=date(2026, 12, 1),
        end_date=date(2026, 12, 2),
    )
    trip.trainees.add(ours)
    Expense.objects.create(
        trip=trip,
        enrollment=ours,
        kind="fare_rail",
        label="鉄道賃",
        amount=6620,
        payer="municipality",
    )
    TrainingReport.objects.create(
        enrollment=ours,
        impressions="ベンチャーの意思決定の速さを学んだ。",
        application="課内の会議を短くする。",
        status="submitted",
        submitted_at=at(program.start_date, 21),
    )
    report = Report(
        kind=ReportKind.TRAINEE,
        scope=f"enrollment:{ours.pk}",
        program=program,
        municipality=tagawa,
        enrollment=ours,
        state=ReportState.DONE,
        filename="研修報告書_田中一郎_v1.pdf",
    )
    report.file.save("report.pdf", ContentFile(b"%PDF-1.7\n%ours\n"), save=False)
    report.save()
    return ours, theirs


def test_the_contact_follows_a_trainee_and_downloads_their_report(
    page, live_server, shoot, supervisor, contact_scene
):
    _ours, theirs = contact_scene
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, supervisor.email)
    expect(page).to_have_url(re.compile(r"/municipality/$"))
    expect(page.get_by_role("heading", name="所属の研修生", exact=True)).to_be_visible()
    row = page.get_by_role("row", name=re.compile("田中 一郎"))
    expect(row).to_contain_text("6,620円")
    expect(page.locator("body")).not_to_contain_text(theirs.trainee.display_name)
    shoot("journey-contact-01-home")

    page.get_by_role("link", name="田中 一郎").click()
    expect(page.get_by_role("heading", name="田中 一郎", exact=True)).to_be_visible()
    expect(page.get_by_text("意思決定の速さに驚いた")).to_be_visible()
    expect(page.get_by_text("オリエンテーション")).to_be_visible()
    shoot("journey-contact-02-trainee")

    block = page.locator("#training-report")
    expect(block).to_contain_text("自治体確認待ち")
    block.get_by_role("button", name="確認する").click()
    block = page.locator("#training-report")
    expect(block).to_contain_text("自治体確認済み")
    expect(block.get_by_role("button", name="確認する")).to_have_count(0)
    shoot("journey-contact-03-confirmed")
    assert TrainingReport.objects.get(enrollment=_ours).municipality_confirmed_by == supervisor

    with page.expect_download() as info:
        page.locator("#documents").get_by_role("link", name=re.compile("ダウンロード")).click()
    assert info.value.suggested_filename == "研修報告書_田中一郎_v1.pdf"
    assert info.value.path().read_bytes().startswith(b"%PDF")

    page.get_by_role("navigation", name="メイン").get_by_role("link", name="報告書").click()
    expect(page.get_by_role("heading", name="報告書", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("ダウンロード"))).to_have_count(1)
    shoot("journey-contact-04-documents")
