"""Who may see or change a reflection's enrolment or an interview. Each starts from a scoped
queryset (404 outside the person's scope) and is decided from the database on every
request; the interview and reflection pages, the article exports and the reminders find
their objects here."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from programs import access
from programs.models import Enrollment, Status

from .models import DailyReflection, Interview, TrainingReport

# What the interview and reflection pages show of the enrolment, read in the same query.
_ENROLMENT = ("enrollment__trainee", "enrollment__program__host", "enrollment__municipality")


def get_own_enrollment(user, pk: int) -> Enrollment:
    """The signed-in trainee's own enrolment in a published program; 404 for anyone else."""
    return get_object_or_404(
        Enrollment.objects.filter(trainee=user)
        .exclude(program__status=Status.DRAFT)
        .select_related("program", "program__host", "mentor", "municipality"),
        pk=pk,
    )


def get_host_program(user, pk: int):
    """A program of the person's own host (the reflection matrix, the interviews to hold);
    404 for everyone else, a supervisor included."""
    program = access.get_program_for_user(user, pk)
    if not access.works_for_host(user, program):
        raise Http404
    return program


def get_interview_for_user(user, pk: int) -> Interview:
    return get_object_or_404(
        Interview.objects.visible_to(user).select_related(*_ENROLMENT, "activity"),
        pk=pk,
    )


def get_host_interview_for_user(user, pk: int) -> Interview:
    """An interview of the person's own host; 404 for the trainee and supervisors too."""
    interview = get_interview_for_user(user, pk)
    if not access.works_for_host(user, interview.enrollment.program):
        raise Http404
    return interview


def get_visible_reflection(user, pk: int) -> DailyReflection:
    """A reflection the person may read (its trainee, the host's people, the mentor, a
    supervisor of its municipality once submitted); 404 for anyone else."""
    return get_object_or_404(
        DailyReflection.objects.visible_to(user).select_related(
            *_ENROLMENT, "enrollment__mentor", "reviewed_by"
        ),
        pk=pk,
    )


def get_own_interview(user, pk: int) -> Interview:
    """The signed-in trainee's own interview; 404 for anyone else."""
    return get_object_or_404(
        Interview.objects.visible_to(user)
        .filter(enrollment__trainee=user)
        .select_related("enrollment__program__host", "activity"),
        pk=pk,
    )


def get_visible_training_report(user, pk: int) -> TrainingReport:
    """A 研修報告書 the person may read (its trainee; once submitted the host's people, the
    mentor and the contacts of its municipality); 404 for anyone else."""
    return get_object_or_404(
        TrainingReport.objects.visible_to(user).select_related(
            *_ENROLMENT, "enrollment__program__created_by", "municipality_confirmed_by"
        ),
        pk=pk,
    )
