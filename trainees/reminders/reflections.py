"""The reflection reminders: the day's reflection at the program's reminder time, and the
next morning a nudge to each trainee who missed it and a digest to coordinators and
mentors."""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.calendar_days import days_off_by_program
from programs.models import Enrollment, Membership, Program, Role, Status
from programs.registry import DueReminder, ReminderMessage

from ..models import DailyReflection, ReflectionStatus
from ..services.reflections import (
    activity_dates_by_program,
    day_label,
    deadline_of,
    local_moment,
    reflection_days,
)

MORNING = time(9, 0)
DONE = (ReflectionStatus.SUBMITTED, ReflectionStatus.REVIEWED)


def _reflection_day_programs(day) -> list[Program]:
    """Published programs for which `day` is a reflection day."""
    programs = list(
        Program.objects.filter(status=Status.PUBLISHED, start_date__lte=day, end_date__gte=day)
    )
    dates = activity_dates_by_program([p.pk for p in programs])
    off = days_off_by_program(programs)
    return [
        p for p in programs if day in reflection_days(p, dates.get(p.pk, set()), off.get(p.pk, {}))
    ]


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


def still_missing(rows, now: datetime) -> set:
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


def digest_still_due(rows, now: datetime) -> set:
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
