"""The attitude survey: when each phase is open, answering it, and the change per trainee
and per question (post − pre, follow-up − pre) with the program mean over paired answers."""

from dataclasses import dataclass, field
from datetime import datetime, time

from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.date_range import add_days
from programs.integers import int_param
from programs.models import Activity, Enrollment, Program
from programs.plain_text import plain_text_error
from programs.refusals import Refused

from ..builtin_questions import create_built_in_set
from ..models import (
    POST_OPEN_DAYS,
    Answer,
    Phase,
    ProgramSurvey,
    Question,
    QuestionKind,
    QuestionSet,
    SurveyResponse,
    answer_field,
)
from .reflections import local_moment

FOLLOWUP_OPEN_DAYS = 30
TEXT_LIMIT = 2000
DAY_ONE_DEFAULT_START = time(9, 0)


class SurveyRefused(Refused):
    """A change the rules of this kind of record do not allow (programs.refusals)."""


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


def survey_to_read(program: Program) -> ProgramSurvey:
    """The program's survey settings for a page that only reads them: its row, or until it
    has one the built-in set's settings, unsaved. The change that needs the row (an answer,
    the coordinator's settings) creates it through `survey_of`; only a built-in set deleted
    by an operator is put back here, as `survey_of` does."""
    survey = ProgramSurvey.objects.select_related("question_set").filter(program=program).first()
    if survey is not None:
        return survey
    built_in = QuestionSet.objects.filter(host__isnull=True).order_by("pk").first()
    if built_in is None:
        return survey_of(program)
    return ProgramSurvey(program=program, question_set=built_in)


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
    pre_closes = local_moment(program.start_date, first_start or DAY_ONE_DEFAULT_START)
    result = {
        Phase.PRE: Window(Phase.PRE, None, pre_closes),
        # Never open before the pre survey closes (a one-day program).
        Phase.POST: Window(
            Phase.POST,
            max(local_moment(program.end_date, time(0, 0)), pre_closes),
            local_moment(add_days(program.end_date, POST_OPEN_DAYS + 1), time(0, 0)),
        ),
    }
    if survey.followup_days:
        # add_days: a row dated near year 9999 (before the date range) does not overflow.
        opens = add_days(program.end_date, survey.followup_days)
        result[Phase.FOLLOWUP] = Window(
            Phase.FOLLOWUP,
            local_moment(opens, time(0, 0)),
            local_moment(add_days(opens, FOLLOWUP_OPEN_DAYS), time(0, 0)),
        )
    return result


def questions_of(question_set: QuestionSet) -> list[Question]:
    return list(question_set.questions.order_by("order"))


def clean_answers(questions: list[Question], answers: dict) -> tuple[dict, dict]:
    """Values by question id from `answers` (text by question id) and errors by field name
    (`q<id>`). Every agreement question needs a value from 1 to 5; free text is optional
    and limited in length."""
    values, errors = {}, {}
    for question in questions:
        name = answer_field(question.pk)
        raw = (answers.get(question.pk) or "").strip()
        if question.kind == QuestionKind.LIKERT:
            value = int_param(raw, minimum=1, maximum=5) if raw else None
            if value is None:  # one of the five buttons' values, or none
                errors[name] = _("Choose one of the five answers.")
                continue
            values[question.pk] = value
        else:
            text = raw.replace("\r\n", "\n")
            if unusable := plain_text_error(text, multiline=True):
                errors[name] = unusable
                continue
            if len(text) > TEXT_LIMIT:
                errors[name] = _("At most %(limit)s characters (now %(count)s).") % {
                    "limit": TEXT_LIMIT,
                    "count": len(text),
                }
                continue
            values[question.pk] = text
    return values, errors


def answer(enrollment: Enrollment, phase: str, answers: dict, *, now=None) -> SurveyResponse:
    """Save a trainee's answers for one phase (text by question id), all or none. Answering
    again while the phase is open replaces the earlier answers."""
    now = now or timezone.now()
    program = enrollment.program
    survey = survey_of(program)
    window = windows(program, survey).get(phase)
    if window is None or not window.is_open(now):
        raise SurveyRefused(_("This survey is not open now."), "closed")
    if not enrollment.is_active:
        raise SurveyRefused(_("You have withdrawn from this program."), "withdrawn")
    questions = questions_of(survey.question_set)
    values, errors = clean_answers(questions, answers)
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


def change_question_set(program: Program, question_set: QuestionSet, followup_days, *, by) -> None:
    """A coordinator chooses the set (refused once anyone has answered) and the follow-up."""
    from programs import access

    if not access.can_edit_program(by, program):
        raise SurveyRefused(
            _("Only a coordinator changes the survey."), "forbidden", field="question_set"
        )
    survey = survey_of(program)
    if question_set.host_id not in (None, program.host_id):
        raise SurveyRefused(
            _("Choose one of the offered question sets."), "foreign_set", field="question_set"
        )
    if (
        question_set.pk != survey.question_set_id
        and SurveyResponse.objects.filter(enrollment__program=program).exists()
    ):
        raise SurveyRefused(
            _("Trainees have already answered: the questions can no longer change."),
            "answered",
            field="question_set",
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
    # "post"/"followup" -> (mean before, mean after) over the same pairs: what the chart draws
    paired_means: dict = field(default_factory=dict)


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


def _answers_of(enrollments, question_set) -> tuple[dict, dict, dict]:
    """Every answer of these enrolments to the set, in one query: the values by
    (enrolment, question, phase), the free texts by question [(enrolment, phase, text)] and
    who answered each phase."""
    rows = Answer.objects.filter(
        response__enrollment__in=[e.pk for e in enrollments],
        question__question_set=question_set,
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
    return value, texts, responded


def _question_result(question, enrollments, value: dict, phases: list) -> QuestionResult:
    """The question's mean per phase, and its change against before over the paired answers."""
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
        pairs = [
            (value[e.pk, question.pk, Phase.PRE], value[e.pk, question.pk, later])
            for e in enrollments
            if (e.pk, question.pk, later) in value and (e.pk, question.pk, Phase.PRE) in value
        ]
        result.change[later] = _mean([after - before for before, after in pairs])
        result.paired[later] = len(pairs)
        result.paired_means[later] = (
            (_mean([b for b, _a in pairs]), _mean([a for _b, a in pairs])) if pairs else None
        )
    return result


def _trainee_row(enrollment, likert, value: dict, phases: list) -> TraineeRow:
    """The trainee's answer per agreement question and phase, and its change against before."""
    row = TraineeRow(enrollment)
    for question in likert:
        pre = value.get((enrollment.pk, question.pk, Phase.PRE))
        cell = {"pre": pre}
        for later in phases[1:]:
            got = value.get((enrollment.pk, question.pk, later))
            cell[later] = got
            cell[f"{later}_change"] = got - pre if got is not None and pre is not None else None
        row.cells.append(cell)
    return row


def results(program: Program) -> Results:
    """Three queries whatever the number of trainees: enrolments, questions, answers."""
    survey = survey_to_read(program)
    enrollments = list(
        program.enrollments.active()
        .select_related("trainee")
        .order_by("trainee__family_name_kana", "trainee__email")
    )
    questions = questions_of(survey.question_set)
    likert = [q for q in questions if q.kind == QuestionKind.LIKERT]
    value, texts, responded = _answers_of(enrollments, survey.question_set)
    phases = [Phase.PRE, Phase.POST] + ([Phase.FOLLOWUP] if survey.followup_days else [])
    names = {e.pk: e.trainee.display_name for e in enrollments}
    labels = dict(Phase.choices)
    free_text = [
        (q, [(names[e], labels[p], t) for e, p, t in texts.get(q.pk, [])])
        for q in questions
        if q.kind == QuestionKind.TEXT
    ]
    return Results(
        questions=[_question_result(q, enrollments, value, phases) for q in likert],
        trainees=[_trainee_row(e, likert, value, phases) for e in enrollments],
        phases=phases,
        texts=free_text,
        responded={phase: len(ids) for phase, ids in responded.items()},
    )


# The chart: drawn on the server as SVG ---------------------------------------------------

CHART_WIDTH = 480  # narrow enough to stay readable when a phone scales it down
SCALE_LEFT = 24
SCALE_RIGHT = 392
LINE_HEIGHT = 18
TOP = 46
BREAK_AFTER = "、。，・）」』はがをにでともへや"


def _x(score: float) -> float:
    return round(SCALE_LEFT + (score - 1) / 4 * (SCALE_RIGHT - SCALE_LEFT), 1)


def _wrap(text: str, lines: int = 3) -> list[str]:
    """Cut a label into lines that fit the chart: English at spaces, Japanese after
    punctuation or a particle near the end of the line (it has no spaces), else anywhere."""
    latin = all(ord(ch) < 0x3000 for ch in text)
    width = 58 if latin else 30
    out, rest = [], text.strip()
    while rest and len(out) < lines:
        if len(rest) <= width:
            out.append(rest)
            rest = ""
            break
        cut = width
        if latin:
            space = rest.rfind(" ", 0, width + 1)
            cut = space if space > width // 2 else width
        else:
            for index in range(width, width - 8, -1):
                if rest[index - 1] in BREAK_AFTER:
                    cut = index
                    break
        out.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        out[-1] = out[-1][:-1] + "…"
    return out


def _arrow(pre: float | None, post: float | None) -> dict | None:
    """A line from the before dot to just short of the after dot (the head ends at its
    edge); none when either is missing or they are too close to draw one."""
    if pre is None or post is None or abs(_x(post) - _x(pre)) < 20:
        return None
    direction = 1 if post > pre else -1
    return {"x1": _x(pre) + 8 * direction, "x2": _x(post) - 9 * direction}


def chart(result: Results) -> dict:
    """Coordinates for `trainees/survey_chart.html`: one block per agreement statement, its
    label above a 1–5 scale, dots for the means before and after over the trainees who
    answered both (so the arrow agrees with the change printed beside it), the follow-up
    likewise. Without any pair, the means of everyone who answered, without an arrow."""
    rows = []
    y = TOP
    show_followup = any(item.paired.get(Phase.FOLLOWUP) for item in result.questions)
    for item in result.questions:
        lines = _wrap(item.question.label)
        dot_y = y + len(lines) * LINE_HEIGHT + 10
        pair = item.paired_means.get(Phase.POST)
        pre, post = pair if pair else (item.means.get(Phase.PRE), item.means.get(Phase.POST))
        points = []
        if pre is not None:
            points.append({"phase": Phase.PRE, "x": _x(pre), "mean": f"{pre:.1f}"})
        if post is not None:
            points.append({"phase": Phase.POST, "x": _x(post), "mean": f"{post:.1f}"})
        followup = item.paired_means.get(Phase.FOLLOWUP) if show_followup else None
        if followup:
            points.append(
                {"phase": Phase.FOLLOWUP, "x": _x(followup[1]), "mean": f"{followup[1]:.1f}"}
            )
        change = item.change.get(Phase.POST)
        rows.append(
            {
                "lines": [
                    {"text": line, "y": y + (i + 1) * LINE_HEIGHT - 4}
                    for i, line in enumerate(lines)
                ],
                "y": dot_y,
                "points": points,
                "arrow": _arrow(pre, post) if pair else None,
                "change": f"{change:+.1f}" if change is not None else "—",
                "paired": item.paired.get(Phase.POST, 0),
                "label": item.question.label,
                "top": y,
            }
        )
        y = dot_y + 22
    return {
        "width": CHART_WIDTH,
        "height": y + 4,
        "rows": rows,
        "ticks": [{"value": v, "x": _x(v)} for v in range(1, 6)],
        "change_x": CHART_WIDTH - 4,
        "bottom": y,
        "show_followup": show_followup,
    }
