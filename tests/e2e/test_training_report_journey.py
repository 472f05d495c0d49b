"""The 研修報告書 in the browser: after the program's last day the trainee (on a 390px phone)
goes from "today" to their report, finds a first draft from their own reflection, rewrites it
(saved as they type, kept on the device while offline and sent once back online), submits
it; the contact of their municipality opens it and confirms it (確認する); both then read
自治体確認済み with who and when."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from trainees.models import DailyReflection, ReflectionStatus, TrainingReport

from ..factories import at, enrol
from ..trainees.test_training_reports import ended_program
from .conftest import log_in
from .test_reflection_journey import autosave_responses, shoot_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}


@pytest.fixture
def scene(host, coordinator, trainee, supervisor):
    program = ended_program(host, timezone.localdate(), "ITベンチャー研修（報告書）")
    enrollment = enrol(program, trainee)
    DailyReflection.objects.create(
        enrollment=enrollment,
        date=program.start_date,
        learned="仕事を細かく切り出すと、場所に関係なく人が集まる。",
        felt="決裁を待たずに、その場で決まっていく速さに驚いた。",
        status=ReflectionStatus.SUBMITTED,
        submitted_at=at(program.start_date + timedelta(days=0), 20),
    )
    return {"program": program, "enrollment": enrollment}


def test_the_trainee_writes_and_submits_and_the_contact_confirms(
    browser, live_server, scene, trainee, supervisor, coordinator
):
    enrollment = scene["enrollment"]
    url = reverse("trainees:training_report_write", args=[enrollment.pk])
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    log_in(page, live_server, trainee.email)
    page.goto(f"{live_server.url}/today/")
    page.get_by_role("link", name="研修報告書を書く").click()
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    impressions = page.get_by_label("所感")
    expect(impressions).to_have_value(re.compile("場所に関係なく人が集まる"))
    shoot_page(page, "training-report-draft-390")
    saves = autosave_responses(page, url)

    status = page.locator("#save-status")
    impressions.fill("")
    impressions.press_sequentially("一週間で、働く＝出勤ではないと気づいた。", delay=10)
    expect(status).to_contain_text("保存しました", timeout=10_000)
    assert TrainingReport.objects.get().impressions == "一週間で、働く＝出勤ではないと気づいた。"

    phone.set_offline(True)
    application = page.get_by_label("今後の業務への活用")
    application.press_sequentially("企画課の業務を一件、外部に頼んでみる。", delay=10)
    expect(status).to_contain_text("オフライン", timeout=10_000)
    assert "外部に頼んでみる" in page.evaluate("Object.values(localStorage).join('')")
    before = len(saves)
    phone.set_offline(False)
    expect(status).to_contain_text("保存しました", timeout=15_000)
    page.wait_for_timeout(2_000)
    assert saves[before:] == [200]
    assert TrainingReport.objects.get().application == "企画課の業務を一件、外部に頼んでみる。"
    shoot_page(page, "training-report-saved-390")

    page.get_by_role("button", name="提出する").click()
    expect(page.get_by_text("研修報告書を提出しました。")).to_be_visible()
    expect(page.get_by_text("自治体確認待ち")).to_be_visible()
    shoot_page(page, "training-report-submitted-390")
    report = TrainingReport.objects.get()
    assert report.status == "submitted"

    # The contact of 田川市 opens it and confirms it.
    desk = browser.new_context(viewport=DESK)
    office = desk.new_page()
    log_in(office, live_server, supervisor.email)
    office.goto(f"{live_server.url}{reverse('trainees:training_report_detail', args=[report.pk])}")
    expect(office.get_by_text("企画課の業務を一件、外部に頼んでみる。")).to_be_visible()
    shoot_page(office, "training-report-contact-desktop")
    office.get_by_role("button", name="確認する").click()
    expect(office.get_by_text("確認しました。")).to_be_visible()
    label = re.compile(r"自治体確認済み（\d+月\d+日 " + re.escape(supervisor.display_name) + "）")
    expect(office.get_by_text(label)).to_be_visible()
    shoot_page(office, "training-report-confirmed-desktop")
    desk.close()

    page.reload()
    expect(page.get_by_text(label)).to_be_visible()
    page.set_viewport_size(DESK)
    shoot_page(page, "training-report-trainee-desktop")
    phone.close()
