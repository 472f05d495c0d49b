"""What the pages of stored documents read: a document's versions and its trip, the latest
version of a document, and the rows of a program's documents page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from programs import access
from programs.models import Enrollment, Municipality, Program
from seminars.models import Trip

from ..models import Report, ReportKind, program_scope


def versions(user, report: Report):
    """Every version of the document the person may hold, newest first."""
    return (
        Report.objects.visible_to(user)
        .filter(kind=report.kind, scope=report.scope)
        .order_by("-version")
    )


def trip_of(user, report: Report) -> Trip | None:
    """The trip an itinerary covers, when the person may see it."""
    return (
        Trip.objects.visible_to(user).filter(pk=report.trip_id).first()
        if report.kind == ReportKind.ITINERARY
        else None
    )


def office_back(user, report: Report) -> str | None:
    """The office's year page, for the office reading a program's document that its host
    shares with it (the program's own pages are not the office's)."""
    if report.program is None or not access.roles_of(user)["office"]:
        return None
    if access.works_for_host(user, report.program):
        return None
    return reverse("reports:office_year") + f"?year={report.program.fiscal_year}"


def latest_itinerary(trip: Trip) -> Report | None:
    return Report.objects.filter(kind=ReportKind.ITINERARY, scope=f"trip:{trip.pk}").first()


def latest(user, scope: str, kind: str) -> Report | None:
    return (
        Report.objects.visible_to(user).filter(kind=kind, scope=scope).order_by("-version").first()
    )


def with_municipality(url: str, municipality: Municipality | None) -> str:
    return f"{url}?municipality={municipality.pk}" if municipality else url


# A program's documents page ------------------------------------------------------------------


def program_documents(user, program: Program, *, is_host: bool) -> dict:
    """The program's documents: the report (whole, and per municipality), each trainee's
    研修報告書 with its latest version. Three queries for the documents whatever the number
    of trainees."""
    enrollments = list(
        Enrollment.objects.visible_to(user)
        .filter(program=program, withdrawn_at__isnull=True)
        .select_related("trainee", "municipality")
        .order_by("trainee__family_name_kana", "trainee__email")
    )
    municipalities = _municipalities(program, enrollments, is_host=is_host)
    latest = {}
    for report in Report.objects.visible_to(user).filter(program=program).order_by("version"):
        latest[report.scope] = report  # ordered by version: the newest stays
    report_rows = []
    if is_host or access.roles_of(user)["supervisor"]:
        report_rows = _report_rows(program, municipalities, latest, is_host=is_host)
    return {
        "report_rows": report_rows,
        "trainee_rows": _trainee_rows(program, enrollments, latest),
    }


def _municipalities(program: Program, enrollments, *, is_host: bool) -> list[Municipality]:
    """The municipalities of the trainees the person sees; the host's people all of the
    program's."""
    if is_host:
        # The program's municipalities, withdrawn trainees' too: the host may report on them.
        return list(
            Municipality.objects.filter(enrollments__program=program)
            .distinct()
            .order_by("prefecture", "code", "name")
        )
    return sorted(
        {e.municipality_id: e.municipality for e in enrollments}.values(),
        key=lambda m: (m.prefecture, m.code, m.name),
    )


def _report_rows(program: Program, municipalities, latest: dict, *, is_host: bool) -> list:
    """The whole program report (the host's people only), then one per municipality."""
    print_url = reverse("reports:program_report_print", args=[program.pk])
    pdf_url = reverse("reports:program_report_pdf", args=[program.pk])
    rows = []
    if is_host:
        rows.append(
            {
                "label": _("Whole program (for the host)"),
                "latest": latest.get(program_scope(program)),
                "print_url": print_url,
                "pdf_url": pdf_url,
            }
        )
    rows += [
        {
            "label": _("For %(municipality)s (its trainees only)") % {"municipality": m.name},
            "latest": latest.get(program_scope(program, m)),
            "print_url": with_municipality(print_url, m),
            "pdf_url": with_municipality(pdf_url, m),
        }
        for m in municipalities
    ]
    return rows


def _trainee_rows(program: Program, enrollments, latest: dict) -> list:
    return [
        {
            "enrollment": e,
            "latest": latest.get(f"enrollment:{e.pk}"),
            "print_url": reverse("reports:trainee_report_print", args=[program.pk, e.pk]),
            "pdf_url": reverse("reports:trainee_report_pdf", args=[program.pk, e.pk]),
        }
        for e in enrollments
    ]
