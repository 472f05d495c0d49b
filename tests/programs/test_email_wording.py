"""What emails say and how a mail program reads them: the password-reset email greets with
the site's name (not the host it was asked on), a long Japanese subject is read back exactly
as written, the login message follows the glossary, and links follow the port `make run`
serves on unless KENSHU_BASE_URL says otherwise."""

import email
import json
import os
import subprocess
import sys
from email import policy
from pathlib import Path

import pytest
from django.core import mail

from programs.mail import KenshuEmail, subject_kept

ROOT = Path(__file__).resolve().parents[2]
LONG_SUBJECT = (
    "[Kenshu] 研修実施報告書ができました：ITベンチャー研修（田川市・デモ）"
    "地域ワーカー向け説明会・ユーザー調査、地元企業向けセミナーの開催（長野県箕輪町・松本市）"
)


def read_back(message) -> str:
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    return parsed["Subject"]


@pytest.mark.parametrize("subject", [LONG_SUBJECT, "短い件名", "A plain English subject"])
def test_a_parser_reads_the_subject_exactly(subject):
    assert read_back(KenshuEmail(subject=subject, body="本文", to=["a@example.com"])) == subject


def test_an_email_made_elsewhere_keeps_its_subject_too():
    message = subject_kept(mail.EmailMessage(subject=LONG_SUBJECT, body="本文", to=["a@b.jp"]))
    assert read_back(message) == LONG_SUBJECT


def test_the_password_reset_email_greets_with_the_site_name(client, coordinator):
    client.post(
        "/accounts/password/reset/",
        {"email": coordinator.email},
        HTTP_HOST="127.0.0.1",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    [message] = [m for m in mail.outbox if "/accounts/password/reset/key/" in m.body]
    assert "Kenshu（研修）からのお知らせです。" in message.body
    assert "こんにちは" not in message.body
    assert "127.0.0.1 です" not in message.body
    assert read_back(message) == message.subject
    assert not message.subject.startswith(" ")


def test_the_login_message_follows_the_glossary(client, coordinator, password):
    coordinator.language = "ja"
    coordinator.save()
    response = client.post(
        "/accounts/login/",
        {"login": coordinator.email, "password": password},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    page = response.content.decode()
    assert f"{coordinator.display_name}さんとしてログインしました。" in page
    assert "ユーザー " not in page
    assert f"{coordinator.display_name} さん" not in page


SCRIPT = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps(settings.KENSHU_BASE_URL))
"""


def base_url_under_dev(tmp_path, **extra) -> str:
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.dev", KENSHU_VAR_DIR=str(tmp_path), **extra)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_links_follow_the_port_make_run_serves_on(tmp_path):
    """Not the Host header of a request: emails leave from the worker, which has none, and
    production refuses to start without KENSHU_BASE_URL (test_deploy_settings)."""
    assert base_url_under_dev(tmp_path) == "http://127.0.0.1:8000"
    assert base_url_under_dev(tmp_path, KENSHU_PORT="8102") == "http://127.0.0.1:8102"
    chosen = base_url_under_dev(
        tmp_path, KENSHU_PORT="8102", KENSHU_BASE_URL="http://kenshu.test:9000"
    )
    assert chosen == "http://kenshu.test:9000"
    procfile = (ROOT / "Procfile.dev").read_text()
    assert "runserver 127.0.0.1:${KENSHU_PORT:-8000}" in procfile
