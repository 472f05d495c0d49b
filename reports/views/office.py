"""The scheme office's year (年度): every program of the scheme at every host, with the
figures and documents the office reads, and the 年度 report across hosts as CSV (its PDF and
print view are the fiscal-year summary's, across hosts). The office's staff (and operators)
only; everyone else gets 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs import access as core_access
from programs.models import fiscal_year_of

from .. import access, forms
from ..documents import csv_rows  # every cell goes through documents.safe_cell
from ..selectors import office_year
from ..services import documents as document_services


def _year(request) -> tuple[int, object]:
    access.office_only(request.user)
    today = timezone.localdate()
    return forms.summary_year(request.GET.get("year"), fiscal_year_of(today)), today


def office_year_page(request):
    year, today = _year(request)
    return render(request, "reports/office_year.html", office_year.page(request.user, year, today))


def office_year_csv(request):
    year, today = _year(request)
    header, lines = office_year.csv_table(office_year.year_report_context(year, None, today))
    response = StreamingHttpResponse(
        csv_rows(header, lines), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, office_year.csv_filename(year)
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def report_share(request, pk: int):
    """The host's coordinator shares this version with the scheme office (share=1) or takes
    it back (share=0); anyone else who may read it gets 403."""
    report = access.get_document_for_user(request.user, pk)
    if not (
        document_services.may_share_with_office(report)
        and core_access.can_edit_program(request.user, report.program)
    ):
        raise PermissionDenied
    share = request.POST.get("share") == "1"
    document_services.share_with_office(report, share=share, by=request.user, now=timezone.now())
    messages.success(
        request,
        _("Shared with the scheme office.") if share else _("No longer shared with the office."),
    )
    return redirect("reports:report_status", pk=report.pk)
