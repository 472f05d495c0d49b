"""Real services for the integration tests: Celery worker processes on a real broker.

REDIS_URL names the Redis to use; when KENSHU_REQUIRE_SERVICES=1 (CI) a missing or unreachable
service fails the run instead of skipping."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from celery import Celery

from bench.processes import stop

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = os.environ.get("KENSHU_REQUIRE_SERVICES") == "1"


def need(condition: bool, reason: str) -> None:
    if condition:
        return
    if REQUIRED:
        pytest.fail(f"{reason} (KENSHU_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    need(bool(url), "REDIS_URL is not set: the Redis path is not tested here")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        need(False, f"Redis at {url} is unreachable: {exc}")
    return url


def worker_env(**extra: str) -> dict:
    """What a worker process needs to share this test's PostgreSQL and Redis. Skips (fails
    under KENSHU_REQUIRE_SERVICES=1) when the suite is not on PostgreSQL or Redis is away."""
    from django.db import connection

    need(
        connection.vendor == "postgresql",
        "needs DATABASE_URL on PostgreSQL: a worker process cannot see an in-memory SQLite",
    )
    url = redis_url()
    db = connection.settings_dict
    return {
        "REDIS_URL": url,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        **extra,
    }


@contextmanager
def queued_for_real(url: str):
    """The suite's own Celery app (eager in unit tests) sends real messages to `url`
    while inside, as the web side does in production."""
    from config.celery_app import app

    app.conf.task_always_eager = False
    app.conf.broker_url = url
    app.conf.result_backend = url
    try:
        yield app
    finally:
        app.conf.task_always_eager = True


@contextmanager
def celery_worker(env_overrides: dict, tmp_path: Path, name: str = "w1"):
    """Start `celery -A config worker` as its own process; stop it on exit."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "KENSHU_VAR_DIR": str(tmp_path / "var"),
            **env_overrides,
        }
    )
    log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel=INFO",
            "--pool=solo",
            f"--hostname={name}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        stop(process, timeout=20)
        log.close()


def client_app(broker: str, backend: str) -> Celery:
    """A Celery client of its own, so the test process sends real messages (the suite's own
    app runs tasks eagerly)."""
    app = Celery("kenshu-test-client", broker=broker, backend=backend)
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        broker_connection_retry_on_startup=True,
    )
    return app


def wait_for(predicate, timeout: float = 60, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def built_by_a_worker(client, url: str, env: dict, tmp_path: Path):
    """Press a document's button (POST `url`) with a real worker running: the Report once
    the worker has drawn it."""
    from reports.models import Report

    with queued_for_real(env["REDIS_URL"]), celery_worker(env, tmp_path):
        response = client.post(url)
        assert response.status_code == 302
        report = Report.objects.get()
        assert report.state in ("queued", "running", "done")  # not drawn in the web request
        done = wait_for(
            lambda: Report.objects.filter(pk=report.pk, state="done").first(), timeout=120
        )
    assert done is not None, (tmp_path / "w1.log").read_text()
    return done


@contextmanager
def web_node(env_overrides: dict, tmp_path: Path, name: str):
    """`gunicorn config.wsgi` as its own process with its own working folder (KENSHU_VAR_DIR,
    MEDIA_ROOT): the base address once it answers /healthz."""
    from bench.s3server import free_port

    port = free_port()
    var = tmp_path / name
    var.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "KENSHU_VAR_DIR": str(var),
            "MEDIA_ROOT": str(var / "media"),
            **env_overrides,
        }
    )
    log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        import requests

        def answers():
            if process.poll() is not None:
                raise RuntimeError((tmp_path / f"{name}.log").read_text()[-3000:])
            try:
                return requests.get(f"{base}/healthz", timeout=5).status_code in (200, 503)
            except requests.ConnectionError:
                return False

        assert wait_for(answers, timeout=60), (tmp_path / f"{name}.log").read_text()[-3000:]
        yield base
    finally:
        stop(process, timeout=20)
        log.close()


def signed_in(client, base: str):
    """A requests session carrying `client`'s (force_login) session cookie, and the CSRF
    token a form on `base` needs."""
    import requests

    session = requests.Session()
    session.cookies.set("sessionid", client.cookies["sessionid"].value)
    session.get(f"{base}/", timeout=30)
    return session


def csrf_post(session, url: str, **kwargs):
    """POST as a browser does: the token from the page's cookie, the page as Referer."""
    token = session.cookies.get("csrftoken")
    if token is None:
        session.get(url, timeout=30)
        token = session.cookies.get("csrftoken")
    data = {"csrfmiddlewaretoken": token, **kwargs.pop("data", {})}
    return session.post(url, data=data, headers={"Referer": url}, timeout=60, **kwargs)
