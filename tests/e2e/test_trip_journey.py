"""A coordinator plans a trip from nothing in the browser; its legs and seminar appear in
the week without retyping; a trainee on a phone opens their itinerary and writes their trip
report (復命書)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from seminars.models import Trip, TripReport

from ..factories import MunicipalityFactory, ProgramFactory, enrol
from . import steps
from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def scene(host, coordinator, staff, registered):
    """A program running now (yesterday and today are the trip's days) with one trainee; its
    week is empty: the trip is planned from nothing."""
    today = timezone.localdate()
    program = ProgramFactory(
        host=host,
        title="ITベンチャー研修（出張）",
        start_date=today - timedelta(days=2),
        end_date=today + timedelta(days=2),
    )
    enrol(program, registered)
    MunicipalityFactory(code="203831", name="箕輪町", prefecture=20)
    MunicipalityFactory(code="202029", name="松本市", prefecture=20)
    return {"program": program, "trainee": registered, "first": today - timedelta(days=1)}


def test_a_trip_from_nothing_to_the_trainees_trip_report(
    page, browser, live_server, shoot, scene, coordinator, staff
):
    program, trainee, first = scene["program"], scene["trainee"], scene["first"]
    last = first + timedelta(days=1)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, coordinator.email)

    # 1. The trip: from the program's page.
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    page.get_by_role("link", name="出張とセミナー").click()
    page.get_by_role("link", name="出張を計画").first.click()
    page.get_by_label("用務").fill("地域ワーカー向け説明会・企業向けセミナーの開催")
    page.get_by_label("出発日").fill(first.isoformat())
    page.get_by_label("帰着日").fill(last.isoformat())
    page.get_by_label("行先（自治体）").fill("みのわまち")  # typed as it is read
    page.get_by_role("option", name="長野県 箕輪町（203831）").click()
    page.get_by_label("その他の行先").fill("東京（乗継）")
    page.get_by_label(trainee.display_name).check()
    page.get_by_label(staff.display_name).check()
    page.get_by_label("宿泊", exact=True).fill("伊那市内のビジネスホテル（1泊）")
    page.get_by_label("1人1泊の宿泊費（実費・円）").fill("12,000")
    page.get_by_role("button", name="出張を保存").click()
    expect(
        page.get_by_text("出張を保存しました。区間とセミナーを追加してください。")
    ).to_be_visible()
    trip = Trip.objects.get(program=program)

    # 2. Legs. The second overlaps the first: the message stands next to the field, the
    #    typed values stay, nothing is saved; corrected, it is saved.
    def leg(mode, origin, destination, depart, arrive, service, fare):
        page.get_by_role("link", name="区間を追加").click()
        page.get_by_label("交通手段").select_option(label=mode)
        page.get_by_label("出発地").fill(origin)
        page.get_by_label("到着地").fill(destination)
        page.get_by_label("出発", exact=True).fill(f"{first.isoformat()}T{depart}")
        page.get_by_label("到着", exact=True).fill(f"{first.isoformat()}T{arrive}")
        page.get_by_label("列車名・便名").fill(service)
        page.get_by_label("1人あたり運賃（円）").fill(fare)
        page.get_by_role("button", name="区間を保存").click()

    leg("飛行機", "福岡空港", "羽田空港", "07:00", "08:40", "JAL 304", "38,000")
    expect(page.get_by_text("区間を保存しました。")).to_be_visible()
    leg("在来線", "羽田空港", "新宿", "08:30", "09:10", "京急線・JR山手線", "520")
    error = page.locator("#id_depart_at_error")
    expect(error).to_contain_text("同時に2つの区間")
    expect(page.get_by_label("列車名・便名")).to_have_value("京急線・JR山手線")
    shoot("trip-01-overlapping-leg")
    assert trip.legs.count() == 1
    page.get_by_label("出発", exact=True).fill(f"{first.isoformat()}T08:55")
    page.get_by_label("到着", exact=True).fill(f"{first.isoformat()}T09:35")
    page.get_by_role("button", name="区間を保存").click()
    expect(page.get_by_text("区間を保存しました。")).to_be_visible()
    assert trip.legs.count() == 2

    # 3. A seminar on the trip.
    steps.add_worker_briefing(
        page,
        "地域チーム初心者ワーカー向け説明会",
        first.isoformat(),
        "13:30",
        "15:00",
        partner="箕輪町 地域のワーカーチーム",
    )
    page.goto(f"{live_server.url}/programs/{program.pk}/trips/{trip.pk}/")
    expect(page.get_by_role("cell", name="38,000円").first).to_be_visible()
    shoot("trip-02-trip-page")
    # The lines one by one, on their own page, computed under the payers' rules (no rules
    # set: the revised national set, lodging capped at the starting ceiling and flagged);
    # a changed typed line comes back to it.
    page.get_by_role("link", name="明細 12行をすべて見る").click()
    expect(page.get_by_role("heading", name="旅費の明細")).to_be_visible()
    expect(page.get_by_role("cell", name="38,000円")).to_have_count(3)
    expect(page.get_by_text("上限超過")).to_have_count(3)
    shoot("trip-02b-expense-lines")
    from seminars.services import expenses as expense_services

    expense_services.save_expense(
        trip,
        expense_services.ExpensePlan(f"s{staff.pk}", "other", 1200, "host", "資料印刷"),
        by=coordinator,
    )
    page.reload()
    page.get_by_role("link", name="その他").first.click()
    page.get_by_role("button", name="旅費を保存").click()
    expect(page.get_by_text("旅費を保存しました。")).to_be_visible()
    expect(page.get_by_role("heading", name="旅費の明細")).to_be_visible()

    # 4. The week shows them without retyping; a click leads back to the trip.
    page.goto(f"{live_server.url}/programs/{program.pk}/week/")
    grid = page.locator(".week-grid")
    expect(grid.get_by_text("移動：福岡空港 → 羽田空港（JAL 304）")).to_be_visible()
    expect(grid.get_by_text("地域チーム初心者ワーカー向け説明会")).to_be_visible()
    shoot("trip-03-week")
    grid.get_by_text("移動：福岡空港 → 羽田空港（JAL 304）").click()
    page.wait_for_url(f"**/trips/{trip.pk}/")

    # 5. The trainee, on a phone: today → the trip → the itinerary → the trip report.
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = context.new_page()
    log_in(phone, live_server, trainee.email)
    phone.goto(f"{live_server.url}/today/")
    phone.get_by_role("link", name="復命書：地域ワーカー向け説明会・企業向けセミナーの開催").click()
    expect(phone.get_by_role("heading", name="復命書")).to_be_visible()
    phone.get_by_role("link", name="地域ワーカー向け説明会・企業向けセミナーの開催").click()
    phone.get_by_role("link", name="自分の行程表").click()
    expect(phone.get_by_text(trainee.display_name).first).to_be_visible()
    expect(phone.get_by_text(staff.display_name)).to_have_count(0)
    # On a phone the legs are cards (the A4 table is for printing).
    expect(phone.get_by_role("heading", name="羽田空港 → 新宿")).to_be_visible()
    expect(phone.get_by_role("link", name="地図：新宿")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=str(_shot("trip-04-phone-itinerary")), full_page=True)
    phone.go_back()
    phone.get_by_role("link", name="自分の復命書").click()
    expect(
        phone.get_by_text("地域ワーカー向け説明会・企業向けセミナーの開催").first
    ).to_be_visible()
    phone.get_by_label("内容").fill("説明会の受付と進行を補助した。")
    phone.get_by_role("button", name="提出").click()
    expect(phone.locator("#id_impressions_error")).to_contain_text("提出する前に")
    expect(phone.get_by_label("内容")).to_have_value("説明会の受付と進行を補助した。")
    phone.get_by_label("所感").fill("仕事を小さく切り出すと担い手が広がると実感した。")
    phone.get_by_label("今後の業務への活用").fill("課内の定型業務を洗い出して試行を提案する。")
    phone.get_by_role("button", name="提出").click()
    expect(phone.get_by_text("復命書を提出しました。")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=str(_shot("trip-05-phone-trip-report")), full_page=True)
    context.close()
    report = TripReport.objects.get(trip=trip)
    assert (report.status, report.header["purpose"]) == ("submitted", trip.purpose)

    # 6. The coordinator reads and acknowledges it.
    page.goto(f"{live_server.url}/programs/{program.pk}/trips/{trip.pk}/")
    page.get_by_role("link", name=trainee.display_name).last.click()
    page.once("dialog", lambda dialog: dialog.accept())  # "the trainee can no longer change it"
    page.get_by_role("button", name="確認済みにする").click()
    expect(page.get_by_text("確認しました。")).to_be_visible()


def _shot(name):
    from .conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
