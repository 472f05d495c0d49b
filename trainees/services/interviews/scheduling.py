"""Scheduling an interview into the week: its own slot or the week's interview slot, the
interviewers, the questions from a template; moving it until it is held."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from programs import access
from programs.formats import show
from programs.models import Activity, ActivityKind, Enrollment, Membership
from programs.models.organisations import HOST_ROLES
from programs.services.week import ActivityRefused, Slot, cancel_activity, save_activity

from ...models import (
    Interview,
    InterviewQuestion,
    InterviewState,
    InterviewTemplate,
)
from .rules import InterviewRefused, can_coordinate, record_event
from .templates import built_in_template


@dataclass
class Plan:
    """When and where: a new slot (date, start, end, place) or an existing interview slot of
    the week (`slot`), the online link, the interviewers."""

    interviewers: list
    date: datetime.date | None = None
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    place: str = ""
    online_url: str = ""
    slot: Activity | None = None


def _check_interviewers(enrollment: Enrollment, interviewers) -> None:
    if not interviewers:
        raise InterviewRefused(
            _("Choose at least one interviewer."),
            "no_interviewer",
            {"interviewers": _("Choose at least one interviewer.")},
        )
    known = set(
        Membership.objects.filter(
            host_company=enrollment.program.host_id,
            role__in=HOST_ROLES,
            user__in=interviewers,
        ).values_list("user_id", flat=True)
    )
    if known != {u.pk for u in interviewers}:
        message = _("Interviewers are coordinators or staff of the host company.")
        raise InterviewRefused(message, "foreign_interviewer", {"interviewers": message})


def _slot_activity(enrollment: Enrollment, plan: Plan, *, by, current: Activity | None):
    """The activity of the week the interview takes place in: the chosen existing slot, or
    a new (or moved) one for this trainee only. Clashes are refused as in the week editor."""
    program = enrollment.program
    if plan.slot is not None:
        slot = plan.slot
        takes_part = slot.for_all or slot.participants.filter(pk=enrollment.pk).exists()
        if slot.program_id != program.pk or slot.cancelled_at or not takes_part:
            message = _("Choose an interview slot of this program that includes the trainee.")
            raise InterviewRefused(message, "slot", {"slot": message})
        return slot, False
    if not (plan.date and plan.start_time and plan.end_time):
        message = _("Give the date and the times, or choose a slot of the week.")
        raise InterviewRefused(message, "when", {"date": message})
    title = _("Interview: %(name)s") % {"name": enrollment.trainee.display_name}
    try:
        activity = save_activity(
            program,
            Slot(
                date=plan.date,
                start_time=plan.start_time,
                end_time=plan.end_time,
                title=title[:200],
                kind=ActivityKind.INTERVIEW,
                place=plan.place,
                facilitator=plan.interviewers[0],
                for_all=False,
                participants=[enrollment],
                notes=plan.online_url,
            ),
            by=by,
            activity=current,
        )
    except ActivityRefused as refused:
        raise InterviewRefused(refused.message, "clash", {"date": refused.message}) from refused
    return activity, True


def default_introduction(enrollment: Enrollment) -> str:
    program = enrollment.program
    return _(
        "A staff member of %(municipality)s%(department)s spent %(days)s days at %(host)s "
        "(%(start)s–%(end)s) in the program “%(program)s”. We asked about the week."
    ) % {
        "municipality": enrollment.municipality.name,
        "department": f"（{enrollment.department}）" if enrollment.department else "",
        "days": len(program.days),
        "host": program.host.name,
        "start": show(program.start_date, "date_long"),
        "end": show(program.end_date, "month_date"),
        "program": program.title,
    }


def schedule(
    enrollment: Enrollment, plan: Plan, *, by, template: InterviewTemplate | None = None
) -> Interview:
    program = enrollment.program
    if not access.can_edit_program(by, program):
        raise InterviewRefused(_("Only a coordinator schedules interviews."), "forbidden")
    if not enrollment.is_active:
        raise InterviewRefused(_("This trainee has withdrawn from the program."), "withdrawn")
    if Interview.objects.filter(enrollment=enrollment).exists():
        message = _("This trainee already has an interview in this program.")
        raise InterviewRefused(message, "twice", {"enrollment": message})
    _check_interviewers(enrollment, plan.interviewers)
    template = template or built_in_template()
    if template.host_id not in (None, program.host_id):
        raise InterviewRefused(_("Choose one of the offered templates."), "foreign_template")
    with transaction.atomic():
        activity, owns = _slot_activity(enrollment, plan, by=by, current=None)
        interview = Interview.objects.create(
            enrollment=enrollment,
            activity=activity,
            owns_activity=owns,
            online_url=plan.online_url,
            created_by=by,
            introduction=default_introduction(enrollment),
            closing=_("Thank you for taking part in the program."),
        )
        interview.interviewers.set(plan.interviewers)
        InterviewQuestion.objects.bulk_create(
            InterviewQuestion(interview=interview, order=q.order, text=q.text)
            for q in template.questions.order_by("order")
        )
        record_event(interview, InterviewState.DRAFT, by)
    return interview


def reschedule(interview: Interview, plan: Plan, *, by) -> Interview:
    if not can_coordinate(by, interview):
        raise InterviewRefused(_("Only a coordinator schedules interviews."), "forbidden")
    enrollment = interview.enrollment
    _check_interviewers(enrollment, plan.interviewers)
    with transaction.atomic():
        row = Interview.objects.select_for_update().get(pk=interview.pk)
        if row.state != InterviewState.DRAFT:
            raise InterviewRefused(_("The interview has been held: its time no longer changes."))
        old = row.activity
        # Its own slot moves with it; a cancelled one (deleted in the week) is replaced.
        reuse = row.owns_activity and plan.slot is None and old.cancelled_at is None
        activity, owns = _slot_activity(enrollment, plan, by=by, current=old if reuse else None)
        if row.owns_activity and activity.pk != old.pk and old.cancelled_at is None:
            cancel_activity(old, by=by)
        row.activity, row.owns_activity = activity, owns
        row.online_url = plan.online_url
        row.save(update_fields=["activity", "owns_activity", "online_url", "updated_at"])
        row.interviewers.set(plan.interviewers)
    interview.activity, interview.owns_activity = row.activity, row.owns_activity
    return interview
