"""The trainee's phone on the train (360×740): 今日 opened online keeps the trainee's pages;
offline, the week, the itinerary, the trip's page and the reflection open from the phone with
a banner saying how old they are, and a page never kept shows the offline page. Logging out
deletes them: another trainee signing in on the same phone gets none of the first one's pages.
Chromium finds the app installable (manifest, icons, service worker)."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from seminars.services import legs, trips

from ..factories import enrol
from ..trainees.conftest import running_program, write_url
from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
BANNER = re.compile(r"^オフライン：\d{1,2}/\d{1,2} \d\d:\d\d の内容を表示しています$")
PAGE_CACHES = "() => caches.keys().then(names => names.filter(n => n.startsWith('kenshu-pages-')))"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True}


@pytest.fixture
def scene(host, coordinator, trainee):
    today = timezone.localdate()
    program = running_program(host, "ITベンチャー研修（オフライン）", today)
    enrollment = enrol(program, trainee)
    trip = trips.save_trip(
        program,
        trips.TripPlan(
            purpose="松本市での商工会議所セミナー",
            start_date=today,
            end_date=today + timedelta(days=1),
            trainees=[enrollment],
            staff=[],
            lodging="松本市内のホテル",
            places="松本",
        ),
        by=coordinator,
    )
    legs.save_leg(
        trip,
        legs.LegPlan(
            mode="rail",
            origin_place="新宿",
            destination="松本",
            depart_at=timezone.make_aware(datetime.combine(today, time(7, 0))),
            arrive_at=timezone.make_aware(datetime.combine(today, time(9, 40))),
            service="あずさ1号",
            fare=6620,
        ),
        by=coordinator,
    )
    return {"program": program, "enrollment": enrollment, "trip": trip, "today": today}


def wait_until_kept(page):
    """The worker controls the page and has kept what 今日 links (it answers "kept")."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15_000)
    page.wait_for_function("() => document.documentElement.dataset.offlineKept", timeout=15_000)


def expect_kept_copy(page):
    banner = page.locator(".offline-banner")
    expect(banner).to_have_text(BANNER)
    assert page.locator("html").get_attribute("data-kenshu-kept-at")


def installability(page) -> list[str]:
    """Chromium's reasons not to install the page's app (none: installable), once it has
    read the manifest without error."""
    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/manifest.webmanifest")
    assert manifest["errors"] == [], manifest["errors"]
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    return [error["errorId"] for error in errors]


def test_chromium_finds_the_app_installable(
    browser_type, browser_type_launch_args, live_server, tmp_path, trainee
):
    """In a profile on disk, as on a phone (a test's usual context is incognito, where
    Chromium installs nothing): signed in, on 今日, with the worker running."""
    context = browser_type.launch_persistent_context(
        tmp_path / "profile", **browser_type_launch_args, viewport=PHONE, is_mobile=True
    )
    try:
        page = context.new_page()
        log_in(page, live_server, trainee.email)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        assert installability(page) == []
    finally:
        context.close()


def test_pages_kept_on_the_phone_open_offline_and_go_when_logging_out(
    page, live_server, scene, trainee, other_trainee, shoot
):
    assert live_server.url.startswith(("http://localhost:", "http://127.0.0.1:"))  # secure
    trip = scene["trip"]
    itinerary = reverse("reports:itinerary_print", args=[trip.program_id, trip.pk])
    trip_page = reverse("seminars:trip_detail", args=[trip.program_id, trip.pk])
    context = page.context

    # Online: 今日, and the worker keeps the pages it links.
    log_in(page, live_server, trainee.email)
    expect(page).to_have_url(re.compile(r"/today/$"))
    wait_until_kept(page)
    assert int(page.locator("html").get_attribute("data-offline-kept")) >= 6
    assert len(page.evaluate(PAGE_CACHES)) == 1
    expect(page.locator(".offline-banner")).to_have_count(0)  # online: the page itself
    shoot("pwa-today-360")

    # Chromium reads the manifest without error; that it would install it is asked in a
    # profile of its own (below): this context, like every test's, is incognito.
    assert installability(page) == ["in-incognito"]

    # The train enters a tunnel.
    context.set_offline(True)
    page.locator("#content").get_by_role("link", name="今週の予定").click()
    expect(page.get_by_role("heading", name="今週の予定")).to_be_visible()
    expect(page.get_by_text("あずさ1号").first).to_be_visible()
    expect_kept_copy(page)
    shoot("pwa-offline-week-360")

    # The installed app's start page, then the itinerary, the trip's page and the reflection.
    page.goto(f"{live_server.url}/today/?source=pwa")
    expect_kept_copy(page)
    page.get_by_role("link", name="行程表：松本市での商工会議所セミナー").click()
    expect(page).to_have_url(re.compile(re.escape(itinerary) + "$"))
    expect(page.get_by_text("あずさ1号").first).to_be_visible()
    expect_kept_copy(page)
    shoot("pwa-offline-itinerary-360")

    page.goto(f"{live_server.url}/today/")
    page.get_by_role("link", name="出張：松本市での商工会議所セミナー").click()
    expect(page).to_have_url(re.compile(re.escape(trip_page) + "$"))
    expect(page.get_by_role("heading", name="松本市での商工会議所セミナー")).to_be_visible()
    expect_kept_copy(page)

    page.goto(f"{live_server.url}/today/")
    page.get_by_role("link", name="今日の振り返り").click()
    expect(page).to_have_url(re.compile(re.escape(write_url(scene["enrollment"], scene["today"]))))
    expect(page.get_by_label("今日やったこと")).to_be_visible()
    expect_kept_copy(page)

    # A page never kept: the offline page, with the way back to 今日.
    page.goto(f"{live_server.url}{reverse('programs:calendar_feeds')}")
    expect(page.get_by_role("heading", name="オフラインです")).to_be_visible()
    expect(page.get_by_role("link", name="今日")).to_have_attribute("href", "/today/")
    shoot("pwa-offline-not-kept-360")

    # Back online: pages come from the server again, without the banner; logging out deletes
    # the copies.
    context.set_offline(False)
    page.goto(f"{live_server.url}/today/")
    expect(page.locator(".offline-banner")).to_have_count(0)
    first_caches = page.evaluate(PAGE_CACHES)
    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="ログアウト").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.wait_for_function(f"() => ({PAGE_CACHES})().then(names => names.length === 0)")

    # Another trainee signs in on this phone, and the train enters a tunnel again.
    log_in(page, live_server, other_trainee.email)
    expect(page).to_have_url(re.compile(r"/today/$"))
    wait_until_kept(page)
    caches = page.evaluate(PAGE_CACHES)
    assert len(caches) == 1 and caches != first_caches
    context.set_offline(True)
    for url in (itinerary, trip_page):
        page.goto(f"{live_server.url}{url}")
        expect(page.get_by_role("heading", name="オフラインです")).to_be_visible()
        expect(page.get_by_text("あずさ1号")).to_have_count(0)
        expect(page.get_by_text("松本市での商工会議所セミナー")).to_have_count(0)
    page.goto(f"{live_server.url}/my/week/")  # their own week, kept from their 今日
    expect(page.get_by_role("heading", name="今週の予定")).to_be_visible()
    expect_kept_copy(page)
    expect(page.get_by_text("あずさ1号")).to_have_count(0)
    expect(page.get_by_text(trainee.display_name)).to_have_count(0)
    context.set_offline(False)
