"""Building documents in the background: a task takes a report id, claims the row, renders,
stores the file through the storage API and records the outcome."""

from celery import shared_task
from django.core.files.base import ContentFile
from django.db.models import F, Q
from django.utils import timezone

from seminars.models import Trip

from . import documents
from .models import Report, ReportKind, ReportState, stale_before

MAX_ATTEMPTS = 3


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
    report = Report.objects.get(pk=report_id)
    try:
        if report.kind != ReportKind.ITINERARY:
            raise ValueError(f"unknown kind {report.kind}")
        trip = Trip.objects.select_related("program__host").get(pk=report.trip_id)
        html = documents.itinerary_html(trip)
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
