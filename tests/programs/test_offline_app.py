"""The installable app: its manifest, its service worker (served at the root, no data in it),
the layout's links to both, the account's key that names the pages kept on a phone, and the
links 今日 marks for keeping (programs/offline.py, static/js/sw.js, static/js/offline.js)."""

import json
import re
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from seminars.services.trips import save_trip

from ..factories import enrol
from ..seminars.conftest import plan
from ..trainees.conftest import running_program, write_url

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "static"
ACCOUNT = re.compile(r'<meta name="kenshu-account" content="([0-9a-f]+)">')


def account_of(client, url="/today/"):
    match = ACCOUNT.search(client.get(url).content.decode())
    return match and match.group(1)


def test_the_manifest_describes_an_installable_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Kenshu 研修"
    assert manifest["short_name"] == "研修"
    assert manifest["id"] == "/kenshu"
    assert manifest["start_url"] == reverse("programs:trainee_today") + "?source=pwa"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["lang"] == "ja"
    css = (STATIC / "css" / "kenshu.css").read_text(encoding="utf-8")
    assert f"--ink: {manifest['theme_color']};" in css  # the site header's colour
    assert f"--bg: {manifest['background_color']};" in css
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        assert icon["type"] == "image/png"
        path = STATIC / icon["src"].removeprefix("/static/")
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]


def test_the_worker_is_served_from_the_root_to_anyone_and_never_cached(client, trainee):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    settings_line = body.splitlines()[0]
    assert settings_line.startswith("const KENSHU = {")
    config = json.loads(settings_line.removeprefix("const KENSHU = ").removesuffix(";"))
    assert "/static/css/kenshu.css" in config["static"]
    assert "/static/js/offline.js" in config["static"]
    assert "/static/js/sw.js" not in config["static"]
    assert config["offline"] == {"ja": "/offline/?lang=ja", "en": "/offline/?lang=en"}
    assert 'request.method !== "GET"' in body  # a POST is never kept
    # No data in it: signed in, the same script.
    client.force_login(trainee)
    assert client.get("/sw.js").content.decode() == body


def test_the_fallback_page_is_in_the_language_asked_and_leads_to_today(client):
    ja = client.get("/offline/?lang=ja")
    assert ja.status_code == 200
    assert '<html lang="ja">' in ja.content.decode()
    assert "オフラインです" in ja.content.decode()
    assert 'href="/today/"' in ja.content.decode()
    en = client.get("/offline/?lang=en").content.decode()
    assert '<html lang="en">' in en and "You are offline" in en


def test_every_page_links_the_manifest_and_signed_in_pages_the_worker(client, coordinator):
    login = client.get(reverse("account_login")).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in login
    assert "/static/js/offline.js" in login  # signed out, it deletes what was kept
    assert 'name="kenshu-account"' not in login
    assert 'id="kenshu-offline"' not in login
    client.force_login(coordinator)
    # A Django page (templates/base.html) and a Jinja2 one (templates/jinja2/layout.html).
    for url in (reverse("programs:calendar_feeds"), reverse("programs:host_home")):
        page = client.get(url).content.decode()
        assert '<link rel="manifest" href="/manifest.webmanifest">' in page, url
        assert '<script src="/static/js/offline.js" defer></script>' in page, url
        assert ACCOUNT.search(page), url
        words = re.search(
            r'<script id="kenshu-offline" type="application/json">(.*?)</script>', page
        )
        config = json.loads(unescape(words.group(1)))
        assert config["worker"] == "/sw.js"
        assert config["banner"] == "オフライン：%(when)s の内容を表示しています"
        assert config["timeZone"] == "Asia/Tokyo"
    assert "data-offline-forget" in page  # the logout form tells the worker to forget


def test_the_account_key_is_per_person_and_session_and_is_neither_address_nor_id(
    trainee, other_trainee
):
    first, second, again = Client(), Client(), Client()
    first.force_login(trainee)
    second.force_login(other_trainee)
    again.force_login(trainee)
    key = account_of(first)
    assert key and len(key) == 32
    assert key == account_of(first)  # the same for the whole session
    assert account_of(second) not in (None, key)
    assert account_of(again) not in (None, key)  # a new sign-in, a new key
    for person in (trainee, other_trainee):
        assert person.email not in key and str(person.pk) != key
    # Every HTML answer says whose it is: the worker keeps a page only under that key.
    assert first.get("/today/")["X-Kenshu-Account"] == key
    assert "X-Kenshu-Account" not in Client().get(reverse("account_login"))


@pytest.fixture
def trainee_with_trip(host, coordinator, trainee):
    today = timezone.localdate()
    program = running_program(host, "オフラインの研修", today)
    enrollment = enrol(program, trainee)
    trip = save_trip(
        program,
        plan(program, [enrollment], start_date=today, end_date=today + timedelta(days=1)),
        by=coordinator,
    )
    return enrollment, trip, today


def test_today_marks_the_pages_a_phone_keeps(client, trainee, trainee_with_trip):
    enrollment, trip, today = trainee_with_trip
    client.force_login(trainee)
    page = client.get("/today/").content.decode()
    marked = set(re.findall(r'<a href="([^"]+)"[^>]*\sdata-offline[\s>]', page))
    # Each reflection still to write this week (today's and the two days before), the week,
    # the trip's itinerary, page and report.
    assert marked == {
        reverse("programs:trainee_week"),
        *(write_url(enrollment, today - timedelta(days=n)) for n in range(3)),
        reverse("reports:itinerary_print", args=[trip.program_id, trip.pk]),
        reverse("seminars:trip_report_write", args=[trip.program_id, trip.pk]),
        reverse("seminars:trip_detail", args=[trip.program_id, trip.pk]),
    }


def test_the_installed_app_takes_someone_who_is_not_a_trainee_home(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/today/?source=pwa")
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:home")
