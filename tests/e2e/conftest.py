"""Browser tests: Playwright drives Debian's Chromium against Django's live server.

KENSHU_SKIP_BROWSER=1 skips them locally; KENSHU_REQUIRE_BROWSER=1 (CI) fails when Chromium
is missing instead of skipping."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

CHROMIUM = os.environ.get("KENSHU_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    reason = None
    if os.environ.get("KENSHU_SKIP_BROWSER") == "1":
        reason = "KENSHU_SKIP_BROWSER=1"
    elif not Path(CHROMIUM).exists():
        if os.environ.get("KENSHU_REQUIRE_BROWSER") == "1":
            raise pytest.UsageError(f"Chromium not found at {CHROMIUM} (KENSHU_REQUIRE_BROWSER=1)")
        reason = f"Chromium not found at {CHROMIUM}: `make test` installs it (Debian package)"
    if reason:
        for item in items:
            if "tests/e2e/" in str(item.fspath):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def screenshots_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {SCREENSHOTS}")
    return SCREENSHOTS


@pytest.fixture
def shoot(page, screenshots_dir):
    def take(name: str):
        path = screenshots_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def log_in(page, live_server, email, password=None):
    from ..factories import PASSWORD

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード", exact=True).fill(password or PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_load_state()


@pytest.fixture(scope="session")
def _live_server_outlasting_the_browser(live_server):
    yield live_server
    import time

    time.sleep(0.5)  # the closed browser's connections end while the server still shares its DB


@pytest.fixture(scope="session", autouse=True)
def _browser_closes_before_the_live_server(_live_server_outlasting_the_browser, browser):
    """Session fixtures end in reverse order of set-up. Set up here, the live server is
    stopped after Chromium has closed: a kept-alive connection's request thread then ends while
    the server's in-memory SQLite connection is still shared, instead of raising in a thread at
    the end of the run."""
    yield


@pytest.fixture(autouse=True)
def _let_requests_finish():
    """A request the browser started just before a test ended must finish while the live
    server's database connection is still shared with its threads (in-memory SQLite)."""
    yield
    import time

    time.sleep(0.5)


@pytest.fixture
def live_worker(tmp_path, settings):
    """A real Celery worker process beside the live server: both on this test's PostgreSQL,
    the live server sending real messages through Redis, both storing files in one folder.
    Without PostgreSQL and Redis it skips (and fails under KENSHU_REQUIRE_SERVICES=1): a
    worker process cannot see an in-memory SQLite."""
    from ..integration.conftest import celery_worker, queued_for_real, worker_env

    media = tmp_path / "media"
    env = worker_env(MEDIA_ROOT=str(media))
    settings.MEDIA_ROOT = str(media)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with queued_for_real(env["REDIS_URL"]), celery_worker(env, tmp_path) as process:
        yield process


def pytest_terminal_summary(terminalreporter):
    """Say where the browser tests' screenshots are, at the end of every run that took some."""
    if SCREENSHOTS.exists() and any(SCREENSHOTS.glob("*.png")):
        terminalreporter.write_line(f"Browser screenshots: {SCREENSHOTS}")
