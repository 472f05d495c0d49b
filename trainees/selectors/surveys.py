"""What the survey pages read: a trainee's questions with their answers, and the results
drawn for the host."""

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Phase, QuestionKind, SurveyResponse, answer_field
from ..services import surveys as survey_services


def earlier_answers(user, enrollment, phase: str) -> tuple:
    """The trainee's response for the phase (or None) and its answers by field name."""
    response = (
        SurveyResponse.objects.visible_to(user).filter(enrollment=enrollment, phase=phase).first()
    )
    previous = {}
    if response is not None:
        for a in response.answers.all():
            previous[answer_field(a.question_id)] = str(a.value) if a.value is not None else a.text
    return response, previous


def _scale() -> list:
    return [
        (1, _("Strongly disagree")),
        (2, _("Disagree")),
        (3, _("Neither")),
        (4, _("Agree")),
        (5, _("Strongly agree")),
    ]


def answer_page(enrollment, phase, window, questions, response, values, errors) -> dict:
    """The survey for one phase: each question with what it holds (`values` and `errors`
    by field name), the window it is open in."""
    now = timezone.now()
    return {
        "enrollment": enrollment,
        "program": enrollment.program,
        "phase": phase,
        "phase_label": Phase(phase).label,
        "window": window,
        "is_open": window.is_open(now),
        "not_yet": window.opens is not None and now < window.opens,
        "response": response,
        "form_error": errors.get("__all__", ""),
        "error_count": len([k for k in errors if k != "__all__"]),
        "questions": [
            {
                "name": answer_field(q.pk),
                "label": q.label,
                "likert": q.kind == QuestionKind.LIKERT,
                "value": values.get(answer_field(q.pk), ""),
                "error": errors.get(answer_field(q.pk), ""),
                "number": index,
            }
            for index, q in enumerate(questions, start=1)
        ],
        "scale": _scale(),
        "text_limit": survey_services.TEXT_LIMIT,
    }


def _trainee_cell(cell: dict, later: list) -> str:
    """ "4 → 5 (+1)"; with a follow-up, "4 → 5 (+1) → 4 (0)"."""
    text = "—" if cell["pre"] is None else str(cell["pre"])
    for phase in later:
        value, change = cell[phase], cell[f"{phase}_change"]
        text += " → " + ("—" if value is None else str(value))
        if change is not None:
            text += f" ({change:+d})"
    return text


def _question_rows(result) -> list[dict]:
    later = result.phases[1:]
    return [
        {
            "number": number,
            "label": item.question.label,
            "means": [
                f"{item.means[p]:.1f} (n={item.counts[p]})" if item.means[p] is not None else "—"
                for p in result.phases
            ],
            "changes": [
                f"{item.change[p]:+.1f} ({item.paired[p]})" if item.change[p] is not None else "—"
                for p in later
            ],
        }
        for number, item in enumerate(result.questions, start=1)
    ]


def results_page(program, survey) -> dict:
    """Change per question and per trainee, the chart, the windows."""
    result = survey_services.results(program)
    answered_later = [p for p in result.phases[1:] if result.responded.get(p)]
    trainee_rows = [
        {
            "name": row.enrollment.trainee.display_name,
            "cells": [_trainee_cell(cell, answered_later) for cell in row.cells],
        }
        for row in result.trainees
    ]
    window_list = [
        {"label": Phase(phase).label, "window": window}
        for phase, window in survey_services.windows(program, survey).items()
    ]
    return {
        "program": program,
        "survey": survey,
        "result": result,
        "question_rows": _question_rows(result),
        "trainee_rows": trainee_rows,
        "chart": survey_services.chart(result),
        "windows": window_list,
        "phase_labels": [Phase(p).label for p in result.phases],
        "later_phases": [Phase(p).label for p in result.phases[1:]],
        "responded": [
            {"label": Phase(p).label, "count": result.responded.get(p, 0)} for p in result.phases
        ],
    }
