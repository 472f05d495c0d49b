"""CSV exports of one fiscal year (年度, April–March): programs, enrolments, daily reflections,
seminars and travel expenses. For Excel in Japan: UTF-8 with a BOM, every cell neutralised
against formulas (`documents.csv_rows`).

Each export starts from the scoped managers (`visible_to`), so a person gets exactly the rows
their pages show them: the host's people everything of their programs, a supervisor their own
municipality's trainees only. A draft reflection shows its state to the host, never its text.
Anyone else (a trainee, someone without a role) and any program outside the person's scope
answer 404.

Files are streamed: the rows are read with `.iterator()` and anything a row needs from other
tables is fetched once per chunk of rows, so memory stays flat and the number of queries does
not grow with the number of rows. Labels are looked up before streaming starts (the response
is written after the view has returned)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from programs.models import Program

from .export_people import (
    enrollment_header,
    enrollment_rows,
    program_header,
    program_rows,
    reflection_header,
    reflection_rows,
)
from .export_trips import expense_header, expense_rows, seminar_header, seminar_rows

# kind: (file name stem, header, rows, for the host's people only)
EXPORTS = {
    "programs": ("研修一覧", program_header, program_rows, False),
    "enrollments": ("参加者一覧", enrollment_header, enrollment_rows, False),
    "reflections": ("振り返り", reflection_header, reflection_rows, False),
    "seminars": ("セミナー", seminar_header, seminar_rows, True),
    "expenses": ("旅費", expense_header, expense_rows, False),
}


def filename_of(stem: str, year: int, program_pk: int | None = None) -> str:
    """研修一覧_2026年度.csv; with one program, its id after the year."""
    suffix = f"_{program_pk}" if program_pk is not None else ""
    return f"{stem}_{year}年度{suffix}.csv"


def export_choices(user, year: int, this_year: int, wanted: int | None) -> dict:
    """The years and the year's programs to choose from on the exports page, and the program
    chosen (?program=) when it is one of them."""
    visible = Program.objects.visible_to(user)
    held = visible.order_by().values_list("fiscal_year", flat=True).distinct()
    years = sorted({*held, this_year, year}, reverse=True)
    programs = list(
        visible.filter(fiscal_year=year).order_by("start_date", "title").values("pk", "title")
    )
    program = None
    if wanted is not None:
        program = next((p for p in programs if p["pk"] == wanted), None)
    return {"years": years, "year": year, "programs": programs, "program": program}


def export_links(year: int, program: dict | None, *, is_host: bool) -> list[dict]:
    """A link to each file the person may download, with its title and what it holds."""
    descriptions = {
        "programs": _(
            "Each program of the year: host, dates, status, number of trainees, "
            "municipalities, seminars and submitted reflections."
        ),
        "enrollments": _(
            "Each trainee enrolled: municipality, department, position, mentor and status."
        ),
        "reflections": _(
            "Each trainee's daily reflection, one row per day: its state and, once "
            "submitted, its text (a draft's text stays with its author)."
        ),
        "seminars": _(
            "Each seminar: date, kind, venue, partner, attendance, trainees and outcomes."
        ),
        "expenses": _("Each travel expense line of the trips: who, what, how much, paid by whom."),
    }
    titles = {
        "programs": _("Programs"),
        "enrollments": _("Trainees"),
        "reflections": _("Daily reflections"),
        "seminars": _("Seminars"),
        "expenses": _("Travel expenses"),
    }
    query = f"?year={year}" + (f"&program={program['pk']}" if program else "")
    return [
        {
            "url": reverse(f"reports:export_{kind}") + query,
            "title": titles[kind],
            "description": descriptions[kind],
            "filename": filename_of(stem, year, program["pk"] if program else None),
        }
        for kind, (stem, _header, _rows, host_only) in EXPORTS.items()
        if is_host or not host_only
    ]
