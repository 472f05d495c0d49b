"""Liveness of what every request and task depends on: the database and the broker."""

from django.db import connections

from config.celery_app import app as celery_app


def check_database() -> str:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 -- any failure means "down"; the type is reported
        return f"error: {type(exc).__name__}"
    return "ok"


def check_broker(timeout: float = 3.0) -> str:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            # Opening a channel makes a round trip on every transport (Redis, SQLAlchemy).
            channel = conn.channel()
            channel.close()
    except Exception as exc:  # noqa: BLE001
        return f"error: {type(exc).__name__}"
    return "ok"


def health_status() -> dict[str, str]:
    return {"database": check_database(), "broker": check_broker()}
