"""Liveness of what every request and task depends on: the database, the broker and the file
store."""

import time

from django.conf import settings
from django.db import connections

from config.celery_app import app as celery_app

from .stored_files import check_store


def check_database() -> str:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 -- any failure means "down"; the type is reported
        return f"error: {type(exc).__name__}"
    return "ok"


HEALTH_QUEUE = "kenshu.healthz"


def check_broker(timeout: float = 3.0) -> str:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            # A message sent and taken back through the broker's own storage: the same path
            # a task takes, on every transport (Redis, SQLAlchemy).
            with conn.SimpleQueue(HEALTH_QUEUE) as queue:
                queue.put({"ping": True})
                queue.get(timeout=timeout).ack()
    except Exception as exc:  # noqa: BLE001
        return f"error: {type(exc).__name__}"
    return "ok"


def health_status() -> dict[str, str]:
    """Checked at most every few seconds per process: the page is public and a broker round
    trip is not free."""
    global _last
    now = time.monotonic()
    if _last is not None and now - _last[0] < settings.KENSHU_HEALTH_CACHE_SECONDS:
        return _last[1]
    status = {"database": check_database(), "broker": check_broker(), "store": check_store()}
    _last = (now, status)
    return status


_last: tuple[float, dict[str, str]] | None = None
