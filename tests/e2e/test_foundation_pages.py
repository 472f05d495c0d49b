"""Login and home pages in a real browser, in Japanese and English, at desktop and phone
widths; each step leaves a screenshot in test-artifacts/screenshots/."""

import pytest

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_login_page_in_japanese_then_english(page, live_server, shoot, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.get_by_role("heading", level=1).inner_text() == "ログイン"
    shoot(f"login-ja-{viewport}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Log in"
    shoot(f"login-en-{viewport}")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, "the page scrolls sideways"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_coordinator_home(page, live_server, shoot, coordinator, host, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(page, live_server, coordinator.email)
    page.wait_for_url(f"{live_server.url}/host/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("ダッシュボード")
    assert page.get_by_text("今週・来週の研修プログラムはありません。").is_visible()
    assert page.get_by_text(host.name).is_visible()
    shoot(f"coordinator-home-ja-{viewport}")
    page.get_by_role("button", name="English").click()
    assert page.get_by_text("No program this week or next.").is_visible()
    shoot(f"coordinator-home-en-{viewport}")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_trainee_today(page, live_server, shoot, trainee, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(page, live_server, trainee.email)
    page.wait_for_url(f"{live_server.url}/today/")
    assert page.get_by_text("今日の予定はありません。").is_visible()
    assert page.get_by_text("田川市").first.is_visible()
    shoot(f"trainee-today-ja-{viewport}")
    page.get_by_role("button", name="English").click()
    assert page.get_by_text("Nothing scheduled for today.").is_visible()
    shoot(f"trainee-today-en-{viewport}")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
