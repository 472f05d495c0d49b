"""The CSV exports of one fiscal year: their page and the five files. What each file holds,
and who may read which rows, is in reports.selectors.exports; a person, a year or a program
outside their scope answers 404."""

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from programs.integers import id_param

from .. import access, forms
from ..documents import csv_rows  # every cell goes through documents.safe_cell
from ..selectors.export_scope import Scope, current_fiscal_year
from ..selectors.exports import EXPORTS, export_choices, export_links, filename_of


def scope_of(request, *, host_only: bool = False) -> Scope:
    """The person's programs of the asked year (?year=, default the current one) and, with
    ?program=, that one program: 404 when it is not theirs to see."""
    user = request.user
    programs, is_host, unrestricted = access.exportable_programs(user, host_only=host_only)
    program = access.get_export_program(programs, request.GET.get("program"))
    year = forms.export_year(
        request.GET.get("year"), program.fiscal_year if program else current_fiscal_year()
    )
    programs = programs.filter(fiscal_year=year)
    if program is not None:
        programs = programs.filter(pk=program.pk)
    return Scope(user, year, program, programs, is_host, unrestricted)


def _export(request, kind: str):
    stem, header, rows, host_only = EXPORTS[kind]
    scope = scope_of(request, host_only=host_only)
    # Header and labels are translated here, in the request's language: the rows are
    # written after the view has returned.
    response = StreamingHttpResponse(
        csv_rows([str(label) for label in header()], rows(scope)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, filename_of(stem, scope.year, scope.program.pk if scope.program else None)
    )
    response["Cache-Control"] = "private, no-store"
    return response


def export_programs(request):
    return _export(request, "programs")


def export_enrollments(request):
    return _export(request, "enrollments")


def export_reflections(request):
    return _export(request, "reflections")


def export_seminars(request):
    return _export(request, "seminars")


def export_expenses(request):
    return _export(request, "expenses")


def exports_page(request):
    """The year (and optionally one program) to export, and a link to each file the person
    may download."""
    user = request.user
    allowed, is_host = access.who_may_export(user)
    if not allowed:
        raise Http404
    this_year = current_fiscal_year()
    year = forms.export_year(request.GET.get("year"), this_year)
    chosen = export_choices(user, year, this_year, id_param(request.GET.get("program")))
    return render(
        request,
        "reports/exports.html",
        {
            **chosen,
            "exports": export_links(year, chosen["program"], is_host=is_host),
            "is_host": is_host,
        },
    )
