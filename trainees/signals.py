"""Writers of what trainees write bump the "trainees" version of their program and its host
(programs.cache), which the reflection matrix, the new-reflections list and the interview
list are keyed on. Saves that change nothing anyone else sees (a draft being typed, an
interview's answers being typed) bump nothing."""

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from programs import cache
from programs.models import Enrollment

# What a draft's autosave writes: no cached fragment shows a draft's text or counters, so
# the saves a trainee makes while typing do not invalidate their host's matrix and lists.
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
# What an interview's autosave writes on the interview (its answers go with bulk_update).
INTERVIEW_TYPING = {"revision", "client_id", "client_seq", "updated_at"}


def _bump_enrollment(enrollment_id: int | None) -> None:
    found = Enrollment.objects.filter(pk=enrollment_id).values_list("program_id", "program__host")
    for program_id, host_id in found:
        cache.bump_program(program_id, "trainees", host_id)


def _reflection_written(instance=None, created=False, update_fields=None, **kwargs) -> None:
    from .models import ReflectionStatus

    if (
        not created
        and update_fields is not None
        and set(update_fields) <= DRAFT_TYPING
        and instance.status == ReflectionStatus.DRAFT
    ):
        return
    _bump_enrollment(instance.enrollment_id)


def _comment_written(instance=None, **kwargs) -> None:
    _bump_enrollment(instance.reflection.enrollment_id)


def _interview_written(instance=None, created=False, update_fields=None, **kwargs) -> None:
    if not created and update_fields is not None and set(update_fields) <= INTERVIEW_TYPING:
        return
    _bump_enrollment(instance.enrollment_id)


def _interview_part_written(instance=None, **kwargs) -> None:
    _bump_enrollment(instance.interview.enrollment_id)


def _interviewers_changed(instance=None, action="", reverse=False, pk_set=None, **kwargs) -> None:
    from .models import Interview

    if not action.startswith("post_"):
        return
    interviews = Interview.objects.filter(pk__in=pk_set or ()) if reverse else [instance]
    for interview in interviews:
        _bump_enrollment(interview.enrollment_id)


def ensure_built_ins(sender=None, **kwargs) -> None:
    """The built-in survey set and interview template, after every migrate and every flush
    (a flush ends with post_migrate): pages that only read them never have to put them back
    (a GET writes nothing)."""
    from .builtin_interview import create_built_in_template
    from .builtin_questions import create_built_in_set
    from .models import InterviewTemplate, InterviewTemplateQuestion, Question, QuestionSet

    if not QuestionSet.objects.filter(host__isnull=True).exists():
        create_built_in_set(QuestionSet, Question)
    if not InterviewTemplate.objects.filter(host__isnull=True).exists():
        create_built_in_template(InterviewTemplate, InterviewTemplateQuestion)


def connect(app_config=None) -> None:
    if app_config is not None:
        post_migrate.connect(ensure_built_ins, sender=app_config, dispatch_uid="trainees-built-ins")
    from .models import (
        DailyReflection,
        Interview,
        InterviewEvent,
        InterviewQuestion,
        ReflectionComment,
    )

    receivers = {
        DailyReflection: _reflection_written,
        ReflectionComment: _comment_written,
        Interview: _interview_written,
        InterviewQuestion: _interview_part_written,
        InterviewEvent: _interview_part_written,
    }
    for model, receiver in receivers.items():
        name = model.__name__
        post_save.connect(receiver, sender=model, dispatch_uid=f"trainees-{name}", weak=False)
        post_delete.connect(
            _interview_written if model is Interview else receiver,
            sender=model,
            dispatch_uid=f"trainees-d-{name}",
            weak=False,
        )
    m2m_changed.connect(
        _interviewers_changed,
        sender=Interview.interviewers.through,
        dispatch_uid="trainees-interviewers",
        weak=False,
    )
