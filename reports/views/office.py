"""The scheme office's year (年度): every program of the scheme at every host, with the
figures and documents the office reads, and the 年度 report across hosts as CSV (its PDF and
print view are the fiscal-year summary's, across hosts). The office's staff (and operators)
only; everyone else gets 404."""

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from programs.models import fiscal_year_of

from .. import access, forms
from ..documents import csv_rows  # every cell goes through documents.safe_cell
from ..selectors import office_year


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
