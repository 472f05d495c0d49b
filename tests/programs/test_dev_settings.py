"""`make run` (config.settings.dev) shows visitors the site's own error pages, never Django's
technical pages: a demo on a laptop on a shared network must not list every URL or show a
traceback. The pages carry the same security headers as every other page, static files are still
served, and `DEBUG=true` turns the technical pages back on for local work.

The dev settings are imported for real, in a process of their own, from an environment with
nothing of the test run's in it: the test fails if dev.py goes back to DEBUG on by default."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from programs.models import HostCompany

ROOT = Path(__file__).resolve().parents[2]
HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)

# Run under config.settings.dev. A view that raises is added to the project's own URL list (the
# settings, ROOT_URLCONF included, stay as dev.py makes them); the client presents the Host a
# browser on the laptop sends.
SCRIPT = """
import json

import django

django.setup()

import config.urls
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.test import Client
from django.urls import clear_url_caches, path


@login_not_required
def raises(request):
    raise RuntimeError("kenshu-test-secret-detail")


config.urls.urlpatterns.append(path("kenshu-test-raises/", raises))
clear_url_caches()


def fetch(method, url, host="127.0.0.1:8000", csrf=False, **data):
    client = Client(enforce_csrf_checks=csrf, raise_request_exception=False)
    response = getattr(client, method)(url, data or None, HTTP_HOST=host)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return {
        "status": response.status_code,
        "headers": dict(response.headers),
        "body": body.decode("utf-8", "replace"),
    }


print(json.dumps({
    "DEBUG": settings.DEBUG,
    "page": fetch("get", "/accounts/login/"),
    "localhost": fetch("get", "/accounts/login/", host="localhost:8000"),
    "not_found": fetch("get", "/does-not-exist/"),
    "error": fetch("get", "/kenshu-test-raises/"),
    "bad_host": fetch("get", "/accounts/login/", host="kenshu.attacker.example"),
    "csrf": fetch("post", "/accounts/login/", csrf=True, login="a@example.com", password="x"),
    "css": fetch("get", "/static/css/kenshu.css"),
}))
"""


def run_dev(tmp_path, **extra_env):
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        KENSHU_VAR_DIR=str(tmp_path / "var"),  # not the checkout's var/ (the demo's database)
        **extra_env,
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def dev(tmp_path_factory):
    return run_dev(tmp_path_factory.mktemp("dev"))


def assert_same_headers(response, page):
    for name in HEADERS:
        assert response["headers"].get(name), name
        assert response["headers"][name] == page["headers"][name], name


def test_the_dev_settings_keep_debug_off_and_a_normal_page_has_every_header(dev):
    assert dev["DEBUG"] is False
    for name in HEADERS:
        assert dev["page"]["headers"].get(name), name
    assert "frame-ancestors 'none'" in dev["page"]["headers"]["Content-Security-Policy"]


def test_the_addresses_make_run_prints_are_allowed(dev):
    assert dev["page"]["status"] == 200
    assert dev["localhost"]["status"] == 200


@pytest.mark.parametrize(
    ("key", "status", "says", "hides"),
    [
        # The 404 shows no list of the URL patterns (accounts/2fa/ is one).
        ("not_found", 404, "ページが見つかりません", ["URLconf", "accounts/2fa/"]),
        (
            "error",
            500,
            "エラーが発生しました",
            ["kenshu-test-secret-detail", "Traceback", "SECRET_KEY"],
        ),
        (
            "bad_host",
            400,
            "リクエストを処理できません",
            ["ALLOWED_HOSTS", "kenshu.attacker.example"],
        ),
        ("csrf", 403, "フォームを送信できませんでした", ["CSRF verification failed"]),
    ],
    ids=[
        "an_unknown_address_gives_the_sites_own_404",
        "a_view_that_raises_gives_the_sites_own_500",
        "a_host_outside_allowed_hosts_gives_the_sites_own_400",
        "a_form_without_its_token_gives_the_sites_own_403",
    ],
)
def test_an_error_page_is_the_sites_own_with_the_headers(dev, key, status, says, hides):
    response = dev[key]
    assert response["status"] == status
    assert says in response["body"]
    for hidden in hides:
        assert hidden not in response["body"], hidden
    assert_same_headers(response, dev["page"])


def test_static_css_is_still_served(dev):
    response = dev["css"]
    assert response["status"] == 200
    assert response["headers"]["Content-Type"].startswith("text/css")
    assert response["body"] == (ROOT / "static/css/kenshu.css").read_text(encoding="utf-8")


def test_debug_true_turns_the_technical_pages_back_on(tmp_path):
    debug = run_dev(tmp_path, DEBUG="true")
    assert debug["DEBUG"] is True
    assert "Using the URLconf defined in" in debug["not_found"]["body"]


def test_the_web_server_of_make_run_listens_on_this_machine_only():
    processes = (ROOT / "Procfile.dev").read_text(encoding="utf-8")
    web = next(line for line in processes.splitlines() if line.startswith("web:"))
    assert "runserver 127.0.0.1:${KENSHU_PORT:-8000}" in web
    assert "0.0.0.0" not in processes and "[::]" not in processes


@pytest.mark.django_db
@override_settings(KENSHU_ENVIRONMENT="development", DEBUG=False)
def test_seed_demo_runs_under_the_dev_settings_with_debug_off():
    call_command("seed_demo")
    assert HostCompany.objects.count() == 3  # two with people, a third offering in the call


@pytest.mark.django_db
@override_settings(KENSHU_ENVIRONMENT="bench", DEBUG=False)
def test_seed_demo_still_refuses_other_settings_without_debug():
    with pytest.raises(CommandError, match="refuses to run with production settings"):
        call_command("seed_demo")
    assert not HostCompany.objects.exists()
