"""Writers of what trainees write bump the "trainees" version that the cached fragments of the
reflection matrix, the new-reflections list and the interview list are keyed on."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from programs import cache


def _bump(**kwargs) -> None:
    cache.bump("trainees")


# What a draft's autosave writes: no cached fragment shows a draft's text or counters, so
# the saves a trainee makes while typing do not invalidate every host's matrix and lists.
DRAFT_TYPING = {
    "did",
    "learned",
    "felt",
    "questions",
    "tomorrow",
    "self_rating",
    "revision",
    "client_id",
    "client_seq",
    "updated_at",
}


def _bump_reflection(instance=None, created=False, update_fields=None, **kwargs) -> None:
    from .models import ReflectionStatus

    if (
        not created
        and update_fields is not None
        and set(update_fields) <= DRAFT_TYPING
        and instance.status == ReflectionStatus.DRAFT
    ):
        return
    cache.bump("trainees")


def connect() -> None:
    from .models import (
        DailyReflection,
        Interview,
        InterviewEvent,
        InterviewQuestion,
        ReflectionComment,
    )

    post_save.connect(
        _bump_reflection, sender=DailyReflection, dispatch_uid="trainees-reflection", weak=False
    )
    for model in (DailyReflection, ReflectionComment, Interview, InterviewQuestion, InterviewEvent):
        name = model.__name__
        if model is not DailyReflection:
            post_save.connect(_bump, sender=model, dispatch_uid=f"trainees-{name}", weak=False)
        post_delete.connect(_bump, sender=model, dispatch_uid=f"trainees-d-{name}", weak=False)
    m2m_changed.connect(
        _bump,
        sender=Interview.interviewers.through,
        dispatch_uid="trainees-interviewers",
        weak=False,
    )
