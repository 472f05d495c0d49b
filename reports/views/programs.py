"""End-of-program documents: the program's documents page, the print views (the same template
as the PDF) and the requests for PDFs, which a worker builds. Who may ask for a document is
who may see every part of it (Report.objects.visible_to says the same for its downloads):
the host's people; a supervisor for their own municipality's trainees; a trainee for their own
研修報告書. Anything else answers 404."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs import access
from programs.models import HostCompany, Municipality, Program, fiscal_year_of

from .. import access as report_access
from .. import forms, program_documents
from ..models import ReportKind, fiscal_year_scope, program_scope
from ..selectors import documents as selectors
from ..selectors.fiscal_year import summary_years
from ..selectors.office_year import year_report_context
from ..selectors.program_reports import program_context, trainee_context
from ..services import documents as document_services


def _municipality(request, program: Program):
    raw = request.POST.get("municipality") or request.GET.get("municipality")
    return report_access.get_report_municipality_for_user(request.user, program, raw)


def documents_page(request, pk: int):
    """The program's documents: the report (whole, and per municipality), each trainee's
    研修報告書 with its latest version, and the CSV exports. Three queries for the
    documents whatever the number of trainees."""
    program = access.get_program_for_user(request.user, pk)
    is_host = access.works_for_host(request.user, program)
    return render(
        request,
        "reports/program_documents.html",
        {
            "program": program,
            "is_host": is_host,
            **selectors.program_documents(request.user, program, is_host=is_host),
            "letterhead_municipalities": Municipality.objects.supervised_by(request.user)
            .filter(enrollments__program=program)
            .distinct()
            .order_by("name"),
        },
    )


def _print(request, template_kind: str, context: dict, *, back, pdf_url, latest):
    return render(
        request,
        program_documents.TEMPLATES[template_kind],
        {
            **context,
            "for_pdf": False,
            "back_url": back[0],
            "back_label": back[1],
            "pdf_url": pdf_url,
            "latest": latest,
        },
    )


def program_report_print(request, pk: int):
    program = access.get_program_for_user(request.user, pk)
    municipality = _municipality(request, program)
    return _print(
        request,
        "program",
        program_context(program, municipality, today=timezone.localdate()),
        back=(reverse("reports:program_documents", args=[program.pk]), _("Documents")),
        pdf_url=selectors.with_municipality(
            reverse("reports:program_report_pdf", args=[program.pk]), municipality
        ),
        latest=selectors.latest(
            request.user, program_scope(program, municipality), ReportKind.PROGRAM
        ),
    )


@require_POST
def program_report_pdf(request, pk: int):
    program = access.get_program_for_user(request.user, pk)
    municipality = _municipality(request, program)
    report = document_services.request_program_report(
        program, by=request.user, today=timezone.localdate(), municipality=municipality
    )
    return redirect("reports:report_status", pk=report.pk)


def trainee_report_print(request, pk: int, enrollment_pk: int):
    program = access.get_program_for_user(request.user, pk)
    enrollment = report_access.get_enrollment_for_user(request.user, program, enrollment_pk)
    return _print(
        request,
        "trainee",
        trainee_context(enrollment, today=timezone.localdate()),
        back=(reverse("reports:program_documents", args=[program.pk]), _("Documents")),
        pdf_url=reverse("reports:trainee_report_pdf", args=[program.pk, enrollment.pk]),
        latest=selectors.latest(request.user, f"enrollment:{enrollment.pk}", ReportKind.TRAINEE),
    )


@require_POST
def trainee_report_pdf(request, pk: int, enrollment_pk: int):
    program = access.get_program_for_user(request.user, pk)
    enrollment = report_access.get_enrollment_for_user(request.user, program, enrollment_pk)
    report = document_services.request_trainee_report(
        enrollment, by=request.user, today=timezone.localdate()
    )
    return redirect("reports:report_status", pk=report.pk)


# Fiscal-year summary ---------------------------------------------------------------------------


def _summary_target(request) -> tuple[int, HostCompany | None, list[HostCompany]]:
    """The year (?year=, default this fiscal year) and the host (?host=): one of the hosts
    the person works for; operators may also leave it empty for every host."""
    hosts = report_access.summary_hosts(request.user)
    raw_year = request.POST.get("year") or request.GET.get("year")
    year = forms.summary_year(raw_year, fiscal_year_of(timezone.localdate()))
    raw_host = request.POST.get("host") or request.GET.get("host") or ""
    host = report_access.get_summary_host(request.user, hosts, raw_host)
    return year, host, hosts


def fiscal_year_print(request):
    """A host's summary, or across hosts the scheme's 年度 report (operators, the office)."""
    year, host, hosts = _summary_target(request)
    today = timezone.localdate()
    years = summary_years(request.user, hosts, year, fiscal_year_of(today))
    query = f"?year={year}" + (f"&host={host.pk}" if host else "")
    back = (reverse("programs:home"), _("Home"))
    if host is None:
        back = (reverse("reports:office_year") + f"?year={year}", _("The year's programs"))
    return render(
        request,
        program_documents.TEMPLATES["fiscal_year"],
        {
            **year_report_context(year, host, today),
            "for_pdf": False,
            "back_url": back[0],
            "back_label": back[1],
            "pdf_url": reverse("reports:fiscal_year_pdf") + query,
            "latest": selectors.latest(
                request.user, fiscal_year_scope(year, host), ReportKind.FISCAL_YEAR
            ),
            "choose": {
                "years": years,
                "hosts": hosts,
                "year": year,
                "host": host,
                "all_hosts": report_access.sums_up_every_host(request.user),
            },
        },
    )


@require_POST
def fiscal_year_pdf(request):
    year, host, _hosts = _summary_target(request)
    report = document_services.request_fiscal_year(
        year, host=host, by=request.user, today=timezone.localdate()
    )
    return redirect("reports:report_status", pk=report.pk)
