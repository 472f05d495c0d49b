"""What the reflection pages read: the trainee's page for a day and their list, a reader's
page of one reflection, the supervisor's list."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from programs import access
from programs.calendar_days import days_off_by_program
from programs.formats import time_range
from programs.models import Activity, Enrollment, Status

from ..models import (
    COMMENT_LIMIT,
    SECTION_LIMIT,
    SECTIONS,
    DailyReflection,
    ReflectionStatus,
    day_state,
)
from ..services import reflections as reflection_services
from ..services.reflections import day_label, deadline_of, reflection_days


def state_label(state: str) -> str:
    # One word for each state on every page, looked up in the page's language.
    return {
        "missing": _("Overdue"),
        "due": _("Not submitted yet"),
        "upcoming": "",
        "draft": _("Draft"),
        "submitted": _("Submitted"),
        "late": _("Submitted late"),
        "reviewed": _("Reviewed"),
    }[state]


def revisions(reflection, *, readers: bool) -> list[dict]:
    """Earlier versions, each section labelled; readers never see a draft's."""
    if reflection is None:
        return []
    rows = reflection.revisions.select_related("changed_by")
    if readers:
        rows = rows.for_readers()
    labels = dict(SECTIONS)
    return [
        {
            "when": r.changed_at,
            "who": r.changed_by.display_name if r.changed_by else "",
            "why": r.get_kind_display(),
            "note": r.reason if r.kind == "operator" and r.reason != "admin" else "",
            "sections": [(labels[name], r.content.get(name, "")) for name, _label in SECTIONS],
            "rating": r.content.get("self_rating"),
        }
        for r in rows
    ]


def _ratings() -> list:
    return [
        (1, _("1 — not at all")),
        (2, _("2")),
        (3, _("3")),
        (4, _("4")),
        (5, _("5 — fully")),
    ]


def _sections(values: dict, errors: dict) -> list[dict]:
    return [
        {
            "name": name,
            "label": label,
            "value": values.get(name, ""),
            "error": errors.get(name, ""),
            "count": len(values.get(name, "") or ""),
        }
        for name, label in SECTIONS
    ]


def _day_links(days: list, day) -> dict:
    """The days before and after `day` (the next one only once it has come)."""
    index = days.index(day)
    return {
        "previous_day": days[index - 1] if index > 0 else None,
        "next_day": days[index + 1]
        if index + 1 < len(days) and days[index + 1] <= timezone.localdate()
        else None,
    }


def day_plan(enrollment, day) -> str:
    """The day's activities this trainee takes part in, one line each (`10:00〜12:00 題名`):
    what the page offers as a start for 今日やったこと."""
    rows = (
        Activity.objects.live()
        .filter(program=enrollment.program_id, date=day)
        .for_enrollments([enrollment.pk])
        .order_by("start_time", "pk")
        .values_list("start_time", "end_time", "title")
    )
    return "\n".join(f"{time_range(start, end)} {title}" for start, end, title in rows)


def previous_goal(enrollment, day) -> dict | None:
    """The 明日の目標 of the trainee's reflection before this day (of the same enrolment),
    when it has one: shown above the day's form."""
    row = (
        DailyReflection.objects.filter(enrollment=enrollment, date__lt=day)
        .order_by("-date")
        .values("date", "tomorrow")
        .first()
    )
    if row is None or not row["tomorrow"].strip():
        return None
    return {"day": row["date"], "text": row["tomorrow"]}


def write_page(user, enrollment, day, *, values=None, errors=None, days=None) -> dict:
    """The trainee's page for one day: the reflection (or the empty sections), its history
    and its comment thread. Reading it changes nothing: the page's script tells the server
    the comments were read (`reflection_comment`, the thread's read receipt)."""
    program = enrollment.program
    reflection = (
        DailyReflection.objects.filter(enrollment=enrollment, date=day)
        .select_related("reviewed_by")
        .first()
    )
    comments = []
    if reflection is not None:
        comments = list(reflection.comments.select_related("author"))
    if values is None:
        values = (
            reflection.content()
            if reflection
            else {name: "" for name, _label in SECTIONS} | {"self_rating": None}
        )
    errors = errors or {}
    deadline = deadline_of(program, day)
    days = days if days is not None else reflection_days(program)
    return {
        "enrollment": enrollment,
        "program": program,
        "day": day,
        "reflection": reflection,
        "sections": _sections(values, errors),
        "rating": str(values.get("self_rating") or ""),
        "rating_error": errors.get("self_rating", ""),
        "form_error": errors.get("__all__", ""),
        "errors": errors,
        "first_error": next(
            (name for name, _l in [*SECTIONS, ("self_rating", "")] if name in errors), ""
        ),
        "revisions": revisions(reflection, readers=False),
        "limit": SECTION_LIMIT,
        "deadline": deadline,
        "past_deadline": timezone.now() > deadline,
        "locked": reflection is not None and reflection.is_locked,
        "comments": comments,
        "comment_limit": COMMENT_LIMIT,
        "can_comment": reflection is not None and reflection_services.can_comment(user, reflection),
        **_day_links(days, day),
        "ratings": _ratings(),
        "day_plan": day_plan(enrollment, day),
        "previous_goal": previous_goal(enrollment, day),
    }


def detail_page(user, reflection) -> dict:
    """A reader's page of one reflection: its text, thread and (for the host) history."""
    enrollment = reflection.enrollment
    program = enrollment.program
    is_host = access.works_for_host(user, program)
    return {
        "reflection": reflection,
        "enrollment": enrollment,
        "program": program,
        "sections": [
            {"label": label, "text": getattr(reflection, name)} for name, label in SECTIONS
        ],
        "comments": list(reflection.comments.select_related("author")),
        "can_comment": reflection_services.can_comment(user, reflection),
        "can_review": reflection.status == ReflectionStatus.SUBMITTED
        and access.can_edit_program(user, program),
        "is_host": is_host,
        "comment_limit": COMMENT_LIMIT,
        "deadline": deadline_of(program, reflection.date),
        "revisions": revisions(reflection, readers=True) if is_host else [],
        "changed_after_submission": reflection.revision > reflection.submitted_revision,
    }


def _own_rows(user, enrollments) -> dict:
    """Each reflection's state and unread comments, by (enrolment, day)."""
    return {
        (r["enrollment_id"], r["date"]): r
        for r in DailyReflection.objects.visible_to(user)
        .filter(enrollment__in=enrollments)
        .annotate(
            unread=Count(
                "comments",
                filter=Q(comments__read_by_trainee_at__isnull=True) & ~Q(comments__author=user),
            )
        )
        .values("enrollment_id", "date", "status", "late", "unread")
    }


def my_programs(user) -> list[dict]:
    """A trainee's reflections, program by program: each day's state, unread comments."""
    enrollments = list(
        Enrollment.objects.filter(trainee=user)
        .exclude(program__status=Status.DRAFT)
        .select_related("program")
        .order_by("-program__start_date")
    )
    today = timezone.localdate()
    activity_dates = reflection_services.activity_dates_by_program(
        [e.program_id for e in enrollments]
    )
    days_off = days_off_by_program({e.program_id: e.program for e in enrollments}.values())
    rows = _own_rows(user, enrollments)
    now = timezone.now()
    programs = []
    for enrollment in enrollments:
        program = enrollment.program
        days = []
        dates = activity_dates.get(program.pk, set())
        for day in reflection_days(program, dates, days_off.get(program.pk, {})):
            row = rows.get((enrollment.pk, day))
            state = day_state(
                row["status"] if row else None,
                bool(row and row["late"]),
                day=day,
                deadline=deadline_of(program, day),
                today=today,
                now=now,
            )
            days.append(
                {
                    "label": day_label(day),
                    "state": state,
                    "state_label": state_label(state),
                    "url": reverse("trainees:reflection_write", args=[enrollment.pk, day])
                    if day <= today and enrollment.is_active
                    else "",
                    "unread": row["unread"] if row else 0,
                    "today": day == today,
                }
            )
        programs.append({"enrollment": enrollment, "program": program, "days": days})
    return programs


def supervisor_items(page) -> list[dict]:
    return [
        {
            "reflection": r,
            "day": day_label(r.date),
            "url": reverse("trainees:reflection_detail", args=[r.pk]),
        }
        for r in page
    ]
