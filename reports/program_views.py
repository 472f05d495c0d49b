"""End-of-program documents: the program's documents page, the print views (the same template
as the PDF) and the requests for PDFs, which a worker builds. Who may ask for a document is
who may see every part of it (Report.objects.visible_to says the same for its downloads):
the host's people; a supervisor for their own municipality's trainees; a trainee for their own
研修報告書. Anything else answers 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs import access
from programs.date_range import FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR
from programs.integers import id_param, int_param
from programs.models import (
    Enrollment,
    HostCompany,
    Municipality,
    Program,
    fiscal_year_of,
    supervised_by,
)

from . import program_documents, services
from .models import Report, ReportKind


def _municipality(request, program: Program) -> Municipality | None:
    """The municipality a program report is made for (?municipality=), checked: the host's
    people may ask for any of the program's, a supervisor only for their own; without one,
    the whole report, for the host's people only."""
    raw = request.POST.get("municipality") or request.GET.get("municipality")
    if not raw:
        if not access.works_for_host(request.user, program):
            raise Http404
        return None
    if (pk := id_param(raw)) is None:
        raise Http404
    mine = Municipality.objects.filter(pk=pk, enrollments__program=program)
    if not access.works_for_host(request.user, program):
        mine = mine.filter(pk__in=supervised_by(request.user))
    municipality = mine.distinct().first()
    if municipality is None:
        raise Http404
    return municipality


def _enrollment(request, program: Program, enrollment_pk: int) -> Enrollment:
    """A trainee's enrolment the user may see: the host's people, the supervisor of the
    trainee's municipality, the trainee."""
    return get_object_or_404(
        Enrollment.objects.visible_to(request.user).select_related("trainee", "municipality"),
        pk=enrollment_pk,
        program=program,
    )


def _latest(user, scope: str, kind: str) -> Report | None:
    return (
        Report.objects.visible_to(user).filter(kind=kind, scope=scope).order_by("-version").first()
    )


def documents_page(request, pk: int):
    """The program's documents: the report (whole, and per municipality), each trainee's
    研修報告書 with its latest version, and the CSV exports. Three queries for the
    documents whatever the number of trainees."""
    program = access.get_program_for_user(request.user, pk)
    is_host = access.works_for_host(request.user, program)
    enrollments = list(
        Enrollment.objects.visible_to(request.user)
        .filter(program=program, withdrawn_at__isnull=True)
        .select_related("trainee", "municipality")
        .order_by("trainee__family_name_kana", "trainee__email")
    )
    municipalities = sorted(
        {e.municipality_id: e.municipality for e in enrollments}.values(),
        key=lambda m: (m.prefecture, m.code, m.name),
    )
    if is_host:
        # The program's municipalities, withdrawn trainees' too: the host may report on them.
        municipalities = list(
            Municipality.objects.filter(enrollments__program=program)
            .distinct()
            .order_by("prefecture", "code", "name")
        )
    latest = {}
    for report in (
        Report.objects.visible_to(request.user).filter(program=program).order_by("version")
    ):
        latest[report.scope] = report  # ordered by version: the newest stays
    print_url = reverse("reports:program_report_print", args=[program.pk])
    pdf_url = reverse("reports:program_report_pdf", args=[program.pk])
    report_rows = []
    if is_host:
        report_rows.append(
            {
                "label": _("Whole program (for the host)"),
                "latest": latest.get(services.program_scope(program)),
                "print_url": print_url,
                "pdf_url": pdf_url,
            }
        )
    if is_host or access.roles_of(request.user)["supervisor"]:
        report_rows += [
            {
                "label": _("For %(municipality)s (its trainees only)") % {"municipality": m.name},
                "latest": latest.get(services.program_scope(program, m)),
                "print_url": _with_municipality(print_url, m),
                "pdf_url": _with_municipality(pdf_url, m),
            }
            for m in municipalities
        ]
    trainee_rows = [
        {
            "enrollment": e,
            "latest": latest.get(f"enrollment:{e.pk}"),
            "print_url": reverse("reports:trainee_report_print", args=[program.pk, e.pk]),
            "pdf_url": reverse("reports:trainee_report_pdf", args=[program.pk, e.pk]),
        }
        for e in enrollments
    ]
    return render(
        request,
        "reports/program_documents.html",
        {
            "program": program,
            "is_host": is_host,
            "report_rows": report_rows,
            "trainee_rows": trainee_rows,
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


def _with_municipality(url: str, municipality: Municipality | None) -> str:
    return f"{url}?municipality={municipality.pk}" if municipality else url


def program_report_print(request, pk: int):
    program = access.get_program_for_user(request.user, pk)
    municipality = _municipality(request, program)
    return _print(
        request,
        "program",
        program_documents.program_context(program, municipality),
        back=(reverse("reports:program_documents", args=[program.pk]), _("Documents")),
        pdf_url=_with_municipality(
            reverse("reports:program_report_pdf", args=[program.pk]), municipality
        ),
        latest=_latest(
            request.user, services.program_scope(program, municipality), ReportKind.PROGRAM
        ),
    )


@require_POST
def program_report_pdf(request, pk: int):
    program = access.get_program_for_user(request.user, pk)
    municipality = _municipality(request, program)
    report = services.request_program_report(program, by=request.user, municipality=municipality)
    return redirect("reports:report_status", pk=report.pk)


def trainee_report_print(request, pk: int, enrollment_pk: int):
    program = access.get_program_for_user(request.user, pk)
    enrollment = _enrollment(request, program, enrollment_pk)
    return _print(
        request,
        "trainee",
        program_documents.trainee_context(enrollment),
        back=(reverse("reports:program_documents", args=[program.pk]), _("Documents")),
        pdf_url=reverse("reports:trainee_report_pdf", args=[program.pk, enrollment.pk]),
        latest=_latest(request.user, f"enrollment:{enrollment.pk}", ReportKind.TRAINEE),
    )


@require_POST
def trainee_report_pdf(request, pk: int, enrollment_pk: int):
    program = access.get_program_for_user(request.user, pk)
    enrollment = _enrollment(request, program, enrollment_pk)
    report = services.request_trainee_report(enrollment, by=request.user)
    return redirect("reports:report_status", pk=report.pk)


# Fiscal-year summary ---------------------------------------------------------------------------


def _summary_target(request) -> tuple[int, HostCompany | None, list[HostCompany]]:
    """The year (?year=, default this fiscal year) and the host (?host=): one of the hosts
    the person works for; operators may also leave it empty for every host."""
    hosts = list(HostCompany.objects.visible_to(request.user).order_by("name"))
    operator = request.user.is_superuser
    if not operator:
        hosts = [h for h in hosts if h.pk in access.host_ids_of(request.user)]
        if not hosts:
            raise Http404
    raw_year = request.POST.get("year") or request.GET.get("year")
    year = int_param(raw_year, minimum=FIRST_FISCAL_YEAR, maximum=LAST_FISCAL_YEAR) or (
        fiscal_year_of(timezone.localdate())
    )
    raw_host = request.POST.get("host") or request.GET.get("host") or ""
    if raw_host:
        host = next((h for h in hosts if str(h.pk) == raw_host), None)
        if host is None:
            raise Http404
    elif operator:
        host = None
    else:
        host = hosts[0]
    return year, host, hosts


def fiscal_year_print(request):
    year, host, hosts = _summary_target(request)
    years = sorted(
        set(
            Program.objects.visible_to(request.user)
            .filter(host__in=hosts)
            .values_list("fiscal_year", flat=True)
            .distinct()
        )
        | {year, fiscal_year_of(timezone.localdate())},
        reverse=True,
    )
    query = f"?year={year}" + (f"&host={host.pk}" if host else "")
    return render(
        request,
        program_documents.TEMPLATES["fiscal_year"],
        {
            **program_documents.fiscal_year_context(year, host),
            "for_pdf": False,
            "back_url": reverse("programs:home"),
            "back_label": _("Home"),
            "pdf_url": reverse("reports:fiscal_year_pdf") + query,
            "latest": _latest(
                request.user, services.fiscal_year_scope(year, host), ReportKind.FISCAL_YEAR
            ),
            "choose": {
                "years": years,
                "hosts": hosts,
                "year": year,
                "host": host,
                "all_hosts": request.user.is_superuser,
            },
        },
    )


@require_POST
def fiscal_year_pdf(request):
    year, host, _hosts = _summary_target(request)
    report = services.request_fiscal_year(year, host=host, by=request.user)
    return redirect("reports:report_status", pk=report.pk)
