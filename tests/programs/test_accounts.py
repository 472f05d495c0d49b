import re

import pytest
from django.core import mail
from django.urls import reverse

from programs.models import ActivityLog

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def test_login_by_email_address_without_username(client, coordinator, password):
    response = client.post(LOGIN, {"login": "Coordinator@Example.org", "password": password})
    assert response.status_code == 302
    assert client.get(reverse("programs:host_home")).status_code == 200
    entry = ActivityLog.objects.get(action="login.succeeded")
    assert entry.actor == coordinator and entry.ip_address == "127.0.0.1"


def test_failed_login_is_logged_and_does_not_tell_whether_the_address_exists(client, coordinator):
    known = client.post(LOGIN, {"login": coordinator.email, "password": "wrong-password"})
    unknown = client.post(LOGIN, {"login": "nobody@example.org", "password": "wrong-password"})
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors
    assert list(
        ActivityLog.objects.filter(action="login.failed").values_list("actor_label", flat=True)
    ) == ["nobody@example.org", coordinator.email]


def test_repeated_wrong_passwords_are_rate_limited(client, coordinator, password):
    for _ in range(5):
        client.post(LOGIN, {"login": coordinator.email, "password": "wrong-password"})
    response = client.post(LOGIN, {"login": coordinator.email, "password": password})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    text = response.content.decode()
    assert "ログイン失敗が連続しています" in text


def test_sign_up_is_closed(client, db):
    response = client.get("/accounts/signup/")
    assert "新規登録は受け付けていません" in response.content.decode()
    client.post(
        "/accounts/signup/",
        {"email": "x@example.org", "password1": "a-long-pass-1", "password2": "a-long-pass-1"},
    )
    from programs.models import User

    assert not User.objects.filter(email="x@example.org").exists()


def test_password_reset_page_is_the_same_for_known_and_unknown_addresses(client, coordinator):
    known = client.post("/accounts/password/reset/", {"email": coordinator.email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    # Only the real account gets a reset link; the unknown address gets nothing that helps
    # an attacker (strict enumeration prevention sends no mail there).
    assert [m.to for m in mail.outbox if "/accounts/password/reset/key/" in m.body] == [
        [coordinator.email]
    ]


def test_language_choice_is_remembered_on_the_account(client, coordinator):
    client.force_login(coordinator)
    assert "ダッシュボード" in client.get(reverse("programs:host_home")).content.decode()
    client.post(reverse("programs:set_language"), {"language": "en", "next": "/host/"})
    coordinator.refresh_from_db()
    assert coordinator.language == "en"
    # A new device: no cookie, a Japanese browser; the account's choice wins.
    other_device = type(client)(HTTP_ACCEPT_LANGUAGE="ja")
    other_device.force_login(coordinator)
    page = other_device.get(reverse("programs:host_home")).content.decode()
    assert "Dashboard" in page and '<html lang="en">' in page


def test_japanese_first_whatever_the_browser_says(client, db):
    page = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="ja">' in page


def test_anonymous_can_switch_the_login_page_to_english(client, db):
    assert '<html lang="ja">' in client.get(LOGIN).content.decode()
    response = client.post(reverse("programs:set_language"), {"language": "en", "next": LOGIN})
    assert response.url == LOGIN
    assert '<html lang="en">' in client.get(LOGIN).content.decode()


def test_language_switch_refuses_open_redirects(client, db):
    response = client.post(
        reverse("programs:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_password_reset_for_an_unknown_address_sends_nothing(client, db):
    client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert mail.outbox == []


def test_no_page_adds_or_changes_an_email_address(client, trainee):
    client.force_login(trainee)
    assert client.get("/accounts/email/").status_code == 404
    assert (
        client.post(
            "/accounts/email/", {"email": "victim@example.org", "action_add": ""}
        ).status_code
        == 404
    )
    assert mail.outbox == []


def test_login_message_speaks_the_account_language(client, coordinator, password):
    coordinator.language = "en"
    coordinator.save()
    response = client.post(LOGIN, {"login": coordinator.email, "password": password}, follow=True)
    page = response.content.decode()
    messages = re.findall(r'<div class="message [^"]*" role="status">([^<]*)</div>', page)
    assert messages and all("ログイン" not in m for m in messages), messages


def test_pages_vary_on_the_language_cookie(client, db):
    assert "Cookie" in client.get(LOGIN)["Vary"]


def test_redis_roles_use_separate_databases():
    from config.settings.base import redis_database

    assert redis_database("redis://h:6379/0", 1) == "redis://h:6379/1"
    assert redis_database("redis://:pw@h:6379", 2) == "redis://:pw@h:6379/2"
