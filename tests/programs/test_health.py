import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from config.celery_app import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthy(client):
    response = client.get(reverse("programs:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "store": "ok"}


@pytest.mark.django_db
def test_broker_down_is_503(client):
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:9/0"  # nothing listens on port 9
    try:
        response = client.get(reverse("programs:healthz"))
    finally:
        celery_app.conf.broker_url = original
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["database"] == "ok"
    assert body["broker"].startswith("error")


def test_database_down_is_503():
    """A process whose database cannot be reached answers 503 with the reason."""
    code = (
        "import django, json; django.setup();"
        "from django.test import Client; from django.test.utils import setup_test_environment;"
        "setup_test_environment(); r = Client().get('/healthz');"
        "print(json.dumps({'status_code': r.status_code, **r.json()}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
    }
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["status_code"] == 503
    assert result["database"].startswith("error")
    assert result["broker"] == "ok"
