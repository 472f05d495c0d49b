"""The whole companion on a 360×740 phone, as a trainee on the train meets it: 今日 loads
online, the connection goes; the week, the itinerary (cards, with the staff's tel: link and
a map link for each place) and the 復命書 open from the phone; what is typed in the 復命書 is
kept on the phone and, back online, saved once. Chromium reads the app's manifest without an
error (its installability in a profile on disk: test_offline_pages.py)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from programs.models import Membership
from seminars.models import TripReport

from .conftest import log_in
from .test_offline_pages import (  # noqa: F401 -- fixtures
    PHONE,
    browser_context_args,
    expect_kept_copy,
    scene,
    wait_until_kept,
)
from .test_trip_report_offline import posts_to

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def travelling_staff(scene, staff):  # noqa: F811
    """The host's staff member goes on the trip, with a telephone on their membership."""
    Membership.objects.filter(user=staff).update(phone="090-1234-5678")
    trip = scene["trip"]
    trip.staff.add(staff)
    return staff


def test_the_trainee_on_the_train(page, live_server, scene, trainee, travelling_staff, shoot):  # noqa: F811
    trip = scene["trip"]
    write = reverse("seminars:trip_report_write", args=[trip.program_id, trip.pk])
    autosave = reverse("seminars:trip_report_autosave", args=[trip.program_id, trip.pk])
    saves = posts_to(page, autosave)
    assert page.viewport_size == PHONE

    log_in(page, live_server, trainee.email)
    expect(page).to_have_url(re.compile(r"/today/$"))
    wait_until_kept(page)
    cdp = page.context.new_cdp_session(page)
    assert cdp.send("Page.getAppManifest")["errors"] == []

    page.context.set_offline(True)
    page.locator("#content").get_by_role("link", name="今週の予定").click()
    expect(page.get_by_role("heading", name="今週の予定")).to_be_visible()
    expect_kept_copy(page)

    page.goto(f"{live_server.url}/today/")
    page.get_by_role("link", name=re.compile("^行程表：")).click()
    expect_kept_copy(page)
    cards = page.locator(".itin-card")
    expect(cards.first).to_be_visible()
    expect(cards.first).to_contain_text("あずさ1号")
    expect(cards.first.get_by_role("link", name="地図：新宿")).to_have_attribute(
        "href", re.compile(r"^https://www\.google\.com/maps/search/\?api=1&query=")
    )
    expect(cards.first.get_by_role("link", name="地図：松本")).to_be_visible()
    expect(page.locator("a[href='tel:09012345678']").first).to_be_visible()
    shoot("companion-01-itinerary-offline")

    page.goto(f"{live_server.url}/today/")
    page.get_by_role("link", name=re.compile("^復命書")).first.click()
    expect(page).to_have_url(re.compile(re.escape(write) + "$"))
    expect_kept_copy(page)
    text = "車内で説明会の要点をまとめた。"
    page.locator("#id_content").press_sequentially(text, delay=15)
    # Not sent (there is no connection): kept on the phone, and said so.
    expect(page.locator("#save-status")).to_contain_text("この端末に保存", timeout=10_000)
    assert text in page.evaluate("Object.values(localStorage).join('')")
    shoot("companion-02-report-offline")
    assert not TripReport.objects.filter(content=text).exists()

    page.context.set_offline(False)
    expect(page.locator("#save-status")).to_contain_text("保存しました", timeout=15_000)
    page.wait_for_timeout(2_500)  # time for a duplicate to show itself
    assert saves == [200]
    report = TripReport.objects.get()
    assert report.content == text and report.revision == 1
