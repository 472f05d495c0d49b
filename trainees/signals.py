"""Writers of what trainees write bump the "trainees" version that the cached fragments of the
reflection matrix, the new-reflections list and the interview list are keyed on."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from programs import cache


def _bump(**kwargs) -> None:
    cache.bump("trainees")


def connect() -> None:
    from .models import (
        DailyReflection,
        Interview,
        InterviewEvent,
        InterviewQuestion,
        ReflectionComment,
    )

    for model in (DailyReflection, ReflectionComment, Interview, InterviewQuestion, InterviewEvent):
        name = model.__name__
        post_save.connect(_bump, sender=model, dispatch_uid=f"trainees-{name}", weak=False)
        post_delete.connect(_bump, sender=model, dispatch_uid=f"trainees-d-{name}", weak=False)
    m2m_changed.connect(
        _bump,
        sender=Interview.interviewers.through,
        dispatch_uid="trainees-interviewers",
        weak=False,
    )
