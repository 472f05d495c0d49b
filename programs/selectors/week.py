"""The week board of a program: its live activities and who takes part, read in a fixed
number of queries and laid out for the template."""

from types import SimpleNamespace

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from .. import access, calendar_days
from ..compiled import CompiledQuery, run_together
from ..formats import show
from ..models import Activity, ActivityKind, Enrollment, Program
from ..week_layout import layout

KIND_LABELS = dict(ActivityKind.choices)


ACTIVITY_FIELDS = (
    "pk",
    "program_id",
    "date",
    "start_time",
    "end_time",
    "title",
    "kind",
    "place",
    "for_all",
    "origin",
    "facilitator_id",
    "placeholder",
)
# The week of the host's people, compiled once per connection (programs.compiled): the live
# activities with their facilitators' names, and the names of who takes part where not all do.
HOST_WEEK = CompiledQuery(
    lambda program_id: (
        Activity.objects.on_the_grid()
        .filter(program_id=program_id)
        .values_list(
            *ACTIVITY_FIELDS,
            "facilitator__family_name",
            "facilitator__given_name",
            "facilitator__email",
        )
    )
)
HOST_WEEK_PARTICIPANTS = CompiledQuery(
    lambda program_id: (
        Activity.participants.through.objects.filter(
            activity__program_id=program_id,
            activity__cancelled_at__isnull=True,
            activity__for_all=False,
            enrollment__withdrawn_at__isnull=True,
        )
        .order_by("enrollment__trainee__family_name_kana", "enrollment__trainee__email")
        .values_list(
            "activity_id",
            "enrollment__trainee__family_name",
            "enrollment__trainee__given_name",
            "enrollment__trainee__email",
        )
    )
)


def host_week(program):
    """(activities, participant names) as the layout takes them, for the host's people."""
    activities = []
    n = len(ACTIVITY_FIELDS)
    week_rows, participant_rows = run_together(  # one round trip on PostgreSQL
        [HOST_WEEK.later(program.pk), HOST_WEEK_PARTICIPANTS.later(program.pk)]
    )
    for row in week_rows:
        activity = SimpleNamespace(**dict(zip(ACTIVITY_FIELDS, row[:n], strict=True)))
        family, given, email = row[n:]
        activity.facilitator = (
            SimpleNamespace(display_name=f"{family} {given}".strip() or email)
            if activity.facilitator_id
            else None
        )
        activities.append(activity)
    names: dict[int, list[str]] = {}
    for activity_id, family, given, email in participant_rows:
        names.setdefault(activity_id, []).append(f"{family} {given}".strip() or email)
    return activities, {a.pk: "、".join(names.get(a.pk, [])) for a in activities if not a.for_all}


def board_context(user, program, can_edit: bool, editing, today) -> dict:
    """The week board of a program as `user` sees it on `today`; `editing`: the activity being
    edited."""
    if access.works_for_host(user, program):
        activities, names = host_week(program)
    else:
        activities, names = visible_week(user, program)
    week = layout(
        program.days,
        activities,
        today=today,
        kind_labels=KIND_LABELS,
        participant_names=names,
        days_off=calendar_days.days_off_of(program),
    )
    add_at = _("Add at %(day)s %(time)s")  # once, not once per slot
    return {
        "program": program,
        "week": week,
        "days": [
            {
                "label": show(day.date, "day"),
                "short": f"{day.date.month}/{day.date.day}",
                "iso": day.date.isoformat(),
                "is_today": day.is_today,
                "is_weekend": day.is_weekend,
                "day_off": day.day_off,
                "lanes": day.lanes,
                "cells": day.cells,
                "slots": [
                    (
                        hour["row"],
                        hour["row"] + 4,
                        hour["time"],
                        add_at % {"day": f"{day.date.month}/{day.date.day}", "time": hour["time"]},
                    )
                    for hour in week.hours
                ]
                if can_edit
                else [],
            }
            for day in week.days
        ],
        "can_edit": can_edit,
        "editing_pk": editing.pk if editing else None,
        "is_empty": not week_has_cells(week),
    }


def visible_week(user, program):
    """(activities, participant names) for a supervisor or a trainee: the activities and the
    enrolments they may see."""
    activities = list(
        access.activities_for(user, program)
        .select_related("facilitator")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=Enrollment.objects.visible_to(user)
                .active()
                .select_related("trainee")
                .order_by("trainee__family_name_kana", "trainee__email"),
            )
        )
    )
    names = {
        a.pk: "、".join(e.trainee.display_name for e in a.participants.all())
        for a in activities
        if not a.for_all
    }
    return activities, names


def week_has_cells(week) -> bool:
    return any(day.cells for day in week.days)


def trainee_days_off(user, monday, sunday) -> dict:
    """The names of the days off in a trainee's week: the national holidays, and the closed
    days of their programs' hosts on those programs' days (two queries)."""
    programs = Program.objects.filter(
        enrollments__trainee=user,
        enrollments__withdrawn_at__isnull=True,
        start_date__lte=sunday,
        end_date__gte=monday,
    ).only("pk", "host_id", "start_date", "end_date")
    off = calendar_days.national_holidays(monday, sunday)
    for days in calendar_days.days_off_by_program(programs).values():
        for day, name in days.items():
            if monday <= day <= sunday:
                off.setdefault(day, name)
    return off
