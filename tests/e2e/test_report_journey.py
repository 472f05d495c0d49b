"""A coordinator asks for the finished program's report in the browser and downloads the PDF;
the supervisor of one municipality builds and downloads their trainee's 研修報告書 and gets
404 on the other municipality's."""

import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from reports.models import ReportState
from reports.services import documents as services

from ..reports import world as w
from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(host, coordinator, trainee, other_trainee):
    built = w.build(host, coordinator, trainee, other_trainee)
    theirs = services.request_trainee_report(
        built.second, by=coordinator, today=timezone.localdate()
    )
    theirs.file.save("report.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    theirs.state = ReportState.DONE
    theirs.save()
    return built, theirs


def test_the_report_is_asked_for_built_and_downloaded(
    page, live_server, shoot, scene, coordinator, supervisor
):
    built, theirs = scene
    program = built.program
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, coordinator.email)
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    page.get_by_role("link", name="文書").click()
    expect(page.get_by_role("heading", name="文書")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"PDFを作成\s*：研修全体")).click()
    # The worker (eager in this test) has built it by the time the page answers.
    expect(page.get_by_text("作成済み", exact=True)).to_be_visible()
    shoot("report-status")
    with page.expect_download() as info:
        page.get_by_role("link", name="ダウンロード").first.click()
    download = info.value
    assert download.suggested_filename == "研修実施報告書_20261130_v1.pdf"
    text = "".join(w.pdf_text(download.path().read_bytes()).split())
    assert "研修実施報告書" in text and "令和8年11月30日" in text and "北見市" in text

    page.context.clear_cookies()
    log_in(page, live_server, supervisor.email)
    page.goto(f"{live_server.url}/programs/{program.pk}/documents/")
    name = built.first.trainee.display_name
    page.get_by_role("button", name=re.compile(rf"PDFを作成\s*：{name}")).click()
    expect(page.get_by_text("作成済み", exact=True)).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="ダウンロード").first.click()
    text = "".join(w.pdf_text(info.value.path().read_bytes()).split())
    assert "研修報告書" in text and "報告者田川市" in text
    assert built.second.trainee.display_name.replace(" ", "") not in text
    response = page.request.get(f"{live_server.url}/documents/{theirs.pk}/download/")
    assert response.status == 404
    page.goto(f"{live_server.url}/programs/{program.pk}/documents/")
    shoot("report-documents-supervisor")
    expect(page.get_by_text(built.second.trainee.display_name)).to_have_count(0)
