"""The contact's home (the supervisor of a municipality): one row per enrolment of their
municipality's trainees, with how each is doing on `today` (the caller's day), and the same
rows as CSV. A fixed number of queries whatever the number of rows: every figure is read for
all the rows at once.

Figures:
- days done / total: the program's training days (programs.calendar_days) up to `today`;
- reflections: submitted (reviewed ones included), of those late, and missing: training days
  already past (before `today`, and before a withdrawal) with no submitted reflection. Days
  to come are neither;
- survey before and after: answered or not (only when the program has them);
- 復命書: the trips the trainee travels on, and which of their reports were filed;
- interview and article: the interview's state; the article once the trainee has reviewed it;
- 旅費: the expense lines of the trainee whose payer is the municipality (trips not cancelled);
- 研修報告書: what the trainee wrote (未着手, 下書き, 提出済み, 自治体確認済み) and the latest built
  document."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Sum
from django.urls import reverse
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from programs.calendar_days import training_days_by_program
from programs.formats import money
from programs.models import Enrollment
from seminars.models import Expense, Payer, Trip, TripReport, TripStatus
from seminars.models.trip_reports import TripReportStatus
from trainees.models import DailyReflection, Interview, SurveyResponse
from trainees.models.interviews import SUPERVISOR_STATES, InterviewState
from trainees.models.reflections import ReflectionStatus
from trainees.models.surveys import Phase

from ..access import contact_enrollments
from ..models import Report, ReportKind
from .confirmations import EnrolmentConfirmations, municipality_confirmations

FILED = (TripReportStatus.SUBMITTED, TripReportStatus.ACKNOWLEDGED)


@dataclass
class TraineeRow:
    enrollment: Enrollment
    days: list = field(default_factory=list)  # the program's training days
    days_done: int = 0
    submitted: int = 0
    late: int = 0
    missing: int = 0
    survey: dict = field(default_factory=dict)  # phase -> answered (True/False)
    trips: int = 0  # trips the trainee travels on
    trip_reports_filed: int = 0
    trip_reports_acknowledged: int = 0
    interview: Interview | None = None
    travel_costs: int = 0  # yen paid by the municipality
    # The 研修報告書: its latest built document, and what the trainee wrote with its 確認.
    training_report: Report | None = None
    confirmations: EnrolmentConfirmations | None = None

    @property
    def days_total(self) -> int:
        return len(self.days)

    @property
    def article_visible(self) -> bool:
        return self.interview is not None and self.interview.state in SUPERVISOR_STATES

    @property
    def travel_costs_text(self) -> str:
        """12,000円 (programs.formats.money)."""
        return money(self.travel_costs)

    @property
    def interview_label(self) -> str:
        """予定 until it is held, then 実施済み; "" without an interview."""
        if self.interview is None:
            return ""
        if self.interview.state == InterviewState.DRAFT:
            return str(InterviewState.DRAFT.label)
        return str(InterviewState.INTERVIEWED.label)

    @property
    def article_label(self) -> str:
        """The article's state once the trainee has reviewed it; "" before."""
        return self.interview.get_state_display() if self.article_visible else ""

    @property
    def trip_reports_label(self) -> str:
        """提出済み 1/1 (of the trips the trainee travels on); "" without a trip."""
        if not self.trips:
            return ""
        text = _("Submitted %(filed)s/%(trips)s") % {
            "filed": self.trip_reports_filed,
            "trips": self.trips,
        }
        if self.trip_reports_acknowledged:
            text += _("(acknowledged %(count)s)") % {"count": self.trip_reports_acknowledged}
        return text

    @property
    def training_report_label(self) -> str:
        """What the trainee wrote: 未着手, 下書き, 提出済み or 自治体確認済み（…）."""
        return self.confirmations.training_report.label if self.confirmations else ""


def filter_choices(user, year: int | None, program: int | None) -> dict:
    """The years and the programs (of the chosen year) the filters offer, and the choice
    kept: a year or a program the contact does not have means every year or program."""
    rows = list(
        contact_enrollments(user)
        .order_by("program__start_date", "program__title", "program")
        .values_list("program_id", "program__title", "program__fiscal_year")
        .distinct()
    )
    years = sorted({fiscal_year for _pk, _title, fiscal_year in rows}, reverse=True)
    if year not in years:
        year = None
    programs = [
        {"pk": pk, "title": title}
        for pk, title, fiscal_year in rows
        if year is None or fiscal_year == year
    ]
    if program not in {p["pk"] for p in programs}:
        program = None
    return {"years": years, "programs": programs, "year": year, "program": program}


def home_rows(user, today: date, *, year: int | None = None, program: int | None = None):
    """The rows of the contact's table, newest program first."""
    enrollments = contact_enrollments(user).select_related(
        "trainee", "municipality", "program__host"
    )
    if year is not None:
        enrollments = enrollments.filter(program__fiscal_year=year)
    if program is not None:
        enrollments = enrollments.filter(program=program)
    enrollments = list(
        enrollments.order_by(
            "-program__start_date", "program__title", "trainee__family_name_kana", "trainee__email"
        )
    )
    rows = [TraineeRow(e) for e in enrollments]
    if rows:
        reflection_counts(rows, today)
        _fill_surveys(rows)
        _fill_trips(rows)
        _fill_interviews(rows)
        _fill_travel_costs(rows)
        _fill_training_reports(user, rows)
    return rows


def reflection_counts(rows, today: date) -> None:
    """The training days of each row (a `TraineeRow`) and its reflections on `today`:
    submitted, late and missing, as the contact's table counts them. Three queries whatever
    the number of rows (the office's year reads them too)."""
    _fill_days(rows, today)
    _fill_reflections(rows, today)


def _fill_days(rows, today: date) -> None:
    programs = {row.enrollment.program_id: row.enrollment.program for row in rows}
    days = training_days_by_program(programs.values())
    for row in rows:
        row.days = days.get(row.enrollment.program_id, [])
        until = attended_until(row.enrollment, today)
        row.days_done = sum(day < until for day in row.days)


def withdrawn_on(enrollment: Enrollment) -> date | None:
    return localdate(enrollment.withdrawn_at) if enrollment.withdrawn_at is not None else None


def attended_until(enrollment: Enrollment, today: date) -> date:
    """The first day the trainee is no longer on the program as of `today`: tomorrow while
    they are (today counts as done), the day of their withdrawal once they have withdrawn.
    The table, its CSV and the trainee's page count days with it."""
    withdrawn = withdrawn_on(enrollment)
    tomorrow = today + timedelta(days=1)
    return tomorrow if withdrawn is None else min(tomorrow, withdrawn)


def _fill_reflections(rows, today: date) -> None:
    written = defaultdict(dict)  # enrolment -> {day: late}
    for enrollment_id, day, late in (
        DailyReflection.objects.filter(enrollment__in=[row.enrollment.pk for row in rows])
        .exclude(status=ReflectionStatus.DRAFT)
        .values_list("enrollment_id", "date", "late")
    ):
        written[enrollment_id][day] = late
    for row in rows:
        mine = written.get(row.enrollment.pk, {})
        row.submitted = len(mine)
        row.late = sum(mine.values())
        # Today's reflection is not due yet: it is neither done nor missing.
        until = min(today, attended_until(row.enrollment, today))
        row.missing = sum(day < until and day not in mine for day in row.days)


def _fill_surveys(rows) -> None:
    answered = set(
        SurveyResponse.objects.filter(
            enrollment__in=[row.enrollment.pk for row in rows]
        ).values_list("enrollment_id", "phase")
    )
    for row in rows:
        row.survey = {
            phase: (row.enrollment.pk, phase) in answered for phase in (Phase.PRE, Phase.POST)
        }


def _fill_trips(rows) -> None:
    ids = [row.enrollment.pk for row in rows]
    trips = defaultdict(set)
    for enrollment_id, trip_id in (
        Trip.trainees.through.objects.filter(enrollment__in=ids)
        .exclude(trip__status=TripStatus.CANCELLED)
        .values_list("enrollment_id", "trip_id")
    ):
        trips[enrollment_id].add(trip_id)
    reports = TripReport.objects.filter(enrollment__in=ids, status__in=FILED)
    filed = defaultdict(list)
    for enrollment_id, trip_id, status in reports.values_list("enrollment_id", "trip_id", "status"):
        filed[enrollment_id].append((trip_id, status))
    for row in rows:
        mine = trips.get(row.enrollment.pk, set())
        row.trips = len(mine)
        reports_of = [s for trip_id, s in filed.get(row.enrollment.pk, []) if trip_id in mine]
        row.trip_reports_filed = len(reports_of)
        row.trip_reports_acknowledged = reports_of.count(TripReportStatus.ACKNOWLEDGED)


def _fill_interviews(rows) -> None:
    latest = {}
    for interview in Interview.objects.filter(
        enrollment__in=[row.enrollment.pk for row in rows]
    ).order_by("created_at", "pk"):
        latest[interview.enrollment_id] = interview  # the newest stays
    for row in rows:
        row.interview = latest.get(row.enrollment.pk)


def _fill_travel_costs(rows) -> None:
    sums = dict(
        Expense.objects.filter(
            enrollment__in=[row.enrollment.pk for row in rows], payer=Payer.MUNICIPALITY
        )
        .exclude(trip__status=TripStatus.CANCELLED)
        .values_list("enrollment_id")
        .annotate(total=Sum("amount"))
        .values_list("enrollment_id", "total")
    )
    for row in rows:
        row.travel_costs = sums.get(row.enrollment.pk) or 0


def _fill_training_reports(user, rows) -> None:
    latest = {}
    for report in (
        Report.objects.visible_to(user)
        .filter(kind=ReportKind.TRAINEE, enrollment__in=[row.enrollment.pk for row in rows])
        .order_by("version")
    ):
        latest[report.enrollment_id] = report  # ordered by version: the newest stays
    confirmations = municipality_confirmations([row.enrollment.pk for row in rows], user)
    for row in rows:
        row.training_report = latest.get(row.enrollment.pk)
        row.confirmations = confirmations[row.enrollment.pk]


# The same table as CSV -------------------------------------------------------------------------


def csv_url(query: str) -> str:
    url = reverse("reports:municipality_home_csv")
    return f"{url}?{query}" if query else url


def csv_filename(year: int | None, program: int | None) -> str:
    """研修生の状況_2026年度.csv, 研修生の状況_全年度.csv; with one program, its id after."""
    stem = "研修生の状況_" + (f"{year}年度" if year else "全年度")
    return stem + (f"_{program}" if program else "") + ".csv"


def csv_table(rows) -> tuple[list[str], list[list]]:
    """The header (in the request's language) and one line per row: dates in ISO and yen as
    numbers, for Excel."""
    header = [
        _("Trainee"),
        _("Municipality"),
        _("Department"),
        _("Program"),
        _("Host company"),
        _("Start"),
        _("End"),
        _("Training days done"),
        _("Training days"),
        _("Reflections submitted"),
        _("Of them late"),
        _("Reflections missing"),
        _("Survey before"),
        _("Survey after"),
        _("Trip report (復命書)"),
        _("Interview"),
        _("Article"),
        _("Travel costs paid by the municipality (yen)"),
        _("Training report (研修報告書)"),
        _("Withdrawn"),
    ]
    answered, not_answered = _("Answered"), _("Not answered")
    lines = []
    for row in rows:
        e = row.enrollment
        lines.append(
            [
                e.trainee.display_name,
                e.municipality.name,
                e.department,
                e.program.title,
                e.program.host.name,
                e.program.start_date.isoformat(),
                e.program.end_date.isoformat(),
                row.days_done,
                row.days_total,
                row.submitted,
                row.late,
                row.missing,
                answered if row.survey.get(Phase.PRE) else not_answered,
                answered if row.survey.get(Phase.POST) else not_answered,
                row.trip_reports_label,
                row.interview_label,
                row.article_label,
                row.travel_costs,
                row.training_report_label,
                localdate(e.withdrawn_at).isoformat() if e.withdrawn_at else "",
            ]
        )
    return header, lines
