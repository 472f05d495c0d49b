import os
from pathlib import Path

import pytest

from bench.processes import manage

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x7#kq9!mZ2@vL5$wR8^nB3&tY6*pH1(cD4)fG0_jS" + "a" * 10,
    "ALLOWED_HOSTS": "kenshu.example.jp",
    "DATABASE_URL": "postgres://kenshu@db.internal:5432/kenshu",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "EMAIL_URL": "smtp+tls://kenshu:secret@smtp.example.jp:587",
    "DEFAULT_FROM_EMAIL": "Kenshu <noreply@kenshu.example.jp>",
    "KENSHU_BASE_URL": "https://kenshu.example.jp",
}


def run(args, drop=()):
    # Only what production would get: nothing inherited from the test run's environment.
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update({k: v for k, v in PRODUCTION_ENV.items() if k not in drop})
    return manage(args, env)


def test_production_settings_pass_check_deploy_without_warnings():
    result = run(["check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


@pytest.mark.parametrize(
    "missing",
    [
        "SECRET_KEY",
        "REDIS_URL",
        "DATABASE_URL",
        "ALLOWED_HOSTS",
        "EMAIL_URL",
        "DEFAULT_FROM_EMAIL",
        "KENSHU_BASE_URL",
    ],
)
def test_production_refuses_to_start_without_a_required_setting(missing):
    result = run(["check"], drop=(missing,))
    assert result.returncode != 0
    assert missing in result.stderr.splitlines()[-1]


def test_seed_demo_refuses_production():
    result = run(["seed_demo"])
    assert result.returncode != 0
    assert "refuses to run with production settings" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [("KENSHU_BASE_URL", "http://kenshu.example.jp"), ("EMAIL_URL", "consolemail://")],
)
def test_production_refuses_unsafe_values(name, value):
    result = manage(
        ["check"],
        {
            **{k: os.environ[k] for k in ("PATH", "HOME") if k in os.environ},
            **PRODUCTION_ENV,
            name: value,
        },
    )
    assert result.returncode != 0
    assert name in result.stderr.splitlines()[-1]


def test_web_entry_points_default_to_production_settings():
    for module in ("config/wsgi.py", "config/asgi.py"):
        text = (ROOT / module).read_text()
        assert '"config.settings.production"' in text, module


def check_with(**extra):
    env = {k: os.environ[k] for k in ("PATH", "HOME") if k in os.environ}
    return manage(
        ["check", "--deploy", "--fail-level", "WARNING"], {**env, **PRODUCTION_ENV, **extra}
    )


STORE = {
    "STORAGE_BUCKET": "kenshu-files",
    "STORAGE_ENDPOINT_URL": "https://s3.example.jp",
    "KENSHU_ACCEL_REDIRECT": "true",
}


def test_a_store_behind_nginx_must_be_addressed_by_path():
    refused = check_with(**STORE)
    assert refused.returncode != 0
    assert "STORAGE_ADDRESSING_STYLE=path" in refused.stderr.splitlines()[-1]
    accepted = check_with(**STORE, STORAGE_ADDRESSING_STYLE="path")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
