"""Celery tasks of the scheme. Each takes ids and calls one service."""

from celery import shared_task

from .services.notices import send_match_notice as _send_match_notice


@shared_task(name="scheme.tasks.send_match_notice", max_retries=3)
def send_match_notice(match_id: int, kind: str) -> int:
    """Email both sides of a match the office confirmed, cancelled or moved."""
    return _send_match_notice(match_id, kind)
