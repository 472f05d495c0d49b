"""The coordinator's journey, whole, against a live server and a real Celery worker: a program
from the week template, two trainees from a roster file, an activity moved in the week grid
and a clash refused, the program published, a trip with its itinerary and one seminar, and
the end-of-program report asked for, built by the worker and downloaded as a PDF.

Needs PostgreSQL and Redis (the worker is a separate process): CI runs it on both."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from seminars.models import Trip

from ..factories import MunicipalityFactory, ProgramFactory, add_activity, enrol
from ..reports.world import pdf_fonts, pdf_text
from . import steps
from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def builtin_template(db):
    """The built-in week template comes from a data migration that an earlier transactional
    test's flush removed: run its function again."""
    import importlib

    from django.apps import apps

    importlib.import_module("programs.migrations.0003_builtin_week_template").create(apps, None)


@pytest.fixture
def scene(registered, other_host):
    """The registered trainee is also in another host's program at lunchtime on day 1."""
    elsewhere = ProgramFactory(
        host=other_host,
        title="他社の研修",
        start_date=date(2027, 1, 18),  # a week with no holiday (1/11 is 成人の日)
        end_date=date(2027, 1, 22),
    )
    enrol(elsewhere, registered)
    add_activity(elsewhere, date(2027, 1, 18), "12:00", "12:45", "昼の打ち合わせ")
    MunicipalityFactory(code="203831", name="箕輪町", prefecture=20)
    return {"trainee": registered}


def test_the_coordinators_journey_to_the_report_pdf(
    page, live_server, shoot, scene, coordinator, tmp_path, live_worker
):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, coordinator.email)

    # 1–3. The program from the template, the roster, the week.
    program = steps.program_from_template(
        page, live_server, shoot, "ITベンチャー研修 1月（通し）", "2027-01-18", "2027-01-22"
    )
    steps.enrol_from_roster(page, live_server, shoot, program, scene["trainee"].email, tmp_path)
    steps.move_then_clash(page, live_server, shoot, program)

    # 4. Published: the trainees see it from now on.
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    steps.publish_through_the_checklist(page)
    expect(page.get_by_role("link", name="公開する")).to_have_count(0)
    shoot("journey-coordinator-05-published")

    # 5. A trip on day 2 with its itinerary (a leg before the week's first slot) and a
    #    seminar (in the gap at midday); every trainee and the coordinator go.
    page.get_by_role("link", name="出張とセミナー").click()
    page.get_by_role("link", name="出張を計画").first.click()
    page.get_by_label("用務").fill("地域ワーカー向け説明会の開催（箕輪町）")
    page.get_by_label("出発日").fill("2027-01-19")
    page.get_by_label("帰着日").fill("2027-01-19")
    page.get_by_label("行先（自治体）").fill("みのわまち")  # typed as it is read
    page.get_by_role("option", name="長野県 箕輪町（203831）").click()
    page.get_by_role("button", name="出張を保存").click()
    expect(page.get_by_text("出張を保存しました。")).to_be_visible()
    trip = Trip.objects.get(program=program)
    # Planned from the week's placeholders, the trip goes on to its legs as a table; this
    # leg leaves before the template's move, so it is added on its own form.
    expect(page.get_by_role("heading", name="行程")).to_be_visible()
    page.locator(".breadcrumb").get_by_role(
        "link", name="地域ワーカー向け説明会の開催（箕輪町）"
    ).click()
    page.get_by_role("link", name="区間を追加").click()
    page.get_by_label("交通手段").select_option(label="在来線")
    page.get_by_label("出発地").fill("本社")
    page.get_by_label("到着地").fill("伊那松島")
    page.get_by_label("出発", exact=True).fill("2027-01-19T06:00")
    page.get_by_label("到着", exact=True).fill("2027-01-19T07:20")
    page.get_by_label("列車名・便名").fill("飯田線")
    page.get_by_label("1人あたり運賃（円）").fill("1,980")
    page.get_by_role("button", name="区間を保存").click()
    expect(page.get_by_text("区間を保存しました。")).to_be_visible()
    steps.add_worker_briefing(page, "初心者ワーカー向けミニ説明会", "2027-01-19", "11:40", "12:50")
    page.goto(f"{live_server.url}/programs/{program.pk}/trips/{trip.pk}/")
    page.get_by_role("link", name=re.compile("行程表")).first.click()
    # At 1280 px the itinerary is its A4 table (the cards are for a phone).
    expect(page.locator("table").get_by_text("本社 → 伊那松島").first).to_be_visible()
    expect(page.locator("table").get_by_text("初心者ワーカー向けミニ説明会").first).to_be_visible()
    shoot("journey-coordinator-06-itinerary")

    # 6. The end-of-program report: asked for in the browser, built by the worker process,
    #    downloaded.
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    page.get_by_role("link", name="文書").click()
    page.get_by_role("button", name=re.compile(r"PDFを作成\s*：研修全体")).click()
    expect(page.get_by_text("作成済み", exact=True)).to_be_visible(
        timeout=120_000
    )  # the page refreshes itself
    shoot("journey-coordinator-07-report-ready")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("ダウンロード")).first.click()
    pdf = info.value.path().read_bytes()
    text = "".join(pdf_text(pdf).split())
    assert info.value.suggested_filename == "研修実施報告書_20270118_v1.pdf"
    for expected in (
        "研修実施報告書",
        "ITベンチャー研修1月（通し）",
        "令和9年1月18日",
        "田川市",
        "地域ワーカー向け説明会の開催（箕輪町）",
        "初心者ワーカー向けミニ説明会",
        scene["trainee"].display_name.replace(" ", ""),
    ):
        assert expected in text, expected
    assert all(pdf_fonts(pdf).values())
