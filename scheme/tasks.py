"""Celery tasks of the scheme. Each takes ids and calls one service."""

from celery import shared_task

from .models import FAILED, MatchRun
from .services.matching.runs import claim_run, solve_run
from .services.notices import send_match_notice as _send_match_notice


@shared_task(name="scheme.tasks.send_match_notice", max_retries=3)
def send_match_notice(match_id: int, kind: str) -> int:
    """Email both sides of a match the office confirmed, cancelled or moved."""
    return _send_match_notice(match_id, kind)


@shared_task(
    name="scheme.tasks.solve_matching",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=300,
)
def solve_matching(run_id: int) -> str:
    """Solve the run the office asked for; a second delivery finds it claimed and stops."""
    run = claim_run(run_id)
    if run is None:
        return "taken"
    try:
        solve_run(run)
    except Exception:
        MatchRun.objects.filter(pk=run_id).update(status=FAILED)
        raise
    return "done"
