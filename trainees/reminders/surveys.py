"""The survey reminders: when a phase opens, and a day before the first one closes."""

from datetime import datetime, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.formats import show
from programs.models import Enrollment, Program, Status
from programs.registry import DueReminder, ReminderMessage

from ..models import POST_OPEN_DAYS, Phase, ProgramSurvey, SurveyResponse
from ..services.surveys import first_starts, windows

# e. Survey windows ---------------------------------------------------------------------------


def _programs_maybe_open(today, surveys: dict) -> list:
    """Published programs one of whose surveys may be open: before day 1 (the first
    survey), around the last day (the second), or in the follow-up window."""

    def may_be_open(program) -> bool:
        if program.start_date >= today or program.end_date >= today - timedelta(
            days=POST_OPEN_DAYS + 1
        ):
            return True
        survey = surveys.get(program.pk)
        days = survey.followup_days if survey else 90
        if not days:
            return False
        opens = program.end_date + timedelta(days=days)
        return opens <= today <= opens + timedelta(days=31)

    return [
        p
        for p in Program.objects.filter(end_date__gte=today - timedelta(days=800)).exclude(
            status=Status.DRAFT
        )
        if may_be_open(p)
    ]


def _survey_reminders(e, phase: str, window, now: datetime):
    """When the phase opens, and (the first survey only) a day before it closes."""
    url = reverse("trainees:survey_answer", args=[e.pk, phase])
    context = {"enrollment": e.pk, "phase": phase, "closes": window.closes.isoformat()}
    yield DueReminder(
        kind="survey",
        key=f"survey-open:{e.pk}:{phase}",
        recipient_id=e.trainee_id,
        url=url,
        due_at=window.opens or now,
        program_id=e.program_id,
        context=context,
    )
    if phase == Phase.PRE and window.closes - now <= timedelta(hours=24):
        yield DueReminder(
            kind="survey",
            key=f"survey-closing:{e.pk}:{phase}",
            recipient_id=e.trainee_id,
            url=url,
            due_at=window.closes - timedelta(hours=24),
            program_id=e.program_id,
            context=context | {"closing": True},
        )


def find_survey(now: datetime):
    today = timezone.localdate(now)
    surveys = {
        s.program_id: s
        for s in ProgramSurvey.objects.filter(program__end_date__gte=today - timedelta(days=800))
    }
    programs = _programs_maybe_open(today, surveys)
    enrollments = list(
        Enrollment.objects.active().filter(program__in=programs).select_related("program")
    )
    if not enrollments:
        return
    program_ids = {e.program_id for e in enrollments}
    starts = first_starts(program_ids)
    answered = set(
        SurveyResponse.objects.filter(enrollment__in=enrollments).values_list(
            "enrollment_id", "phase"
        )
    )
    for e in enrollments:
        survey = surveys.get(e.program_id) or ProgramSurvey(program=e.program, followup_days=90)
        for phase, window in windows(
            e.program, survey, first_start=starts.get(e.program_id)
        ).items():
            if (e.pk, phase) in answered or not window.is_open(now):
                continue
            yield from _survey_reminders(e, phase, window, now)


def survey_still_due(rows, now: datetime) -> set:
    answered = set(
        SurveyResponse.objects.filter(
            Q(enrollment__in={r.context.get("enrollment") for r in rows})
        ).values_list("enrollment_id", "phase")
    )
    active = set(
        Enrollment.objects.active()
        .filter(pk__in={r.context.get("enrollment") for r in rows})
        .values_list("pk", flat=True)
    )
    return {
        r.pk
        for r in rows
        if r.context.get("enrollment") in active
        and (r.context.get("enrollment"), r.context.get("phase")) not in answered
        and datetime.fromisoformat(r.context["closes"]) > now
    }


def message_survey(row) -> ReminderMessage:
    phase = row.context["phase"]
    closes = timezone.localtime(datetime.fromisoformat(row.context["closes"]))
    names = {
        Phase.PRE: _("the survey before the program"),
        Phase.POST: _("the survey after the program"),
        Phase.FOLLOWUP: _("the follow-up survey"),
    }
    subject = (
        _("Closing soon: %(survey)s") if row.context.get("closing") else _("Open now: %(survey)s")
    ) % {"survey": names[phase]}
    return ReminderMessage(
        subject=subject,
        lines=(
            row.program.title,
            _("Please answer by %(when)s. It takes about five minutes.")
            % {"when": show(closes, "moment")},
        ),
        action=_("Answer the survey"),
    )
