"""What trainees write and answer: daily reflections with their comment thread and history,
the pre/post (and follow-up) attitude survey, and the post-training interview."""

from .reflections import (
    COMMENT_LIMIT,
    SECTION_LIMIT,
    SECTION_NAMES,
    SECTIONS,
    DailyReflection,
    ReflectionComment,
    ReflectionRevision,
    ReflectionStatus,
    RevisionKind,
)
from .surveys import (
    FOLLOWUP_MIN_DAYS,
    POST_OPEN_DAYS,
    Answer,
    Phase,
    ProgramSurvey,
    Question,
    QuestionKind,
    QuestionSet,
    SurveyResponse,
)

__all__ = [
    "COMMENT_LIMIT",
    "FOLLOWUP_MIN_DAYS",
    "POST_OPEN_DAYS",
    "SECTIONS",
    "SECTION_LIMIT",
    "SECTION_NAMES",
    "Answer",
    "DailyReflection",
    "Phase",
    "ProgramSurvey",
    "Question",
    "QuestionKind",
    "QuestionSet",
    "ReflectionComment",
    "ReflectionRevision",
    "ReflectionStatus",
    "RevisionKind",
    "SurveyResponse",
]
