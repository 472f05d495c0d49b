"""The attitude survey: when each phase is open, answering it, and the change per trainee
and per question (post − pre, follow-up − pre) with the program mean over paired answers."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import Activity, Enrollment, Program

from ..builtin_questions import create_built_in_set
from ..models import (
    Answer,
    Phase,
    ProgramSurvey,
    Question,
    QuestionKind,
    QuestionSet,
    SurveyResponse,
)

POST_OPEN_DAYS = 14  # the post survey stays open two weeks after the last day
FOLLOWUP_OPEN_DAYS = 30
TEXT_LIMIT = 2000
DAY_ONE_DEFAULT_START = time(9, 0)


class SurveyRefused(Exception):
    def __init__(self, message: str, code: str = "refused", errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.errors = errors or {}


def survey_of(program: Program) -> ProgramSurvey:
    """The program's survey settings; the built-in set until a coordinator chooses another."""
    survey = ProgramSurvey.objects.select_related("question_set").filter(program=program).first()
    if survey is None:
        built_in = QuestionSet.objects.filter(host__isnull=True).order_by("pk").first()
        if built_in is None:
            # Deleted by an operator (or never migrated in): the built-in set comes back.
            built_in = create_built_in_set(QuestionSet, Question)
        survey, _created = ProgramSurvey.objects.select_related("question_set").get_or_create(
            program=program, defaults={"question_set": built_in}
        )
    return survey


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


@dataclass(frozen=True)
class Window:
    phase: str
    opens: datetime | None  # None: open from enrolment
    closes: datetime

    def is_open(self, now: datetime) -> bool:
        return (self.opens is None or self.opens <= now) and now < self.closes


_ASK = object()


def first_starts(programs) -> dict:
    """When day 1's first activity starts, for many programs in one query."""
    return dict(
        Activity.objects.live()
        .filter(program__in=programs, date=F("program__start_date"))
        .order_by()
        .values("program_id")
        .annotate(first=Min("start_time"))
        .values_list("program_id", "first")
    )


def windows(program: Program, survey: ProgramSurvey, first_start=_ASK) -> dict:
    """Pre: open from enrolment until the first activity of day 1 starts (09:00 when day 1
    has none). Post: from the start of the last day for two weeks. Follow-up: the same
    questions, `followup_days` after the last day, for thirty days."""
    if first_start is _ASK:
        first_start = (
            Activity.objects.live()
            .filter(program=program, date=program.start_date)
            .aggregate(first=Min("start_time"))["first"]
        )
    result = {
        Phase.PRE: Window(
            Phase.PRE, None, _aware(program.start_date, first_start or DAY_ONE_DEFAULT_START)
        ),
        Phase.POST: Window(
            Phase.POST,
            _aware(program.end_date, time(0, 0)),
            _aware(program.end_date + timedelta(days=POST_OPEN_DAYS + 1), time(0, 0)),
        ),
    }
    if survey.followup_days:
        opens = program.end_date + timedelta(days=survey.followup_days)
        result[Phase.FOLLOWUP] = Window(
            Phase.FOLLOWUP,
            _aware(opens, time(0, 0)),
            _aware(opens + timedelta(days=FOLLOWUP_OPEN_DAYS), time(0, 0)),
        )
    return result


def questions_of(question_set: QuestionSet) -> list[Question]:
    return list(question_set.questions.order_by("order"))


def clean_answers(questions: list[Question], data) -> tuple[dict, dict]:
    """Values by question id and errors by field name (`q<id>`). Every agreement question
    needs a value from 1 to 5; free text is optional and limited in length."""
    values, errors = {}, {}
    for question in questions:
        name = f"q{question.pk}"
        raw = (data.get(name) or "").strip()
        if question.kind == QuestionKind.LIKERT:
            if not raw:
                errors[name] = _("Choose one of the five answers.")
                continue
            try:
                value = int(raw)
            except ValueError:
                value = 0
            if not 1 <= value <= 5:
                errors[name] = _("Choose one of the five answers.")
                continue
            values[question.pk] = value
        else:
            text = raw.replace("\r\n", "\n")
            if len(text) > TEXT_LIMIT:
                errors[name] = _("At most %(limit)s characters (now %(count)s).") % {
                    "limit": TEXT_LIMIT,
                    "count": len(text),
                }
                continue
            values[question.pk] = text
    return values, errors


def answer(enrollment: Enrollment, phase: str, data, *, now=None) -> SurveyResponse:
    """Save a trainee's answers for one phase, all or none. Answering again while the phase
    is open replaces the earlier answers."""
    now = now or timezone.now()
    program = enrollment.program
    survey = survey_of(program)
    window = windows(program, survey).get(phase)
    if window is None or not window.is_open(now):
        raise SurveyRefused(_("This survey is not open now."), "closed")
    if not enrollment.is_active:
        raise SurveyRefused(_("You have withdrawn from this program."), "withdrawn")
    questions = questions_of(survey.question_set)
    values, errors = clean_answers(questions, data)
    if errors:
        raise SurveyRefused(_("Some answers are missing or out of range."), "invalid", errors)
    with transaction.atomic():
        response, created = SurveyResponse.objects.select_for_update().get_or_create(
            enrollment=enrollment,
            phase=phase,
            defaults={"question_set": survey.question_set, "submitted_at": now},
        )
        if not created:
            response.answers.all().delete()
            response.question_set = survey.question_set
            response.save(update_fields=["question_set", "updated_at"])
        Answer.objects.bulk_create(
            Answer(
                response=response,
                question=question,
                value=values[question.pk] if question.kind == QuestionKind.LIKERT else None,
                text=values[question.pk] if question.kind == QuestionKind.TEXT else "",
            )
            for question in questions
        )
    return response


def change_question_set(program: Program, question_set: QuestionSet, followup_days) -> None:
    """A coordinator chooses the set (refused once anyone has answered) and the follow-up."""
    survey = survey_of(program)
    if question_set.host_id not in (None, program.host_id):
        raise SurveyRefused(_("Choose one of the offered question sets."), "foreign_set")
    if (
        question_set.pk != survey.question_set_id
        and SurveyResponse.objects.filter(enrollment__program=program).exists()
    ):
        raise SurveyRefused(
            _("Trainees have already answered: the questions can no longer change."), "answered"
        )
    survey.question_set = question_set
    survey.followup_days = followup_days
    survey.save()


# Results --------------------------------------------------------------------------------


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass
class QuestionResult:
    question: Question
    means: dict = field(default_factory=dict)  # phase -> mean over everyone who answered
    counts: dict = field(default_factory=dict)  # phase -> number of answers
    change: dict = field(default_factory=dict)  # "post"/"followup" -> mean of paired diffs
    paired: dict = field(default_factory=dict)  # "post"/"followup" -> number of pairs


@dataclass
class TraineeRow:
    enrollment: Enrollment
    cells: list = field(default_factory=list)  # per likert question: {pre, post, followup, ...}


@dataclass
class Results:
    questions: list[QuestionResult]
    trainees: list[TraineeRow]
    phases: list[str]
    texts: list  # (question, [(trainee name, phase label, text)])
    responded: dict  # phase -> number of trainees who answered


def results(program: Program) -> Results:
    """Three queries whatever the number of trainees: enrolments, questions, answers."""
    survey = survey_of(program)
    enrollments = list(
        program.enrollments.active()
        .select_related("trainee")
        .order_by("trainee__family_name_kana", "trainee__email")
    )
    questions = questions_of(survey.question_set)
    likert = [q for q in questions if q.kind == QuestionKind.LIKERT]
    rows = Answer.objects.filter(
        response__enrollment__in=[e.pk for e in enrollments],
        question__question_set=survey.question_set,
    ).values_list("response__enrollment_id", "response__phase", "question_id", "value", "text")
    value = {}  # (enrollment, question, phase) -> value
    texts = {}  # question -> [(enrollment, phase, text)]
    responded = {phase: set() for phase in Phase.values}
    for enrollment_id, phase, question_id, answer_value, text in rows:
        responded[phase].add(enrollment_id)
        if answer_value is not None:
            value[enrollment_id, question_id, phase] = answer_value
        elif text:
            texts.setdefault(question_id, []).append((enrollment_id, phase, text))
    phases = [Phase.PRE, Phase.POST] + ([Phase.FOLLOWUP] if survey.followup_days else [])
    per_question = []
    for question in likert:
        result = QuestionResult(question)
        for phase in phases:
            answered = [
                value[e.pk, question.pk, phase]
                for e in enrollments
                if (e.pk, question.pk, phase) in value
            ]
            result.means[phase] = _mean(answered)
            result.counts[phase] = len(answered)
        for later in phases[1:]:
            diffs = [
                value[e.pk, question.pk, later] - value[e.pk, question.pk, Phase.PRE]
                for e in enrollments
                if (e.pk, question.pk, later) in value and (e.pk, question.pk, Phase.PRE) in value
            ]
            result.change[later] = _mean(diffs)
            result.paired[later] = len(diffs)
        per_question.append(result)
    trainee_rows = []
    for enrollment in enrollments:
        row = TraineeRow(enrollment)
        for question in likert:
            pre = value.get((enrollment.pk, question.pk, Phase.PRE))
            cell = {"pre": pre}
            for later in phases[1:]:
                got = value.get((enrollment.pk, question.pk, later))
                cell[later] = got
                cell[f"{later}_change"] = got - pre if got is not None and pre is not None else None
            row.cells.append(cell)
        trainee_rows.append(row)
    names = {e.pk: e.trainee.display_name for e in enrollments}
    labels = dict(Phase.choices)
    free_text = [
        (q, [(names[e], labels[p], t) for e, p, t in texts.get(q.pk, [])])
        for q in questions
        if q.kind == QuestionKind.TEXT
    ]
    return Results(
        questions=per_question,
        trainees=trainee_rows,
        phases=phases,
        texts=free_text,
        responded={phase: len(ids) for phase, ids in responded.items()},
    )


# The chart: drawn on the server as SVG ---------------------------------------------------

CHART_WIDTH = 720
LABEL_WIDTH = 300
ROW_HEIGHT = 46
TOP = 44
SCALE_LEFT = LABEL_WIDTH + 20
SCALE_RIGHT = CHART_WIDTH - 90


def _x(score: float) -> float:
    return round(SCALE_LEFT + (score - 1) / 4 * (SCALE_RIGHT - SCALE_LEFT), 1)


def _wrap(text: str, width: int = 22, lines: int = 2) -> list[str]:
    """Cut a label into lines of about `width` full-width characters (Japanese has no
    spaces to break at); the last line ends with an ellipsis if the text goes on."""
    out = [text[i : i + width] for i in range(0, len(text), width)]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][:-1] + "…"
    return out


def chart(result: Results) -> dict:
    """Coordinates for `trainees/survey_chart.html`: one row per agreement question, a dot
    for each phase's mean on the 1–5 scale and an arrow from before to after."""
    rows = []
    for index, item in enumerate(result.questions):
        y = TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2
        points = []
        for phase in result.phases:
            mean = item.means.get(phase)
            if mean is not None:
                points.append({"phase": phase, "x": _x(mean), "mean": f"{mean:.1f}"})
        by_phase = {p["phase"]: p for p in points}
        change = item.change.get(Phase.POST)
        rows.append(
            {
                "y": y,
                "text_y": y - 6,
                "lines": _wrap(item.question.label, 40 if _latin(item.question.label) else 22),
                "points": points,
                "arrow": _arrow(by_phase.get(Phase.PRE), by_phase.get(Phase.POST)),
                "change": f"{change:+.1f}" if change is not None else "—",
                "paired": item.paired.get(Phase.POST, 0),
                "label": item.question.label,
            }
        )
    height = TOP + len(rows) * ROW_HEIGHT + 16
    return {
        "width": CHART_WIDTH,
        "height": height,
        "rows": rows,
        "ticks": [{"value": v, "x": _x(v)} for v in range(1, 6)],
        "scale_left": SCALE_LEFT,
        "scale_right": SCALE_RIGHT,
        "change_x": CHART_WIDTH - 8,
        "bottom": height - 12,
        "phases": result.phases,
    }


def _arrow(pre: dict | None, post: dict | None) -> dict | None:
    """A line from the before dot to just short of the after dot (the head ends at its
    edge); none when either is missing or they are too close to draw one."""
    if not pre or not post or abs(post["x"] - pre["x"]) < 20:
        return None
    direction = 1 if post["x"] > pre["x"] else -1
    return {"x1": pre["x"] + 8 * direction, "x2": post["x"] - 9 * direction}


def _latin(text: str) -> bool:
    return all(ord(ch) < 0x3000 for ch in text)
