"""Any stored document, whatever it covers: its page (state, versions, the download once
built), building it again after a failure, and the download. Found through
Report.objects.visible_to: who may hold a document; everyone else gets 404."""

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from seminars.models import Trip

from . import services
from .access import get_document_for_user
from .models import Report, ReportKind, ReportState


def report_status(request, pk: int):
    report = get_document_for_user(request.user, pk)
    versions = (
        Report.objects.visible_to(request.user)
        .filter(kind=report.kind, scope=report.scope)
        .order_by("-version")
    )
    trip = (
        Trip.objects.visible_to(request.user).filter(pk=report.trip_id).first()
        if report.kind == ReportKind.ITINERARY
        else None
    )
    return render(
        request,
        "reports/report_status.html",
        {"report": report, "versions": versions, "trip": trip, "program": report.program},
    )


@require_POST
def report_retry(request, pk: int):
    """Whoever may hold the document may build it again after a failure."""
    report = get_document_for_user(request.user, pk)
    services.retry(report)
    return redirect("reports:report_status", pk=report.pk)


def report_download(request, pk: int):
    report = get_document_for_user(request.user, pk)
    if report.state != ReportState.DONE or not report.file:
        raise Http404
    try:
        handle = report.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=True,
        filename=report.filename,
    )
    response["Cache-Control"] = "private, no-store"
    return response
