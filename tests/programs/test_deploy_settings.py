import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x7#kq9!mZ2@vL5$wR8^nB3&tY6*pH1(cD4)fG0_jS" + "a" * 10,
    "ALLOWED_HOSTS": "kenshu.example.jp",
    "DATABASE_URL": "postgres://kenshu@db.internal:5432/kenshu",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "EMAIL_URL": "smtp+tls://kenshu:secret@smtp.example.jp:587",
    "DEFAULT_FROM_EMAIL": "Kenshu <noreply@kenshu.example.jp>",
}


def run(args, extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    env.update(PRODUCTION_ENV)
    env.update(extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = run(["check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "REDIS_URL"])
def test_production_refuses_to_start_without_required_settings(missing):
    result = run(["check"], {missing: ""} if missing != "SECRET_KEY" else None)
    if missing == "SECRET_KEY":
        env_without = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={"PATH": os.environ["PATH"], **env_without},
            timeout=120,
        )
    assert result.returncode != 0
    assert missing in result.stderr


def test_seed_demo_refuses_production():
    result = run(["seed_demo"])
    assert result.returncode != 0
    assert "refuses to run with production settings" in result.stderr
