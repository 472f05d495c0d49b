"""What the end-of-program documents say, gathered in a fixed number of queries whatever the
number of trainees and days: the program report (for the host, or for one municipality with
only its trainees) and each trainee's 研修報告書. The browser's print view and the PDF render
the same context with the same template (reports.program_documents)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch
from django.utils import timezone

from programs import calendar_days
from programs.models import Activity, Enrollment, Municipality, Program
from seminars.models import Seminar, SeminarRole, Trip, TripReport, TripStatus
from seminars.models.trip_reports import TripReportStatus
from trainees.models import DailyReflection, Interview, InterviewQuestion
from trainees.models.interviews import InterviewState
from trainees.models.reflections import ReflectionStatus
from trainees.selectors.training_reports import submitted_training_report
from trainees.services import surveys

from .letterheads import letterhead_of
from .travel_costs import trainee_costs, travel_costs

SHOWN_REFLECTIONS = (ReflectionStatus.SUBMITTED, ReflectionStatus.REVIEWED)
FILED_TRIP_REPORTS = (TripReportStatus.SUBMITTED, TripReportStatus.ACKNOWLEDGED)
# The trainee has said which answers may leave the interview: before that, none do.
CONSENTED_STATES = (InterviewState.REVIEWED, InterviewState.APPROVED, InterviewState.PUBLISHED)
REFLECTION_SECTIONS = (
    ("did", "今日やったこと"),
    ("learned", "学んだこと"),
    ("felt", "感じたこと・驚いたこと"),
    ("questions", "質問・不安"),
    ("tomorrow", "明日の目標"),
)


@dataclass
class TraineePart:
    enrollment: Enrollment
    days: list = field(default_factory=list)  # [(date, DailyReflection | None)]
    submitted: int = 0
    missing: list = field(default_factory=list)  # past days without a reflection
    planned: list = field(default_factory=list)  # days to come (予定), never missing
    trip_reports: list = field(default_factory=list)
    interview: Interview | None = None
    answers: list = field(default_factory=list)  # consented InterviewQuestion rows
    left_out: int = 0
    survey_chart: dict | None = None
    activities: list = field(default_factory=list)  # [(date, [Activity])] they took part in
    planned_activities: list = field(default_factory=list)  # the same, after today
    seminars: list = field(default_factory=list)  # [(Seminar, role label)]

    due_tonight: bool = False  # today is a day of theirs and its reflection is not in yet

    @property
    def so_far(self) -> int:
        """The days whose reflection is due by now (every day once the program has ended):
        today counts once its reflection is in; until tonight's deadline it is not due."""
        return len(self.days) - len(self.planned) - self.due_tonight

    @property
    def anchor(self) -> str:
        return f"trainee-{self.enrollment.pk}"


def _enrollments(program: Program, municipality: Municipality | None):
    enrollments = program.enrollments.active().select_related("trainee", "municipality", "mentor")
    if municipality is not None:
        enrollments = enrollments.filter(municipality=municipality)
    return list(enrollments.order_by("trainee__family_name_kana", "trainee__email"))


def _activities(program: Program) -> list[Activity]:
    return list(
        Activity.objects.live()
        .filter(program=program)
        .select_related("facilitator")
        .prefetch_related("participants")
        .order_by("date", "start_time", "pk")
    )


def _training_days(program: Program, activities) -> list:
    """研修日 (programs.calendar_days): the working days, and the days off with an activity
    (`activities`: all the program's live ones)."""
    return calendar_days.training_days(
        program.days, calendar_days.days_off_of(program), {a.date for a in activities}
    )


def _by_day(program: Program, activities) -> list:
    """[(day, [activities of that day])] for every day of the program."""
    by_day = defaultdict(list)
    for activity in activities:
        by_day[activity.date].append(activity)
    return [(day, by_day.get(day, [])) for day in program.days]


def _seminars(program: Program):
    return list(
        Seminar.objects.filter(program=program)
        .exclude(trip__status=TripStatus.CANCELLED)
        .select_related("trip", "lead")
        .prefetch_related(
            Prefetch("roles", queryset=SeminarRole.objects.select_related("enrollment__trainee")),
            "follow_ups__owner",
        )
        .order_by("date", "start_time", "pk")
    )


def _trips(program: Program):
    return list(
        Trip.objects.filter(program=program)
        .exclude(status=TripStatus.CANCELLED)
        .prefetch_related("municipalities", "trainees", "staff")
        .annotate(leg_count=Count("legs", distinct=True))
        .order_by("start_date", "pk")
    )


def _one_person_chart(items, phases) -> dict:
    """One trainee's before/after chart: the change without a count of people beside it (it
    is always one), and nothing where they answered only one of the two."""
    chart = surveys.chart(surveys.Results(items, [], phases, [], {}))
    chart["single"] = True
    for row in chart["rows"]:
        if row["change"] == "—":
            row["change"] = ""
    return chart


def _survey_charts(program: Program, enrollments) -> tuple[dict | None, dict]:
    """The program's chart of mean change, and each trainee's own before/after chart."""
    result = surveys.results(program)
    wanted = {e.pk for e in enrollments}
    per_trainee = {}
    for row in result.trainees:
        if row.enrollment.pk not in wanted:
            continue
        items = []
        for question, cell in zip(result.questions, row.cells, strict=True):
            pre, post = cell.get("pre"), cell.get("post")
            item = surveys.QuestionResult(question.question)
            item.means = {surveys.Phase.PRE: pre, surveys.Phase.POST: post}
            if pre is not None and post is not None:
                item.paired_means = {surveys.Phase.POST: (pre, post)}
                item.change = {surveys.Phase.POST: post - pre}
                item.paired = {surveys.Phase.POST: 1}
            items.append(item)
        if any(i.means[surveys.Phase.PRE] or i.means[surveys.Phase.POST] for i in items):
            per_trainee[row.enrollment.pk] = _one_person_chart(items, result.phases)
    answered = result.responded.get(surveys.Phase.PRE) or result.responded.get(surveys.Phase.POST)
    return (surveys.chart(result) if answered else None), per_trainee


def is_interim(program: Program, today: date) -> bool:
    """A document built on or before the program's last day is an interim one (中間版): the
    last day's reflection and the interview may still come. After it: the final version."""
    return today <= program.end_date


def dating(program: Program, today: date) -> dict:
    """What says when a document is: interim (dated the day it was built) or final (dated
    the program's last day, so a final version's content, and its hash, stay the same)."""
    interim = is_interim(program, today)
    return {"interim": interim, "dated": today if interim else program.end_date, "today": today}


def _fill_days(part: TraineePart, days, reflections: dict, today: date) -> None:
    """Each day with its reflection; a day without one is missing once it has passed
    (today's deadline has not), and to come (予定) after today."""
    for day in days:
        reflection = reflections.get((part.enrollment.pk, day))
        part.days.append((day, reflection))
        part.submitted += reflection is not None
        if reflection is None and day < today:
            part.missing.append(day)
        elif reflection is None and day > today:
            part.planned.append(day)
        elif reflection is None:
            part.due_tonight = True


def _trainee_parts(
    program, enrollments, activities, seminars, days, today: date
) -> list[TraineePart]:
    """`days`: the program's training days; a day off with a reflection is kept too."""
    ids = [e.pk for e in enrollments]
    reflections = {
        (r.enrollment_id, r.date): r
        for r in DailyReflection.objects.filter(enrollment__in=ids, status__in=SHOWN_REFLECTIONS)
    }
    written = defaultdict(set)
    for enrollment_id, day in reflections:
        written[enrollment_id].add(day)
    trip_reports = defaultdict(list)
    for report in (
        TripReport.objects.filter(enrollment__in=ids, status__in=FILED_TRIP_REPORTS)
        .select_related("trip")
        .order_by("trip__start_date", "pk")
    ):
        trip_reports[report.enrollment_id].append(report)
    interviews = {
        i.enrollment_id: i
        for i in Interview.objects.filter(enrollment__in=ids).prefetch_related(
            Prefetch("questions", queryset=InterviewQuestion.objects.order_by("order", "pk"))
        )
    }
    _program_chart, charts_by_trainee = _survey_charts(program, enrollments)
    roles = defaultdict(list)
    for seminar in seminars:
        for role in seminar.roles.all():
            roles[role.enrollment_id].append((seminar, role.get_role_display()))
    parts = []
    for enrollment in enrollments:
        part = TraineePart(enrollment)
        _fill_days(part, sorted(set(days) | written.get(enrollment.pk, set())), reflections, today)
        part.trip_reports = trip_reports.get(enrollment.pk, [])
        interview = interviews.get(enrollment.pk)
        if interview is not None:
            part.interview = interview
            if interview.state in CONSENTED_STATES:
                for question in interview.questions.all():
                    if not question.answer:
                        continue
                    if question.consent is True:
                        part.answers.append(question)
                    else:
                        part.left_out += 1
        part.survey_chart = charts_by_trainee.get(enrollment.pk)
        mine = [
            a
            for a in activities
            if a.for_all or any(p.pk == enrollment.pk for p in a.participants.all())
        ]
        part.activities = [(day, slots) for day, slots in _by_day(program, mine) if slots]
        part.planned_activities = [(day, slots) for day, slots in part.activities if day > today]
        part.seminars = roles.get(enrollment.pk, [])
        parts.append(part)
    return parts


def _shown(enrollments, activities, seminars, trips, *, whole: bool):
    """What of the week, the seminars and the trips a report shows. The whole report: all of
    it. A municipality's report: only the slots, seminars and trips its trainees took part in,
    only their roles, their number among the travellers, and no follow-ups (the host's own
    actions), as the app's pages show that municipality's supervisor."""
    ids = {e.pk for e in enrollments}
    for seminar in seminars:
        roles = list(seminar.roles.all())
        seminar.shown_roles = roles if whole else [r for r in roles if r.enrollment_id in ids]
        seminar.shown_follow_ups = list(seminar.follow_ups.all()) if whole else []
    for trip in trips:
        trainees = list(trip.trainees.all())
        trip.shown_trainees = trainees if whole else [e for e in trainees if e.pk in ids]
    if whole:
        return activities, seminars, trips
    return (
        [a for a in activities if a.for_all or any(p.pk in ids for p in a.participants.all())],
        [s for s in seminars if s.shown_roles],
        [t for t in trips if t.shown_trainees],
    )


def _municipalities(program: Program) -> list[Municipality]:
    return list(
        Municipality.objects.filter(
            enrollments__program=program, enrollments__withdrawn_at__isnull=True
        )
        .distinct()
        .order_by("prefecture", "code", "name")
    )


def _toc(*, whole: bool) -> list[tuple[str, str]]:
    """The chapters: the survey's is in the whole report only."""
    toc = [
        ("overview", "研修の概要"),
        ("week", "研修日程"),
        ("trips", "出張とセミナー"),
        ("travel", "旅費"),
    ]
    if whole:
        toc.append(("survey", "意識調査の結果"))
    return [*toc, ("trainees", "研修生ごとの記録")]


def program_context(
    program: Program, municipality: Municipality | None = None, *, today: date
) -> dict:
    """Everything in the program report. With a municipality: only its trainees, and no
    figure computed over other municipalities' trainees, and the 旅費 it pays for them; the
    whole report carries every payer's. `today` (the caller's clock) says whether it is an
    interim version and which days are still to come."""
    program = Program.objects.select_related("host", "created_by").get(pk=program.pk)
    enrollments = _enrollments(program, municipality)
    every_activity = _activities(program)
    days = _training_days(program, every_activity)
    activities, seminars, trips = _shown(
        enrollments,
        every_activity,
        _seminars(program),
        _trips(program),
        whole=municipality is None,
    )
    week = _by_day(program, activities)
    parts = _trainee_parts(program, enrollments, activities, seminars, days, today)
    program_chart = None
    if municipality is None:
        program_chart, _unused = _survey_charts(program, enrollments)
    return {
        "program": program,
        "host": program.host,
        "for_municipality": municipality,
        "municipalities": [municipality] if municipality else _municipalities(program),
        "week": week,
        "training_day_count": len(days),
        "activity_count": len(activities),
        "trips": trips,
        "seminars": seminars,
        "program_chart": program_chart,
        "trainees": parts,
        "travel": travel_costs(program, None if municipality is None else enrollments),
        "letterhead": letterhead_of(municipality),
        "toc": _toc(whole=municipality is None),
        "sections": REFLECTION_SECTIONS,
        "title": "研修実施報告書",
        "author": program.host.name,
        **dating(program, today),
    }


def trainee_context(enrollment: Enrollment, *, today: date) -> dict:
    """The 研修報告書 of one trainee, in the form a municipal HR department files:
    所属, 氏名, 研修名, 期間, 研修先, 内容, 所感, 今後の業務への活用 and the attachments (which
    follow it as 別紙)."""
    enrollment = Enrollment.objects.select_related(
        "trainee", "municipality", "mentor", "program__host", "program__created_by"
    ).get(pk=enrollment.pk)
    program = enrollment.program
    activities = _activities(program)
    seminars = _seminars(program)
    trips = [t for t in _trips(program) if any(e.pk == enrollment.pk for e in t.trainees.all())]
    days = _training_days(program, activities)
    (part,) = _trainee_parts(program, [enrollment], activities, seminars, days, today)
    attachments = [("schedule", "研修日程表（本人の参加分）")]
    if part.trip_reports:
        attachments.append(("trip-reports", f"復命書（{len(part.trip_reports)}件）"))
    if part.submitted:
        attachments.append(("reflections", f"振り返り（{part.submitted}日分）"))
    if part.survey_chart:
        attachments.append(("survey", "研修前後の意識調査（本人の回答）"))
    travel = trainee_costs(program, enrollment)
    if travel:
        attachments.append(("travel", "旅費（派遣元自治体の負担分）"))
    written = submitted_training_report(enrollment)
    when = dating(program, today)
    if written is not None and not when["interim"]:
        # The trainee's own report is dated the day they submitted it (it cannot change
        # after, so the final version's content stays the same).
        when["dated"] = timezone.localdate(written.submitted_at)
    return {
        "program": program,
        "host": program.host,
        "enrollment": enrollment,
        "part": part,
        "training_day_count": len(days),
        "trips": trips,
        # 所感 and 今後の業務への活用: exactly what the trainee submitted (None: not yet).
        "training_report": written,
        "attachments": attachments,
        "travel": travel,
        "letterhead": letterhead_of(enrollment.municipality),
        "sections": REFLECTION_SECTIONS,
        "title": "研修報告書",
        "author": enrollment.trainee.display_name,
        **when,
    }
