"""Asking for documents. A request creates a Report row that a worker builds (never the web
process); the same content gets the version already there."""

from django.db import transaction
from django.db.models import Max

from seminars.models import Trip

from . import documents
from .models import Report, ReportKind, ReportState
from .tasks import build_report


def request_itinerary(trip: Trip, *, by) -> Report:
    """The trip's itinerary PDF: the version queued, being built or built for this content,
    or a new version queued for a worker after commit. Two requests at once wait for each
    other on the trip's row: one version, one job."""
    scope = f"trip:{trip.pk}"
    digest = documents.content_hash(documents.itinerary_html(trip))
    with transaction.atomic():
        Trip.objects.select_for_update().filter(pk=trip.pk).exists()
        versions = Report.objects.filter(kind=ReportKind.ITINERARY, scope=scope)
        live = versions.filter(
            content_hash=digest,
            state__in=[ReportState.QUEUED, ReportState.RUNNING, ReportState.DONE],
        )
        existing = next((r for r in live if not r.is_stale), None)
        if existing is not None:
            return existing
        version = (versions.aggregate(v=Max("version"))["v"] or 0) + 1
        report = Report.objects.create(
            kind=ReportKind.ITINERARY,
            program=trip.program,
            scope=scope,
            version=version,
            content_hash=digest,
            filename=f"行程表_{trip.start_date:%Y%m%d}_v{version}.pdf",
            requested_by=by,
        )
        build_report.delay_on_commit(report.pk)
    return report


def retry(report: Report) -> bool:
    """Queue a failed build (or one whose worker died) again; False when there is nothing to
    retry (it is queued, being built by a live worker, or done)."""
    if not (report.state == ReportState.FAILED or report.is_stale):
        return False
    queued = Report.objects.filter(pk=report.pk, state=report.state).update(
        state=ReportState.QUEUED, error="", attempts=0
    )
    if queued:
        build_report.delay_on_commit(report.pk)
    return bool(queued)
