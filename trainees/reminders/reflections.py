"""The reminders of reflections, interviews and surveys, answered to the core's registry: who
is due now (one key per occasion), whether a row is still worth sending, and what it says
(in the recipient's language, which the sender activates)."""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.models import Enrollment, Membership, Program, Role, Status
from programs.registry import DueReminder, Reminder, ReminderMessage

from .models import (
    POST_OPEN_DAYS,
    DailyReflection,
    Interview,
    InterviewState,
    Phase,
    ProgramSurvey,
    ReflectionStatus,
    SurveyResponse,
)
from .services.reflections import (
    activity_dates_by_program,
    day_label,
    deadline_of,
    local_moment,
    reflection_days,
)
from .services.surveys import first_starts, windows

MORNING = time(9, 0)
DONE = (ReflectionStatus.SUBMITTED, ReflectionStatus.REVIEWED)


def _reflection_day_programs(day) -> list[Program]:
    """Published programs for which `day` is a reflection day."""
    programs = list(
        Program.objects.filter(status=Status.PUBLISHED, start_date__lte=day, end_date__gte=day)
    )
    dates = activity_dates_by_program([p.pk for p in programs])
    return [p for p in programs if day in reflection_days(p, dates.get(p.pk, set()))]


def _missing(programs, day) -> list[dict]:
    """Active enrolments of `programs` without a submitted reflection for `day`."""
    done = set(
        DailyReflection.objects.filter(
            enrollment__program__in=programs, date=day, status__in=DONE
        ).values_list("enrollment_id", flat=True)
    )
    return [
        e
        for e in Enrollment.objects.active()
        .filter(program__in=programs)
        .values("pk", "trainee_id", "program_id", "mentor_id")
        if e["pk"] not in done
    ]


# a. The reflection reminder at the program's reminder time ----------------------------------


def find_reflection(now: datetime):
    local = timezone.localtime(now)
    today = local.date()
    due = [
        p
        for p in _reflection_day_programs(today)
        if p.reminder_time and local.time() >= p.reminder_time and now < deadline_of(p, today)
    ]
    if not due:
        return
    at = {p.pk: local_moment(today, p.reminder_time) for p in due}
    path = reverse("trainees:reflection_write", args=[0, today])
    for e in _missing(due, today):
        yield DueReminder(
            kind="reflection",
            key=f"reflection:{e['pk']}:{today.isoformat()}",
            recipient_id=e["trainee_id"],
            url=path.replace("/0/", f"/{e['pk']}/", 1),
            due_at=at[e["program_id"]],
            program_id=e["program_id"],
            context={"enrollment": e["pk"], "date": today.isoformat()},
        )


def _still_missing(rows, now: datetime) -> set:
    """Not submitted, the trainee still enrolled, and still timely: today's reminder only
    before the deadline, the morning nudge only the day after."""
    today = timezone.localdate(now)
    wanted = {(r.context.get("enrollment"), r.context.get("date")) for r in rows}
    active = set(
        Enrollment.objects.active()
        .filter(pk__in={e for e, _d in wanted})
        .values_list("pk", flat=True)
    )
    done = {
        (e, d.isoformat())
        for e, d in DailyReflection.objects.filter(
            enrollment__in=active, date__in={d for _e, d in wanted}, status__in=DONE
        ).values_list("enrollment_id", "date")
    }

    def timely(row) -> bool:
        day = datetime.fromisoformat(row.context["date"]).date()
        if row.kind == "reflection":
            return row.program is not None and now < deadline_of(row.program, day)
        return today - day <= timedelta(days=1)

    return {
        r.pk
        for r in rows
        if r.context.get("enrollment") in active
        and (r.context.get("enrollment"), r.context.get("date")) not in done
        and timely(r)
    }


def message_reflection(row) -> ReminderMessage:
    day = datetime.fromisoformat(row.context["date"]).date()
    deadline = deadline_of(row.program, day)
    return ReminderMessage(
        subject=_("Today's reflection: please write it by %(time)s")
        % {"time": f"{timezone.localtime(deadline):%H:%M}"},
        lines=(
            row.program.title,
            _(
                "Your reflection for %(day)s has not been submitted yet. It takes a few minutes, "
                "and can be written on a phone."
            )
            % {"day": day_label(day)},
        ),
        action=_("Write today's reflection"),
    )


# b. The next morning: a nudge to each trainee, a digest to coordinators and mentors ------------


def find_morning(now: datetime):
    local = timezone.localtime(now)
    if local.time() < MORNING:
        return
    today = local.date()
    yesterday = today - timedelta(days=1)
    programs = _reflection_day_programs(yesterday)
    if not programs:
        return
    missing = _missing(programs, yesterday)
    at = local_moment(today, MORNING)
    path = reverse("trainees:reflection_write", args=[0, yesterday])
    by_program: dict[int, list[dict]] = {}
    for e in missing:
        by_program.setdefault(e["program_id"], []).append(e)
        yield DueReminder(
            kind="reflection_missing",
            key=f"reflection-missing:{e['pk']}:{yesterday.isoformat()}",
            recipient_id=e["trainee_id"],
            url=path.replace("/0/", f"/{e['pk']}/", 1),
            due_at=at,
            program_id=e["program_id"],
            context={"enrollment": e["pk"], "date": yesterday.isoformat()},
        )
    hosts = {p.pk: p.host_id for p in programs}
    coordinators: dict[int, set] = {}
    for user_id, host_id in Membership.objects.filter(
        role=Role.COORDINATOR, host_company__in=set(hosts.values())
    ).values_list("user_id", "host_company_id"):
        coordinators.setdefault(host_id, set()).add(user_id)
    for program_id, rows in by_program.items():
        readers = coordinators.get(hosts[program_id], set()) | {
            e["mentor_id"] for e in rows if e["mentor_id"]
        }
        for user_id in readers:
            yield DueReminder(
                kind="reflection_digest",
                key=f"reflection-digest:{program_id}:{yesterday.isoformat()}:{user_id}",
                recipient_id=user_id,
                url=reverse("trainees:reflection_matrix", args=[program_id]),
                due_at=at,
                program_id=program_id,
                context={"date": yesterday.isoformat()},
            )


def message_missing(row) -> ReminderMessage:
    day = datetime.fromisoformat(row.context["date"]).date()
    return ReminderMessage(
        subject=_("Your reflection for %(day)s is missing") % {"day": day_label(day)},
        lines=(
            row.program.title,
            _(
                "Yesterday's reflection has not been submitted. You can still write it: it will "
                "be marked late, and your coordinator will read it all the same."
            ),
        ),
        action=_("Write it now"),
    )


def _digest_still_due(rows, now: datetime) -> set:
    return {r.pk for r in rows}  # the message says whether anything is still missing


def message_digest(row) -> ReminderMessage | None:
    day = datetime.fromisoformat(row.context["date"]).date()
    program = row.program
    missing = {e["pk"] for e in _missing([program], day)}
    names = [
        e.trainee.display_name
        for e in Enrollment.objects.filter(pk__in=missing)
        .select_related("trainee")
        .order_by("trainee__family_name_kana", "trainee__email")
    ]
    if not names:
        return None
    return ReminderMessage(
        subject=_("%(count)s reflections missing for %(day)s: %(program)s")
        % {"count": len(names), "day": day_label(day), "program": program.title},
        lines=(
            _("These trainees have not submitted their reflection for %(day)s:")
            % {"day": day_label(day)},
            *[f"・{name}" for name in names],
        ),
        action=_("Open the reflections"),
    )


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


def _interview_still_due(rows, now: datetime) -> set:
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


# e. Survey windows ---------------------------------------------------------------------------


def find_survey(now: datetime):
    today = timezone.localdate(now)
    surveys = {
        s.program_id: s
        for s in ProgramSurvey.objects.filter(program__end_date__gte=today - timedelta(days=800))
    }

    def may_be_open(program) -> bool:
        """Before day 1 (the first survey), around the last day (the second), or when the
        follow-up window can be open."""
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

    programs = [
        p
        for p in Program.objects.filter(end_date__gte=today - timedelta(days=800)).exclude(
            status=Status.DRAFT
        )
        if may_be_open(p)
    ]
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


def _survey_still_due(rows, now: datetime) -> set:
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
            % {"when": formats.date_format(closes, "n/j H:i")},
        ),
        action=_("Answer the survey"),
    )


REMINDERS = [
    Reminder(
        "reflection",
        gettext_lazy("The day's reflection, at the program's reminder time"),
        find_reflection,
        _still_missing,
        message_reflection,
    ),
    Reminder(
        "reflection_missing",
        gettext_lazy("A missing reflection, the next morning"),
        find_morning,  # yields the digests' rows too, in the same pass
        _still_missing,
        message_missing,
    ),
    Reminder(
        "reflection_digest",
        gettext_lazy("Coordinators and mentors: the reflections missing from yesterday"),
        lambda now: (),  # its rows come from the morning pass above
        _digest_still_due,
        message_digest,
        audience="host",
    ),
    Reminder(
        "interview",
        gettext_lazy("The day before an interview"),
        find_interview,
        _interview_still_due,
        message_interview,
        audience="both",
    ),
    Reminder(
        "survey",
        gettext_lazy("Surveys: when one opens and before the first one closes"),
        find_survey,
        _survey_still_due,
        message_survey,
    ),
]
