"""The end-of-program documents' HTML: the program report, each trainee's 研修報告書 and the
fiscal-year summary, from their contexts (reports.selectors.program_reports and
reports.selectors.fiscal_year). The browser's print view and the PDF render the same context
with the same template; the PDF's HTML is in Japanese, its stylesheet inline."""

from datetime import date

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from programs.models import Enrollment, HostCompany, Municipality, Program

from .selectors.office_year import year_report_context
from .selectors.program_reports import program_context, trainee_context

TEMPLATES = {
    "program": "reports/program_report.html",
    "trainee": "reports/trainee_report.html",
    "fiscal_year": "reports/fiscal_year.html",
}


def stylesheet() -> str:
    with open(finders.find("css/report.css"), encoding="utf-8") as handle:
        return handle.read()


def render_html(kind: str, context: dict) -> str:
    """The PDF's HTML: its stylesheet inline (the engine reads no static files)."""
    return render_to_string(
        TEMPLATES[kind], {**context, "for_pdf": True, "stylesheet": stylesheet()}
    )


def _in_japanese(kind: str, build) -> str:
    with translation.override("ja"):
        return render_html(kind, build())


def program_html(program: Program, municipality: Municipality | None = None, *, today: date) -> str:
    return _in_japanese("program", lambda: program_context(program, municipality, today=today))


def trainee_html(enrollment: Enrollment, *, today: date) -> str:
    return _in_japanese("trainee", lambda: trainee_context(enrollment, today=today))


def fiscal_year_html(
    year: int, host: HostCompany | None = None, *, today: date | None = None
) -> str:
    """A host's summary, or across hosts the scheme's 年度 report (its figures on `today`)."""
    return _in_japanese("fiscal_year", lambda: year_report_context(year, host, today))
