"""Building documents in the background: a task takes a report id, claims the row, renders,
stores the file through the storage API and records the outcome."""

from datetime import timedelta

from celery import shared_task
from django.core.files.base import ContentFile
from django.db.models import F, Q
from django.utils import timezone

from programs.models import Program, Status
from seminars.models import Trip

from . import documents, program_documents
from .models import Report, ReportKind, ReportState, stale_before

MAX_ATTEMPTS = 3


def html_of(report: Report) -> str:
    """The document's HTML from today's data (the same function the request hashed)."""
    if report.kind == ReportKind.ITINERARY:
        trip = Trip.objects.select_related("program__host").get(pk=report.trip_id)
        return documents.itinerary_html(trip)
    if report.kind == ReportKind.PROGRAM:
        return program_documents.program_html(report.program, report.municipality)
    if report.kind == ReportKind.TRAINEE:
        return program_documents.trainee_html(report.enrollment)
    if report.kind == ReportKind.FISCAL_YEAR:
        return program_documents.fiscal_year_html(report.fiscal_year, report.host)
    raise ValueError(f"unknown kind {report.kind}")


@shared_task(name="reports.tasks.build_report", acks_late=True, reject_on_worker_lost=True)
def build_report(report_id: int) -> str:
    """Idempotent: a report built, failed, or being built by a live worker is left alone. A
    redelivery after a worker died takes the row again (at most MAX_ATTEMPTS times, then it
    is marked failed and can be retried from its page)."""
    claimable = Q(state=ReportState.QUEUED) | Q(
        state=ReportState.RUNNING, started_at__lt=stale_before()
    )
    claimed = (
        Report.objects.filter(claimable, pk=report_id)
        .filter(attempts__lt=MAX_ATTEMPTS)
        .update(state=ReportState.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1)
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
    try:
        html = html_of(report)
        pdf = documents.render_pdf(html)
        report.file.save("report.pdf", ContentFile(pdf), save=False)
    except Exception as exc:  # recorded on the row, shown on the page, retried from there
        Report.objects.filter(pk=report_id).update(
            state=ReportState.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    report.size = len(pdf)
    report.content_hash = documents.content_hash(html)
    report.state = ReportState.DONE
    report.finished_at = timezone.now()
    report.save(update_fields=["file", "size", "content_hash", "state", "finished_at"])
    return "done"


# A program completes by its dates (the day after its last day); the beat asks every hour.
# Programs that ended longer ago than this are left alone (an installation that starts
# with old programs does not build all their reports at once).
AUTOMATIC_WITHIN = timedelta(days=30)


@shared_task(name="reports.tasks.report_completed_programs")
def report_completed_programs() -> int:
    """Ask for the report of every program that has completed and has none made by itself
    yet; the coordinators are emailed a link once it is built (reports.answers). Safe to run
    twice: the request gives the version already there."""
    from . import services

    today = timezone.localdate()
    due = (
        Program.objects.filter(
            status__in=[Status.PUBLISHED, Status.REPORTED],
            end_date__lt=today,
            end_date__gte=today - AUTOMATIC_WITHIN,
        )
        .exclude(
            pk__in=Report.objects.filter(
                kind=ReportKind.PROGRAM, automatic=True, municipality__isnull=True
            ).values("program_id")
        )
        .select_related("host")
    )
    count = 0
    for program in due:
        services.request_program_report(program, by=None, automatic=True)
        count += 1
    return count
