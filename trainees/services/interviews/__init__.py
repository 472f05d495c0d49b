"""The post-training interview: scheduling it into the week, recording answers (saved as the
interviewer types, safely repeated), follow-up questions, the trainee's corrections and
consent, the supervisor's approval, publication. Each move is allowed to one role only and
recorded with who and when.

One module per step; callers use this package's names."""

from .conducting import add_question, finish, move_question, remove_question, save_answers
from .publishing import MOVES, approve, edit_article, publish, request_changes, review
from .rules import (
    ARTICLE_EDITABLE_STATES,
    EDITABLE_STATES,
    InterviewRefused,
    can_conduct,
    can_coordinate,
    is_supervisor_of,
)
from .scheduling import Plan, default_introduction, reschedule, schedule
from .templates import TEMPLATE_MAX_QUESTIONS, built_in_template, save_template

__all__ = [
    "ARTICLE_EDITABLE_STATES",
    "EDITABLE_STATES",
    "MOVES",
    "TEMPLATE_MAX_QUESTIONS",
    "InterviewRefused",
    "Plan",
    "add_question",
    "approve",
    "built_in_template",
    "can_conduct",
    "can_coordinate",
    "default_introduction",
    "edit_article",
    "finish",
    "is_supervisor_of",
    "move_question",
    "publish",
    "remove_question",
    "request_changes",
    "reschedule",
    "review",
    "save_answers",
    "save_template",
    "schedule",
]
