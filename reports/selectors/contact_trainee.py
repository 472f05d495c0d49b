"""The trainee's page for the contact: the week as it happened for that trainee (days off
named), every submitted reflection with its comments, the 復命書, the survey change per
question, the 旅費 the municipality pays, and the documents the contact may download. A fixed
number of queries whatever the number of days, reflections or comments."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q

from programs import calendar_days
from programs.formats import money
from programs.models import Activity, Enrollment
from seminars.models import Expense, Payer, TripReport, TripStatus
from trainees.models import SECTION_NAMES, Answer, DailyReflection, ReflectionComment
from trainees.models.reflections import ReflectionStatus
from trainees.models.surveys import Phase, QuestionKind
from trainees.services import surveys

from ..models import Report, ReportKind, program_scope
from .confirmations import municipality_confirmations
from .contact_home import withdrawn_on


@dataclass
class Day:
    day: date
    activities: list
    off: str  # the holiday's or closed day's name, "" otherwise
    training: bool  # a training day (研修日)
    reflection: DailyReflection | None
    state: str  # "submitted", "missing", "today", "to_come" or "" (not a training day)


def trainee_page(user, enrollment: Enrollment, today: date) -> dict:
    program = enrollment.program
    activities = list(
        Activity.objects.live()
        .filter(program=program)
        .filter(Q(for_all=True) | Q(participants=enrollment))
        .distinct()
        .select_related("facilitator")
        .order_by("date", "start_time", "pk")
    )
    every_date = set(
        Activity.objects.on_the_grid().filter(program=program).values_list("date", flat=True)
    )
    off = calendar_days.days_off_of(program)
    training = set(calendar_days.training_days(program.days, off, every_date))
    reflections = _reflections(user, enrollment)
    confirmations = municipality_confirmations([enrollment], user)[enrollment.pk]
    trip_reports = list(
        TripReport.objects.visible_to(user)
        .filter(enrollment=enrollment)
        .exclude(trip__status=TripStatus.CANCELLED)
        .select_related("trip", "acknowledged_by")
        .order_by("trip__start_date", "pk")
    )
    filed = {row.pk: row for row in confirmations.trip_reports}
    for report in trip_reports:
        report.municipal = filed.get(report.pk)  # its 確認 (a draft has none)
    return {
        "enrollment": enrollment,
        "program": program,
        "today": today,
        "days": _days(
            program, activities, off, training, reflections, today, withdrawn_on(enrollment)
        ),
        "reflections": list(reflections.values()),
        "trip_reports": trip_reports,
        "survey": _survey(enrollment),
        "expenses": _expenses(enrollment),
        # The 研修報告書 the trainee wrote and the 確認 of it and of each filed 復命書.
        "confirmations": confirmations,
        **_documents(user, enrollment),
    }


def _reflections(user, enrollment: Enrollment) -> dict:
    rows = (
        DailyReflection.objects.visible_to(user)
        .filter(enrollment=enrollment)
        .exclude(status=ReflectionStatus.DRAFT)
        .select_related("reviewed_by")
        .prefetch_related(
            Prefetch("comments", queryset=ReflectionComment.objects.select_related("author"))
        )
        .order_by("date")
    )
    labels = [(name, DailyReflection._meta.get_field(name).verbose_name) for name in SECTION_NAMES]
    for r in rows:
        r.sections = [(label, getattr(r, name)) for name, label in labels if getattr(r, name)]
    return {r.date: r for r in rows}


def _days(program, activities, off, training, reflections, today, withdrawn) -> list[Day]:
    """Each day of the program for the trainee; from the day of a withdrawal (`withdrawn`,
    None while they are on it) on, a day is neither due, missed nor to come."""
    by_day = defaultdict(list)
    for activity in activities:
        by_day[activity.date].append(activity)
    out = []
    for day in sorted(set(program.days) | set(reflections)):
        reflection = reflections.get(day)
        if reflection is not None:
            state = "submitted"
        elif day not in training:
            state = ""
        elif withdrawn is not None and day >= withdrawn:
            state = "withdrawn"
        else:
            state = "missing" if day < today else "today" if day == today else "to_come"
        out.append(
            Day(day, by_day.get(day, []), off.get(day, ""), day in training, reflection, state)
        )
    return out


def _survey(enrollment: Enrollment) -> dict:
    """Each question with the trainee's answer before and after, and the change."""
    question_set = surveys.survey_to_read(enrollment.program).question_set
    questions = surveys.questions_of(question_set)
    answers = {}
    for question_id, phase, value, text in Answer.objects.filter(
        response__enrollment=enrollment, question__question_set=question_set
    ).values_list("question_id", "response__phase", "value", "text"):
        answers[question_id, phase] = value if value is not None else text
    rows = []
    for question in questions:
        pre = answers.get((question.pk, Phase.PRE))
        post = answers.get((question.pk, Phase.POST))
        likert = question.kind == QuestionKind.LIKERT
        change = post - pre if likert and pre is not None and post is not None else None
        rows.append(
            {"question": question, "likert": likert, "pre": pre, "post": post, "change": change}
        )
    answered = {phase for _q, phase in answers}
    return {
        "rows": rows,
        "pre": Phase.PRE in answered,
        "post": Phase.POST in answered,
    }


def _expenses(enrollment: Enrollment) -> dict:
    lines = list(
        Expense.objects.filter(enrollment=enrollment, payer=Payer.MUNICIPALITY)
        .exclude(trip__status=TripStatus.CANCELLED)
        .select_related("trip")
        .order_by("trip__start_date", "trip", "pk")
    )
    for line in lines:
        line.amount_text = money(line.amount)
    return {"lines": lines, "total": money(sum(line.amount for line in lines))}


def _documents(user, enrollment: Enrollment) -> dict:
    """The latest version of the trainee's 研修報告書 and of the program report made for the
    municipality, among those the contact may hold."""
    scopes = {
        f"enrollment:{enrollment.pk}": "training_report",
        program_scope(enrollment.program, enrollment.municipality): "program_report",
    }
    found = {"training_report": None, "program_report": None}
    for report in (
        Report.objects.visible_to(user)
        .filter(kind__in=(ReportKind.TRAINEE, ReportKind.PROGRAM), scope__in=list(scopes))
        .order_by("version")
    ):
        found[scopes[report.scope]] = report  # ordered by version: the newest stays
    return found
