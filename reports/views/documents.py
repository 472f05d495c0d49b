"""Any stored document, whatever it covers: its page (state, versions, the download once
built), building it again after a failure, and the download. Found through
Report.objects.visible_to: who may hold a document; everyone else gets 404."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from programs import access, stored_files

from ..access import get_document_for_user
from ..models import ReportState
from ..selectors import documents as selectors
from ..services import documents as document_services


def report_status(request, pk: int):
    report = get_document_for_user(request.user, pk)
    versions = selectors.versions(request.user, report)
    trip = selectors.trip_of(request.user, report)
    return render(
        request,
        "reports/report_status.html",
        {
            "report": report,
            "versions": versions,
            "trip": trip,
            "program": report.program,
            "office_back": selectors.office_back(request.user, report),
            "may_share": document_services.may_share_with_office(report)
            and access.can_edit_program(request.user, report.program),
        },
    )


@require_POST
def report_retry(request, pk: int):
    """Whoever may hold the document may build it again after a failure."""
    report = get_document_for_user(request.user, pk)
    document_services.retry(report)
    return redirect("reports:report_status", pk=report.pk)


def report_download(request, pk: int):
    report = get_document_for_user(request.user, pk)
    if report.state != ReportState.DONE or not report.file:
        raise Http404
    return stored_files.download(
        request, report.file, filename=report.filename, content_type="application/pdf"
    )
