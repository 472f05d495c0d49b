"""A build whose worker died is handed out again within a minute or two, not when Redis's
visibility timeout (6 h) gives its message back. The cluster rehearsal (bench/cluster.py) met
it: a worker killed mid-build left its document "being built" past the end of the run. Each
test runs the beat task and the builds it sends (eagerly here; the rehearsal with real
workers), at a moment the test pins."""

from datetime import timedelta

import pytest
from django.utils import timezone

from programs import workers
from reports.models import Report, ReportState
from reports.services import documents as services
from reports.tasks import requeue_orphaned

from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(host, coordinator, trainee, other_trainee, django_capture_on_commit_callbacks):
    """A built program report, then put back as a worker left it."""
    finished = w.build(host, coordinator, trainee, other_trainee)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_program_report(
            finished.program, by=coordinator, today=timezone.localdate()
        )
    report.refresh_from_db()
    assert report.state == ReportState.DONE
    Report.objects.filter(pk=report.pk).update(file="", size=0, attempts=1)
    return report


def left(report, **state):
    Report.objects.filter(pk=report.pk).update(**state)


def state_of(report) -> Report:
    return Report.objects.get(pk=report.pk)


def test_a_build_claimed_by_a_worker_that_is_gone_is_built_again(report):
    now = timezone.now()
    left(
        report,
        state=ReportState.RUNNING,
        claimed_by="a-run-that-died",
        started_at=now - timedelta(minutes=1),
    )
    assert requeue_orphaned(now) == {"orphaned": 1, "resent": 0}
    again = state_of(report)
    assert again.state == ReportState.DONE and again.size > 0 and again.attempts == 2


def test_a_build_of_a_worker_still_alive_or_just_started_is_left_alone(report):
    now = timezone.now()
    workers.beat_once("a-run-alive")
    left(
        report,
        state=ReportState.RUNNING,
        claimed_by="a-run-alive",
        started_at=now - timedelta(minutes=5),
    )
    assert requeue_orphaned(now) == {"orphaned": 0, "resent": 0}
    assert state_of(report).state == ReportState.RUNNING
    # Claimed a moment ago by a run not yet seen: too soon to say it died.
    left(report, claimed_by="a-run-starting", started_at=now - timedelta(seconds=5))
    assert requeue_orphaned(now) == {"orphaned": 0, "resent": 0}
    assert state_of(report).state == ReportState.RUNNING


def test_a_build_waiting_two_minutes_is_sent_once_more_and_only_once(report):
    now = timezone.now()
    left(report, state=ReportState.QUEUED, created_at=now - timedelta(minutes=2, seconds=20))
    assert requeue_orphaned(now) == {"orphaned": 0, "resent": 1}
    assert state_of(report).state == ReportState.DONE
    # Waiting longer than that: already sent again in its minute; the page offers 再作成.
    left(report, state=ReportState.QUEUED, created_at=now - timedelta(minutes=10))
    assert requeue_orphaned(now) == {"orphaned": 0, "resent": 0}
    assert state_of(report).state == ReportState.QUEUED
