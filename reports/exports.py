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

from dataclasses import dataclass
from datetime import date
from itertools import islice
from zoneinfo import ZoneInfo

from django.core.exceptions import BadRequest
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from config.translated import choice_labels
from programs import access
from programs.date_range import FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR
from programs.integers import id_param, int_param
from programs.models import Enrollment, Program, Status, fiscal_year_of, worked_for
from programs.prefectures import Prefecture
from seminars.models import Expense, ExpenseCategory, Payer, Seminar, SeminarKind, SeminarRole, Trip
from trainees.models import SECTION_NAMES, DailyReflection, ReflectionStatus
from trainees.services.reflections import activity_dates_by_program, reflection_days

from .documents import csv_rows  # every cell goes through documents.safe_cell

CHUNK = 500
TOKYO = ZoneInfo("Asia/Tokyo")
FIRST_YEAR, LAST_YEAR = FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR  # every 年度 a program can fall in


# Who asks, for which year and program --------------------------------------------------------


@dataclass
class Scope:
    user: object
    year: int
    program: Program | None
    programs: object  # the programs of the export: visible to the user, of the year
    is_host: bool  # one of a host's people (or an operator): may read every row of its programs
    unrestricted: bool  # an operator (superuser)


def current_fiscal_year() -> int:
    """The fiscal year of today's date in Japan, whatever the server's clock zone."""
    return fiscal_year_of(timezone.localdate(timezone=TOKYO))


def _year(raw: str | None, default: int) -> int:
    if raw in (None, ""):
        return default
    year = int_param(raw, minimum=FIRST_YEAR, maximum=LAST_YEAR)
    if year is None:
        raise BadRequest("year")
    return year


def who_may_export(user) -> tuple[bool, bool]:
    """(may export at all, is one of a host's people). Exports are for the host's people and
    supervisors; a trainee (or anyone else) has none."""
    unrestricted = bool(user.is_authenticated and user.is_active and user.is_superuser)
    roles = access.roles_of(user)
    is_host = unrestricted or bool(roles["host_ids"])
    return is_host or roles["supervisor"], is_host


def scope_of(request, *, host_only: bool = False) -> Scope:
    """The person's programs of the asked year (?year=, default the current one) and, with
    ?program=, that one program: 404 when it is not theirs to see."""
    user = request.user
    allowed, is_host = who_may_export(user)
    if not allowed or (host_only and not is_host):
        raise Http404
    unrestricted = bool(user.is_active and user.is_superuser)
    programs = Program.objects.visible_to(user)
    if host_only and not unrestricted:
        # Seminars are the host's own business: only the programs of the hosts one works for.
        programs = programs.filter(host__in=worked_for(user))
    program = None
    raw = request.GET.get("program")
    if raw:
        if (pk := id_param(raw)) is None:
            raise Http404
        program = get_object_or_404(programs, pk=pk)
    year = _year(request.GET.get("year"), program.fiscal_year if program else current_fiscal_year())
    programs = programs.filter(fiscal_year=year)
    if program is not None:
        programs = programs.filter(pk=program.pk)
    return Scope(user, year, program, programs, is_host, unrestricted)


# Helpers ---------------------------------------------------------------------------------------


def _chunks(iterable, size: int = CHUNK):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _name(family, given, email) -> str:
    """As `User.display_name`: family name first, the address when no name is known."""
    return f"{family or ''} {given or ''}".strip() or (email or "")


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _count(queryset, link: str):
    """A correlated subquery counting `queryset`'s rows whose `link` is the outer program."""
    counted = (
        queryset.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# 1. Programs ---------------------------------------------------------------------------------


def program_header() -> list[str]:
    return [
        _("Fiscal year"),
        _("Host company"),
        _("Title"),
        capfirst(_("start date")),
        capfirst(_("end date")),
        _("Status"),
        _("Active trainees"),
        capfirst(_("municipalities")),
        _("Seminars"),
        _("Submitted reflections"),
    ]


def program_rows(scope: Scope):
    """One row per program. Counts as the person sees them: a supervisor counts their own
    municipality's trainees, the seminars these take part in and their submitted reflections."""
    user = scope.user
    enrollments = Enrollment.objects.visible_to(user).active()
    programs = (
        scope.programs.with_effective_status(timezone.localdate())
        .annotate(
            active_trainees=_count(enrollments, "program"),
            seminar_count=_count(Seminar.objects.visible_to(user), "program"),
            submitted_reflections=_count(
                DailyReflection.objects.visible_to(user).submitted(), "enrollment__program"
            ),
        )
        .order_by("start_date", "title", "pk")
        .values(
            "pk",
            "fiscal_year",
            "host__name",
            "title",
            "start_date",
            "end_date",
            "effective_status",
            "active_trainees",
            "seminar_count",
            "submitted_reflections",
        )
    )
    statuses = choice_labels(Status)
    return _program_lines(programs, enrollments, statuses)


def _program_lines(programs, enrollments, statuses):
    for chunk in _chunks(programs.iterator(chunk_size=CHUNK)):
        names: dict[int, list[str]] = {}
        for program_id, name in (
            enrollments.filter(program__in=[p["pk"] for p in chunk])
            .order_by("program", "municipality__code")
            .values_list("program", "municipality__name")
            .distinct()
        ):
            names.setdefault(program_id, []).append(name)
        for p in chunk:
            yield [
                p["fiscal_year"],
                p["host__name"],
                p["title"],
                _day(p["start_date"]),
                _day(p["end_date"]),
                statuses.get(p["effective_status"], p["effective_status"]),
                p["active_trainees"],
                "、".join(names.get(p["pk"], [])),
                p["seminar_count"],
                p["submitted_reflections"],
            ]


# 2. Enrolments -------------------------------------------------------------------------------


def enrollment_header() -> list[str]:
    return [
        _("Program"),
        _("Trainee"),
        capfirst(_("family name (kana)")),
        capfirst(_("given name (kana)")),
        _("Municipality"),
        capfirst(_("prefecture")),
        _("Department"),
        _("Position"),
        _("Mentor"),
        _("Status"),
        _("Enrolled at"),
    ]


def enrollment_rows(scope: Scope):
    """Every enrolment the person may see in the year's programs: the host's people all of
    their programs', a supervisor their own municipality's trainees' (withdrawn ones too)."""
    rows = (
        Enrollment.objects.visible_to(scope.user)
        .filter(program__in=scope.programs)
        .order_by(
            "program__start_date",
            "program__title",
            "program",
            "trainee__family_name_kana",
            "trainee__given_name_kana",
            "trainee__email",
            "pk",
        )
        .values(
            "program__title",
            "trainee__family_name",
            "trainee__given_name",
            "trainee__email",
            "trainee__family_name_kana",
            "trainee__given_name_kana",
            "municipality__name",
            "municipality__prefecture",
            "department",
            "position",
            "mentor__family_name",
            "mentor__given_name",
            "mentor__email",
            "withdrawn_at",
            "created_at",
        )
    )
    prefectures = choice_labels(Prefecture)
    active, withdrawn = _("Enrolled"), _("Withdrawn")
    return (
        [
            e["program__title"],
            _name(e["trainee__family_name"], e["trainee__given_name"], e["trainee__email"]),
            e["trainee__family_name_kana"],
            e["trainee__given_name_kana"],
            e["municipality__name"],
            prefectures.get(e["municipality__prefecture"], ""),
            e["department"],
            e["position"],
            _name(e["mentor__family_name"], e["mentor__given_name"], e["mentor__email"]),
            withdrawn if e["withdrawn_at"] else active,
            _moment(e["created_at"]),
        ]
        for e in rows.iterator(chunk_size=CHUNK)
    )


# 3. Daily reflections ------------------------------------------------------------------------


def reflection_header() -> list[str]:
    return [
        _("Date"),
        _("Program"),
        _("Trainee"),
        _("Municipality"),
        _("State"),
        capfirst(_("late")),
        _("Self-rating"),
        _("What I did today"),
        _("What I learned"),
        _("What I felt or found surprising"),
        _("Questions and worries"),
        _("Tomorrow's goal"),
    ]


def reflection_rows(scope: Scope):
    """One row per enrolment and reflection day. The text only of submitted reflections the
    person may read; a draft stays with its author: the host's people see that one was
    started (its state, as on their matrix), a supervisor sees "not submitted"."""
    user = scope.user
    enrollments = (
        Enrollment.objects.visible_to(user)
        .filter(program__in=scope.programs)
        .order_by(
            "program__start_date",
            "program__title",
            "program",
            "trainee__family_name_kana",
            "trainee__given_name_kana",
            "trainee__email",
            "pk",
        )
        .values(
            "pk",
            "program_id",
            "program__title",
            "program__start_date",
            "program__end_date",
            "trainee__family_name",
            "trainee__given_name",
            "trainee__email",
            "municipality__name",
        )
    )
    # Text from `visible_to` (never a draft but one's own); the state of drafts from
    # `states_visible_to` (the host's people only).
    readable = DailyReflection.objects.visible_to(user) | DailyReflection.objects.states_visible_to(
        user
    )
    states = {
        "": _("Not submitted yet"),
        **choice_labels(ReflectionStatus),
    }
    late = capfirst(_("late"))
    return _reflection_lines(enrollments, readable, states, late)


def _reflection_lines(enrollments, readable, states, late_label):
    for chunk in _chunks(enrollments.iterator(chunk_size=CHUNK)):
        activity_dates = activity_dates_by_program({e["program_id"] for e in chunk})
        written: dict[int, dict[date, dict]] = {}
        for r in (
            readable.filter(enrollment__in=[e["pk"] for e in chunk])
            .order_by()
            .values("enrollment_id", "date", "status", "late", "self_rating", *SECTION_NAMES)
        ):
            written.setdefault(r["enrollment_id"], {})[r["date"]] = r
        days_of: dict[int, list[date]] = {}
        for e in chunk:
            program_id = e["program_id"]
            if program_id not in days_of:
                program = Program(
                    start_date=e["program__start_date"], end_date=e["program__end_date"]
                )
                days_of[program_id] = reflection_days(
                    program, activity_dates.get(program_id, set())
                )
            mine = written.get(e["pk"], {})
            # A day that has a reflection stays in the file even if its activity moved.
            days = sorted(set(days_of[program_id]) | set(mine))
            trainee = _name(
                e["trainee__family_name"], e["trainee__given_name"], e["trainee__email"]
            )
            for day in days:
                r = mine.get(day)
                shown = r is not None and r["status"] != ReflectionStatus.DRAFT
                yield [
                    _day(day),
                    e["program__title"],
                    trainee,
                    e["municipality__name"],
                    states[r["status"] if r else ""],
                    late_label if shown and r["late"] else "",
                    (r["self_rating"] or "") if shown else "",
                    *((r[name] if shown else "") for name in SECTION_NAMES),
                ]


# 4. Seminars (the host's people only) --------------------------------------------------------


def seminar_header() -> list[str]:
    return [
        _("Program"),
        _("Date"),
        _("Time"),
        _("Kind"),
        _("Title"),
        _("Venue"),
        _("Partner organisation"),
        _("Expected attendance"),
        _("Actual attendance"),
        _("Trainees taking part"),
        _("Outcomes"),
    ]


def seminar_rows(scope: Scope):
    taking_part = (
        SeminarRole.objects.filter(seminar=OuterRef("pk"))
        .order_by()
        .values("seminar")
        .annotate(n=Count("pk"))
        .values("n")
    )
    seminars = (
        Seminar.objects.visible_to(scope.user)
        .filter(program__in=scope.programs)
        .annotate(taking_part=Coalesce(Subquery(taking_part, output_field=IntegerField()), 0))
        .order_by("date", "start_time", "program__title", "pk")
        .values(
            "program__title",
            "date",
            "start_time",
            "end_time",
            "kind",
            "title",
            "venue",
            "partner",
            "expected_attendance",
            "actual_attendance",
            "taking_part",
            "outcomes",
        )
    )
    kinds = choice_labels(SeminarKind)
    return (
        [
            s["program__title"],
            _day(s["date"]),
            f"{s['start_time']:%H:%M}–{s['end_time']:%H:%M}",
            kinds.get(s["kind"], s["kind"]),
            s["title"],
            s["venue"],
            s["partner"],
            s["expected_attendance"],
            "" if s["actual_attendance"] is None else s["actual_attendance"],
            s["taking_part"],
            s["outcomes"],
        ]
        for s in seminars.iterator(chunk_size=CHUNK)
    )


# 5. Travel expenses --------------------------------------------------------------------------


def expense_header() -> list[str]:
    return [
        _("Program"),
        _("First day"),
        _("Last day"),
        _("Trip"),
        _("Participant"),
        _("Affiliation"),
        _("Category"),
        _("Amount (yen)"),
        _("Paid by"),
        _("Note"),
    ]


def expense_rows(scope: Scope):
    """Every line of the trips the person may see; a supervisor only the lines of their own
    municipality's trainees (as the trip page shows them), never the host's staff's."""
    user = scope.user
    lines = Expense.objects.filter(
        trip__in=Trip.objects.visible_to(user).filter(program__in=scope.programs)
    )
    if not scope.unrestricted:
        lines = lines.filter(
            Q(trip__program__host__in=worked_for(user))
            | Q(enrollment__in=Enrollment.objects.visible_to(user).values("pk"))
        )
    return expense_lines(lines)


def expense_lines(lines):
    """The CSV rows of these expense lines (columns as `expense_header`), read in chunks of
    plain values: the exports and a trip's own CSV write an expense line the same way."""
    lines = lines.order_by(
        "trip__program__start_date",
        "trip__program__title",
        "trip__program",
        "trip__start_date",
        "trip",
        "enrollment__trainee__family_name_kana",
        "staff__family_name_kana",
        "leg__depart_at",
        "pk",
    ).values(
        "trip__program__title",
        "trip__program__host__name",
        "trip__start_date",
        "trip__end_date",
        "trip__purpose",
        "enrollment_id",
        "enrollment__trainee__family_name",
        "enrollment__trainee__given_name",
        "enrollment__trainee__email",
        "enrollment__municipality__name",
        "staff__family_name",
        "staff__given_name",
        "staff__email",
        "category",
        "amount",
        "payer",
        "note",
    )
    return _expense_lines(lines, choice_labels(ExpenseCategory))


def _expense_lines(lines, categories):
    for line in lines.iterator(chunk_size=CHUNK):
        host = line["trip__program__host__name"]
        if line["enrollment_id"]:
            person = _name(
                line["enrollment__trainee__family_name"],
                line["enrollment__trainee__given_name"],
                line["enrollment__trainee__email"],
            )
            municipality = line["enrollment__municipality__name"]
        else:
            person = _name(
                line["staff__family_name"], line["staff__given_name"], line["staff__email"]
            )
            municipality = ""
        yield [
            line["trip__program__title"],
            _day(line["trip__start_date"]),
            _day(line["trip__end_date"]),
            line["trip__purpose"],
            person,
            municipality or host,
            categories.get(line["category"], line["category"]),
            line["amount"],
            host if line["payer"] == Payer.HOST else municipality,
            line["note"],
        ]


# Views ----------------------------------------------------------------------------------------

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
    allowed, is_host = who_may_export(user)
    if not allowed:
        raise Http404
    visible = Program.objects.visible_to(user)
    this_year = current_fiscal_year()
    year = _year(request.GET.get("year"), this_year)
    held = visible.order_by().values_list("fiscal_year", flat=True).distinct()
    years = sorted({*held, this_year, year}, reverse=True)
    programs = list(
        visible.filter(fiscal_year=year).order_by("start_date", "title").values("pk", "title")
    )
    program = None
    wanted = id_param(request.GET.get("program"))
    if wanted is not None:
        program = next((p for p in programs if p["pk"] == wanted), None)
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
    exports = [
        {
            "url": reverse(f"reports:export_{kind}") + query,
            "title": titles[kind],
            "description": descriptions[kind],
            "filename": filename_of(stem, year, program["pk"] if program else None),
        }
        for kind, (stem, _header, _rows, host_only) in EXPORTS.items()
        if is_host or not host_only
    ]
    return render(
        request,
        "reports/exports.html",
        {
            "years": years,
            "year": year,
            "programs": programs,
            "program": program,
            "exports": exports,
            "is_host": is_host,
        },
    )
