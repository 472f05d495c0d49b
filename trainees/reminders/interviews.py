"""The interview reminder: to the trainee and the interviewers, 24 hours before."""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.registry import DueReminder, ReminderMessage

from ..models import Interview, InterviewState
from ..services.reflections import day_label, local_moment

# d. 24 hours before an interview -----------------------------------------------------------


def _interview_start(interview) -> datetime:
    return local_moment(interview.activity.date, interview.activity.start_time)


def find_interview(now: datetime):
    horizon = timezone.localtime(now + timedelta(hours=24))
    local = timezone.localtime(now)
    interviews = (
        Interview.objects.filter(
            state=InterviewState.DRAFT,
            activity__cancelled_at__isnull=True,
            activity__date__gte=local.date(),
            activity__date__lte=horizon.date(),
            enrollment__withdrawn_at__isnull=True,
        )
        .select_related("activity", "enrollment")
        .prefetch_related("interviewers")
    )
    for interview in interviews:
        start = _interview_start(interview)
        if not now < start <= now + timedelta(hours=24):
            continue
        stamp = f"{interview.activity.date.isoformat()}T{interview.activity.start_time:%H%M}"
        people = {interview.enrollment.trainee_id} | {u.pk for u in interview.interviewers.all()}
        for user_id in people:
            trainee = user_id == interview.enrollment.trainee_id
            yield DueReminder(
                kind="interview",
                key=f"interview:{interview.pk}:{user_id}:{stamp}",
                recipient_id=user_id,
                url=reverse(
                    "trainees:interview_review" if trainee else "trainees:interview_conduct",
                    args=[interview.pk],
                ),
                due_at=start - timedelta(hours=24),
                program_id=interview.enrollment.program_id,
                context={"interview": interview.pk, "start": start.isoformat()},
            )


def interview_still_due(rows, now: datetime) -> set:
    """Still to be held at the time the row was written for, the trainee still enrolled, and
    the recipient still the trainee or one of the interviewers."""
    interviews = {
        i.pk: i
        for i in Interview.objects.filter(
            pk__in={r.context.get("interview") for r in rows},
            state=InterviewState.DRAFT,
            activity__cancelled_at__isnull=True,
            enrollment__withdrawn_at__isnull=True,
        )
        .select_related("activity", "enrollment")
        .prefetch_related("interviewers")
    }
    due = set()
    for r in rows:
        interview = interviews.get(r.context.get("interview"))
        if interview is None:
            continue
        start = _interview_start(interview)
        people = {interview.enrollment.trainee_id} | {u.pk for u in interview.interviewers.all()}
        if start.isoformat() == r.context.get("start") and start > now and r.recipient_id in people:
            due.add(r.pk)
    return due


def message_interview(row) -> ReminderMessage:
    interview = Interview.objects.select_related("activity", "enrollment__trainee").get(
        pk=row.context["interview"]
    )
    slot = interview.activity
    when = {"day": day_label(slot.date), "time": f"{slot.start_time:%H:%M}"}
    if row.recipient_id == interview.enrollment.trainee_id:
        first = _("Your post-training interview is on %(day)s at %(time)s.") % when
    else:
        first = _("The post-training interview of %(name)s is on %(day)s at %(time)s.") % (
            when | {"name": interview.enrollment.trainee.display_name}
        )
    lines = [first]
    if slot.place:
        lines.append(_("Place: %(place)s") % {"place": slot.place})
    if interview.online_url:
        lines.append(_("Online: %(link)s") % {"link": interview.online_url})
    return ReminderMessage(
        subject=_("Interview on %(day)s at %(time)s") % when,
        lines=(row.program.title, *lines),
        action=_("Open the interview"),
    )
