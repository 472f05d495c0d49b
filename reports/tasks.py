"""Building documents in the background: a task takes a report id, claims the row, renders,
stores the file through the storage API and records the outcome."""

import logging
from datetime import timedelta

from botocore.exceptions import BotoCoreError, ClientError
from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError
from django.db.models import F, Q
from django.utils import timezone

from programs.models import Program, Status
from programs.workers import ALIVE_FOR, alive, worker_run
from seminars.models import Trip

from . import documents, program_documents
from .models import Report, ReportKind, ReportState, stale_before
from .selectors.program_reports import is_interim

MAX_ATTEMPTS = 3
logger = logging.getLogger(__name__)


def html_of(report: Report, today) -> str:
    """The document's HTML from today's data (the same function the request hashed);
    `today` says whether a program's document is an interim version."""
    if report.kind == ReportKind.ITINERARY:
        trip = Trip.objects.select_related("program__host").get(pk=report.trip_id)
        return documents.itinerary_html(trip)
    if report.kind == ReportKind.PROGRAM:
        return program_documents.program_html(report.program, report.municipality, today=today)
    if report.kind == ReportKind.TRAINEE:
        return program_documents.trainee_html(report.enrollment, today=today)
    if report.kind == ReportKind.FISCAL_YEAR:
        return program_documents.fiscal_year_html(report.fiscal_year, report.host, today=today)
    raise ValueError(f"unknown kind {report.kind}")


# The database or the storage was away for a moment: the same build may succeed later.
TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    ConnectionError,
    TimeoutError,
    BotoCoreError,
    ClientError,
)


def _failed(report_id: int, exc: Exception) -> None:
    Report.objects.filter(pk=report_id).update(
        state=ReportState.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
    )


@shared_task(
    bind=True,
    name="reports.tasks.build_report",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_ATTEMPTS - 1,
)
def build_report(self, report_id: int) -> str:
    """Idempotent: a report built, failed, or being built by a live worker is left alone. A
    redelivery after a worker died takes the row again; a transient error (the database or
    the storage away) puts it back in the queue with a growing delay. At most MAX_ATTEMPTS
    in all, then it is marked failed and can be retried from its page."""
    claimable = Q(state=ReportState.QUEUED) | Q(
        state=ReportState.RUNNING, started_at__lt=stale_before()
    )
    claimed = (
        Report.objects.filter(claimable, pk=report_id)
        .filter(attempts__lt=MAX_ATTEMPTS)
        .update(
            state=ReportState.RUNNING,
            started_at=timezone.now(),
            claimed_by=worker_run(),
            attempts=F("attempts") + 1,
        )
    )
    if not claimed:
        Report.objects.filter(claimable, pk=report_id, attempts__gte=MAX_ATTEMPTS).update(
            state=ReportState.FAILED,
            error="The build was interrupted several times.",
            finished_at=timezone.now(),
        )
        return "skipped"
    report = Report.objects.select_related("program", "municipality", "enrollment", "host").get(
        pk=report_id
    )
    # The clock, read once: what the document says about when it is, and its metadata.
    now = timezone.now()
    today = timezone.localdate(now)
    try:
        html = html_of(report, today)
        pdf = documents.render_pdf(documents.with_dates(html, now))
        report.file.save("report.pdf", ContentFile(pdf), save=False)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            _failed(report_id, exc)
            raise
        Report.objects.filter(pk=report_id, state=ReportState.RUNNING).update(
            state=ReportState.QUEUED, error=str(exc)[:2000]
        )
        delay = min(
            settings.KENSHU_RETRY_BASE_SECONDS * 2**self.request.retries,
            settings.KENSHU_MAX_TASK_DELAY,
        )
        raise self.retry(exc=exc, countdown=delay) from exc
    except Exception as exc:  # recorded on the row, shown on the page, retried from there
        _failed(report_id, exc)
        raise
    _done(report, pdf, html, today)
    return "done"


def _done(report: Report, pdf: bytes, html: str, today) -> None:
    report.size = len(pdf)
    report.content_hash = documents.content_hash(html)
    report.state = ReportState.DONE
    report.error = ""
    report.finished_at = timezone.now()
    report.interim = report.kind in (ReportKind.PROGRAM, ReportKind.TRAINEE) and is_interim(
        report.program, today
    )
    report.save(
        update_fields=["file", "size", "content_hash", "state", "error", "finished_at", "interim"]
    )


# A program completes by its dates (the day after its last day); the beat asks every hour.
# Programs that ended longer ago than this are left alone (an installation that starts
# with old programs does not build all their reports at once).
AUTOMATIC_WITHIN = timedelta(days=30)


@shared_task(name="reports.tasks.report_completed_programs")
def report_completed_programs() -> int:
    """Ask for the report of every program that has completed and has none made by itself
    yet; the coordinators are emailed a link once it is built (reports.registry_hooks). Safe to run
    twice: the request gives the version already there."""
    from .services import documents as document_services

    today = timezone.localdate()
    # A report made by itself that is queued, being built or built is enough; one that
    # failed is tried again the next day (not every hour), and its page shows why.
    had_one = Report.objects.filter(
        kind=ReportKind.PROGRAM, automatic=True, municipality__isnull=True
    ).filter(
        Q(state__in=[ReportState.QUEUED, ReportState.RUNNING, ReportState.DONE])
        | Q(created_at__gte=timezone.now() - timedelta(days=1))
    )
    due = (
        Program.objects.filter(
            status__in=[Status.PUBLISHED, Status.REPORTED],
            end_date__lt=today,
            end_date__gte=today - AUTOMATIC_WITHIN,
        )
        .exclude(pk__in=had_one.values("program_id"))
        .select_related("host")
    )
    count = 0
    for program in due:
        try:
            document_services.request_program_report(program, by=None, today=today, automatic=True)
        except Exception:  # one program's bad data must not keep the others' reports back
            logger.exception("Could not ask for the report of program %s", program.pk)
            continue
        count += 1
    return count


# A build queued this long and not started is sent again, once: its message may have been
# taken by a worker that died (Redis gives it back only after the visibility timeout). A
# second message for the same row is harmless: the first to claim it builds, the other skips.
RESEND_QUEUED_AFTER = timedelta(minutes=2)


@shared_task(name="reports.tasks.requeue_orphaned_builds")
def requeue_orphaned_builds() -> dict:
    """Every minute (beat): builds whose worker died are handed out again at once, rather
    than when the broker's visibility timeout (6 h) gives their message back."""
    return requeue_orphaned(timezone.now())


def requeue_orphaned(now) -> dict:
    """What a dead worker run claimed before `now`, and what has waited unstarted since two
    minutes before `now`, sent to the workers again."""
    running = Report.objects.filter(
        state=ReportState.RUNNING, started_at__lt=now - timedelta(seconds=ALIVE_FOR)
    ).exclude(claimed_by="")
    runs = dict(running.values_list("pk", "claimed_by"))
    living = alive(runs.values())
    orphaned = []
    for pk, run in runs.items():
        if run in living:
            continue
        # Only if nobody has finished or re-claimed it meanwhile.
        if Report.objects.filter(pk=pk, state=ReportState.RUNNING, claimed_by=run).update(
            state=ReportState.QUEUED, claimed_by="", error="The worker building it stopped."
        ):
            orphaned.append(pk)
    # Once: in the minute after it has waited RESEND_QUEUED_AFTER (beat asks every minute).
    waiting = list(
        Report.objects.filter(
            state=ReportState.QUEUED,
            created_at__lt=now - RESEND_QUEUED_AFTER,
            created_at__gte=now - RESEND_QUEUED_AFTER - timedelta(minutes=1),
        ).values_list("pk", flat=True)
    )
    for pk in orphaned + [pk for pk in waiting if pk not in orphaned]:
        build_report.delay(pk)
    return {"orphaned": len(orphaned), "resent": len(waiting)}
