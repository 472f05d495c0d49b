"""The scheme office's year (年度): every program of the scheme at every host with its
status, trainees, reflection rate, survey change and the documents hosts share with the
office; and the figures of the 年度 report across hosts (per host and in total, with the
call's). A fixed number of queries whatever the number of programs.

The figures reuse the other pages' computations: reflections as the contact's table counts
them (`contact_home.reflection_counts`: submitted, and missing = training days already past
without one), the survey change as the fiscal-year summary does (`fiscal_year.survey_pairs`:
after − before per trainee and agreement question). The office reads these aggregates,
never what a trainee wrote."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from programs.formats import period
from programs.models import Enrollment, HostCompany, Program, Status, fiscal_year_of
from scheme.models import Application, Call, Match, Offer, OfferWeek

from ..access import office_programs
from ..models import Report, ReportKind, ReportState, fiscal_year_scope
from .contact_home import TraineeRow, reflection_counts
from .documents import latest
from .fiscal_year import change_text, fiscal_year_context, mean_change, survey_pairs


@dataclass
class Figures:
    """The figures of a program, of a host's programs or of the whole year."""

    programs: int = 0
    trainees: int = 0
    municipalities: dict = field(default_factory=dict)  # pk -> name
    submitted: int = 0
    missing: int = 0
    changes: list = field(default_factory=list)  # after − before, per trainee and question

    def add(self, other: "Figures") -> None:
        self.programs += other.programs
        self.trainees += other.trainees
        self.municipalities.update(other.municipalities)
        self.submitted += other.submitted
        self.missing += other.missing
        self.changes += other.changes

    @property
    def rate(self) -> float | None:
        """Submitted of the reflections due so far (submitted + missing); None before any."""
        due = self.submitted + self.missing
        return self.submitted / due if due else None

    @property
    def rate_text(self) -> str:
        return f"{self.rate:.0%}" if self.rate is not None else "—"

    @property
    def change(self) -> float | None:
        return mean_change(self.changes)

    @property
    def change_text(self) -> str:
        return change_text(self.change)

    @property
    def municipality_names(self) -> str:
        return "、".join(sorted(self.municipalities.values()))


def program_figures(programs: list[Program], today: date) -> dict[int, Figures]:
    """Each program's figures on `today`: its active trainees, its municipalities (its
    trainees', or the municipality of the match it came from before anyone is enrolled),
    their reflections and their survey change."""
    by_pk = {p.pk: p for p in programs}
    found = {pk: Figures(programs=1) for pk in by_pk}
    enrollments = list(
        Enrollment.objects.active().filter(program__in=list(by_pk)).select_related("municipality")
    )
    for enrollment in enrollments:
        enrollment.program = by_pk[enrollment.program_id]
        mine = found[enrollment.program_id]
        mine.trainees += 1
        mine.municipalities[enrollment.municipality_id] = enrollment.municipality.name
    rows = [TraineeRow(e) for e in enrollments]
    if rows:
        reflection_counts(rows, today)
    for row in rows:
        found[row.enrollment.program_id].submitted += row.submitted
        found[row.enrollment.program_id].missing += row.missing
    for program_id, municipality_id, name in (
        Match.objects.confirmed()
        .filter(program__in=list(by_pk))
        .values_list(
            "program_id", "application__municipality_id", "application__municipality__name"
        )
    ):
        found[program_id].municipalities.setdefault(municipality_id, name)
    pairs, _texts = survey_pairs(list(by_pk))
    for program_id, _question, before, after in pairs:
        found[program_id].changes.append(after - before)
    return found


# The office's page -----------------------------------------------------------------------------


def page(user, year: int, today: date) -> dict:
    """The office's year: its programs, the year switcher, the call's figures and the 年度
    report (its latest version, print view, PDF and CSV)."""
    programs = list(
        office_programs(user)
        .filter(fiscal_year=year)
        .with_effective_status(today)
        .select_related("host")
        .order_by("start_date", "host__name", "title", "pk")
    )
    figures = program_figures(programs, today)
    shared = _shared_documents(user, programs)
    statuses = dict(Status.choices)
    rows = [
        {
            "host": p.host.name,
            "title": p.title,
            "period": period(p.start_date, p.end_date),
            "municipalities": figures[p.pk].municipality_names or "—",
            "status": p.effective_status,
            "status_label": statuses[p.effective_status],
            "trainees": figures[p.pk].trainees,
            "rate": figures[p.pk].rate_text,
            "change": figures[p.pk].change_text,
            "documents": shared.get(p.pk, []),
        }
        for p in programs
    ]
    query = f"?year={year}"
    return {
        "year": year,
        "years": _years(user, year, fiscal_year_of(today)),
        "rows": rows,
        "call": call_figures(year),
        "latest": latest(user, fiscal_year_scope(year, None), ReportKind.FISCAL_YEAR),
        "print_url": reverse("reports:fiscal_year_print") + query,
        "pdf_url": reverse("reports:fiscal_year_pdf") + query,
        "csv_url": reverse("reports:office_year_csv") + query,
        "today": today,
    }


def _years(user, year: int, this_year: int) -> list[int]:
    """Newest first: the years of the scheme's programs and calls, the one shown and this."""
    found = set(office_programs(user).values_list("fiscal_year", flat=True).distinct())
    found |= set(Call.objects.visible_to(user).values_list("fiscal_year", flat=True))
    return sorted(found | {year, this_year}, reverse=True)


def _shared_documents(user, programs) -> dict[int, list[dict]]:
    """What each program's host shares with the office: the whole program report (研修実施
    報告書), its latest built version (Report.objects.visible_to says which)."""
    newest = {}
    for report in (
        Report.objects.visible_to(user)
        .filter(
            kind=ReportKind.PROGRAM,
            municipality__isnull=True,
            state=ReportState.DONE,
            program__in=[p.pk for p in programs],
        )
        .order_by("version")
    ):
        newest[report.program_id] = report  # ordered by version: the newest stays
    label = _("Program report")
    return {
        program_id: [
            {
                "label": f"{label} v{report.version}"
                + (f"（{_('Interim')}）" if report.interim else ""),
                "url": reverse("reports:report_download", args=[report.pk]),
                "filename": report.filename,
            }
        ]
        for program_id, report in newest.items()
    }


# The 年度 report across hosts ------------------------------------------------------------------


def call_figures(year: int) -> dict | None:
    """The published call of the year, if any: its live offers and the places they hold
    (places × weeks), live applications (and the staff they would send), confirmed matches
    (and their staff)."""
    call = Call.objects.filter(fiscal_year=year, published_at__isnull=False).first()
    if call is None:
        return None
    applications = Application.objects.live().filter(call=call)
    asked = applications.aggregate(count=Count("pk"), staff=Sum("staff"))
    matched = (
        Match.objects.confirmed().filter(call=call).aggregate(count=Count("pk"), staff=Sum("staff"))
    )
    return {
        "title": call.title,
        "offers": Offer.objects.live().filter(call=call).count(),
        "hosts": Offer.objects.live().filter(call=call).values("host").distinct().count(),
        "places": OfferWeek.objects.filter(
            call=call, live=True, offer__withdrawn_at__isnull=True
        ).aggregate(places=Sum("offer__places"))["places"]
        or 0,
        "applications": asked["count"],
        "staff_asked": asked["staff"] or 0,
        "matched": matched["count"],
        "staff_matched": matched["staff"] or 0,
    }


def year_report_context(year: int, host: HostCompany | None, today: date | None) -> dict:
    """The fiscal-year summary; across hosts (the scheme's 年度 report, host None) with the
    figures per host and in total and the call's, on `today` (before the year is over, the
    report says as of which day)."""
    context = fiscal_year_context(year, host)
    if host is not None:
        return context
    if today is None:
        raise ValueError("The report across hosts counts as of a day: give `today`.")
    figures = program_figures(context["programs"], today)
    per_host = defaultdict(Figures)
    names = {}
    total = Figures()
    for program in context["programs"]:
        per_host[program.host_id].add(figures[program.pk])
        names[program.host_id] = program.host.name
        total.add(figures[program.pk])
    host_rows = sorted(
        ({"name": names[pk], "figures": f} for pk, f in per_host.items()),
        key=lambda row: row["name"],
    )
    return {
        **context,
        "author": "事務局",
        "host_rows": host_rows,
        "total": total,
        "call": call_figures(year),
        "as_of": today if today <= date(year + 1, 3, 31) else None,
    }


def csv_table(context: dict) -> tuple[list[str], list[list]]:
    """The 年度 report as CSV: one line per host, the total, then the call's figures."""
    header = [
        _("Host company"),
        _("Programs"),
        _("Trainees"),
        pgettext("office year", "Municipalities"),
        _("Reflections submitted"),
        _("Reflections due so far"),
        _("Reflection rate (%)"),
        _("Survey change (mean after − before)"),
    ]

    def line(name: str, f: Figures) -> list:
        return [
            name,
            f.programs,
            f.trainees,
            len(f.municipalities),
            f.submitted,
            f.submitted + f.missing,
            f"{f.rate * 100:.1f}" if f.rate is not None else "",
            f"{f.change:.2f}" if f.change is not None else "",
        ]

    lines = [line(row["name"], row["figures"]) for row in context["host_rows"]]
    lines.append(line(_("Total"), context["total"]))
    call = context["call"]
    if call:
        lines += [
            [],
            [pgettext("office year", "Call"), call["title"]],
            [pgettext("office year", "Offers"), call["offers"]],
            [pgettext("office year", "Places (places × weeks)"), call["places"]],
            [pgettext("office year", "Applications"), call["applications"]],
            [_("Staff asked for"), call["staff_asked"]],
            [pgettext("office year", "Matched"), call["matched"]],
            [_("Staff matched"), call["staff_matched"]],
        ]
    return header, lines


def csv_filename(year: int) -> str:
    return f"研修事業年度報告_{year}年度.csv"
