"""The week grid (htmx: every action swaps #week-region, and works as plain forms without
JavaScript), the trainee's week, and templates."""

from datetime import date, time, timedelta
from types import SimpleNamespace

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access, date_range
from .. import cache as kenshu_cache
from ..client import client_ip
from ..compiled import CompiledQuery, run_together
from ..forms import ActivityForm, ApplyTemplateForm, CopyWeekForm, SaveTemplateForm
from ..integers import id_param
from ..models import Activity, ActivityKind, Enrollment
from ..registry import origin_of
from ..services import week as week_services
from ..week_layout import layout, shift

KIND_LABELS = dict(ActivityKind.choices)


def _week_context(
    request, program, *, editor=None, editing=None, notice=None, notice_is_error=False
) -> dict:
    can_edit = access.can_edit_program(request.user, program)
    board = kenshu_cache.cached_render(
        request,
        "programs/week_board.html",
        lambda: _board_context(request, program, can_edit, editing),
        kind="week",
        scopes=kenshu_cache.program_page_scopes(program, "week"),
        parts=(program.pk, editing.pk if editing else ""),
    )
    return {
        "program": program,
        "board": board,
        "can_edit": can_edit,
        "editor": editor,
        "editing": editing,
        "notice": notice,
        "notice_is_error": notice_is_error,
    }


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
)
# The week of the host's people, compiled once per connection (programs.compiled): the live
# activities with their facilitators' names, and the names of who takes part where not all do.
HOST_WEEK = CompiledQuery(
    lambda program_id: (
        Activity.objects.live()
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


def _host_week(program):
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


def _board_context(request, program, can_edit, editing) -> dict:
    if access.works_for_host(request.user, program):
        activities, names = _host_week(program)
    else:
        activities, names = _visible_week(request.user, program)
    week = layout(
        program.days,
        activities,
        today=timezone.localdate(),
        kind_labels=KIND_LABELS,
        participant_names=names,
    )
    add_at = _("Add at %(day)s %(time)s")  # once, not once per slot
    return {
        "program": program,
        "week": week,
        "days": [
            {
                "label": dateformat.format(day.date, "n/j (D)"),
                "short": f"{day.date.month}/{day.date.day}",
                "iso": day.date.isoformat(),
                "is_today": day.is_today,
                "is_weekend": day.is_weekend,
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


def _visible_week(user, program):
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


def _render_week(request, program, status=200, **kwargs):
    template = (
        "programs/week_region.html" if request.headers.get("HX-Request") else "programs/week.html"
    )
    return render(request, template, _week_context(request, program, **kwargs), status=status)


def week_tools(request, pk: int):
    """Apply a template, copy a past week, save this week as a template."""
    program = access.get_program_for_user(request.user, pk, write=True)
    return render(
        request,
        "programs/week_tools.html",
        {
            "program": program,
            "template_form": ApplyTemplateForm(user=request.user, program=program, prefix="apply"),
            "copy_form": CopyWeekForm(user=request.user, program=program, prefix="copy"),
            "save_template_form": SaveTemplateForm(),
        },
    )


def week_grid(request, pk: int):
    program = access.get_program_for_user(request.user, pk)
    editor = editing = None
    if "add" in request.GET or "edit" in request.GET:
        program = access.get_program_for_user(request.user, pk, write=True)
        if "edit" in request.GET:
            editing = _activity_from_query(request, program)
            derived = origin_of(editing)
            if derived is not None:  # a trip's leg or a seminar: changed on its own page
                return redirect(derived[1])
            editor = ActivityForm(program=program, initial=ActivityForm.initial_from(editing))
        else:
            editor = ActivityForm(program=program, initial=_new_initial(request, program))
    return _render_week(request, program, editor=editor, editing=editing)


def _activity_from_query(request, program):
    pk = id_param(request.GET["edit"])  # 2**70, "1e5", "٣": no activity of this program
    if pk is None:
        raise Http404
    return access.get_activity_for_user(request.user, program, pk)


def _new_initial(request, program) -> dict:
    initial = {"for_all": True, "kind": ActivityKind.WORK}
    day = request.GET.get("add", "")
    if day in {d.isoformat() for d in program.days}:
        initial["date"] = day
    try:
        start = time.fromisoformat(request.GET.get("start", "09:00"))
    except ValueError:
        start = time(9, 0)
    initial["start_time"] = start
    initial["end_time"] = shift(date.today(), start, 60)[1]
    return initial


def _slot_from(form) -> week_services.Slot:
    data = form.cleaned_data
    return week_services.Slot(
        date=data["date"],
        start_time=data["start_time"],
        end_time=data["end_time"],
        title=data["title"],
        kind=data["kind"],
        place=data["place"],
        facilitator=data["facilitator"],
        for_all=data["for_all"],
        participants=list(data["participants"]),
        notes=data["notes"],
    )


@require_POST
def activity_save(request, pk: int, activity_pk: int | None = None):
    program = access.get_program_for_user(request.user, pk, write=True)
    activity = (
        access.get_activity_for_user(request.user, program, activity_pk) if activity_pk else None
    )
    form = ActivityForm(request.POST, program=program)
    if form.is_valid():
        try:
            saved = week_services.save_activity(
                program, _slot_from(form), by=request.user, activity=activity, ip=client_ip(request)
            )
        except week_services.ActivityRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            notice = _("Saved: %(slot)s") % {"slot": week_services.describe(saved)}
            if not request.headers.get("HX-Request"):
                messages.success(request, notice)
                return redirect("programs:week_grid", pk=program.pk)
            return _render_week(request, program, notice=notice)
    return _render_week(request, program, editor=form, editing=activity, status=200)


MOVES = {"earlier": (0, -15), "later": (0, 15), "previous-day": (-1, 0), "next-day": (1, 0)}


@require_POST
def activity_move(request, pk: int, activity_pk: int):
    """Move an activity by a quarter hour or a day (keyboard-friendly buttons), or to a given
    date and start time (drag and drop), keeping its length."""
    program = access.get_program_for_user(request.user, pk, write=True)
    activity = access.get_activity_for_user(request.user, program, activity_pk)
    length = (activity.end_time.hour * 60 + activity.end_time.minute) - (
        activity.start_time.hour * 60 + activity.start_time.minute
    )
    direction = request.POST.get("direction")
    try:
        if direction in MOVES:
            days, minutes = MOVES[direction]
            new_date, new_start = shift(
                activity.date + timedelta(days=days), activity.start_time, minutes
            )
        else:
            new_date = date.fromisoformat(request.POST.get("date", ""))
            new_start = time.fromisoformat(request.POST.get("start_time", ""))
    except (ValueError, OverflowError):  # overflow: a stored day at the calendar's very end
        return _render_week(
            request, program, notice=_("That is not a date and time."), notice_is_error=True
        )
    if not date_range.in_range(new_date):
        return _render_week(
            request, program, notice=date_range.out_of_range_message(), notice_is_error=True
        )
    end_date, new_end = shift(new_date, new_start, length)
    if end_date != new_date:
        return _render_week(
            request,
            program,
            notice=_("An activity cannot run past midnight."),
            notice_is_error=True,
        )
    slot = week_services.Slot(
        date=new_date,
        start_time=new_start,
        end_time=new_end,
        title=activity.title,
        kind=activity.kind,
        place=activity.place,
        facilitator=activity.facilitator,
        for_all=activity.for_all,
        participants=list(activity.participants.all()),
        notes=activity.notes,
    )
    try:
        saved = week_services.save_activity(
            program, slot, by=request.user, activity=activity, ip=client_ip(request)
        )
    except week_services.ActivityRefused as refused:
        notice, editing, failed = refused.message, activity, True
    else:
        failed = False
        notice, editing = _("Moved: %(slot)s") % {"slot": week_services.describe(saved)}, saved
    if not request.headers.get("HX-Request"):
        (messages.error if failed else messages.info)(request, notice)
        return redirect(f"/programs/{program.pk}/week/?edit={activity.pk}")
    editor = ActivityForm(program=program, initial=ActivityForm.initial_from(editing))
    return _render_week(
        request, program, notice=notice, editor=editor, editing=editing, notice_is_error=failed
    )


@require_POST
def activity_cancel(request, pk: int, activity_pk: int):
    program = access.get_program_for_user(request.user, pk, write=True)
    activity = access.get_activity_for_user(request.user, program, activity_pk)
    try:
        week_services.cancel_activity(activity, by=request.user, ip=client_ip(request))
    except week_services.ActivityRefused as refused:
        notice, failed = refused.message, True
    else:
        notice = _("Deleted: %(slot)s") % {"slot": week_services.describe(activity)}
        failed = False
    if not request.headers.get("HX-Request"):
        (messages.error if failed else messages.success)(request, notice)
        return redirect("programs:week_grid", pk=program.pk)
    return _render_week(request, program, notice=notice, notice_is_error=failed)


def _week_form_action(request, pk, form_class, action, form_kwargs):
    program = access.get_program_for_user(request.user, pk, write=True)
    form = form_class(request.POST, **form_kwargs(program))
    if not form.is_valid():
        messages.error(request, _("Choose what to apply."))
        return redirect("programs:week_grid", pk=program.pk)
    try:
        message = action(program, form.cleaned_data)
    except week_services.ActivityRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, message)
    return redirect("programs:week_grid", pk=program.pk)


@require_POST
def week_apply_template(request, pk: int):
    def action(program, data):
        created = week_services.apply_template(
            program,
            data["template"],
            skip_weekends=data["skip_weekends"],
            by=request.user,
            ip=client_ip(request),
        )
        return _("%(count)s activities added from “%(name)s”.") % {
            "count": len(created),
            "name": data["template"].name,
        }

    return _week_form_action(
        request,
        pk,
        ApplyTemplateForm,
        action,
        form_kwargs=lambda program: {"user": request.user, "program": program, "prefix": "apply"},
    )


@require_POST
def week_copy(request, pk: int):
    def action(program, data):
        created = week_services.copy_week(
            data["source"],
            program,
            skip_weekends=data["skip_weekends"],
            by=request.user,
            ip=client_ip(request),
        )
        return _("%(count)s activities copied from “%(name)s”.") % {
            "count": len(created),
            "name": data["source"].title,
        }

    return _week_form_action(
        request,
        pk,
        CopyWeekForm,
        action,
        form_kwargs=lambda program: {"user": request.user, "program": program, "prefix": "copy"},
    )


@require_POST
def week_save_template(request, pk: int):
    def action(program, data):
        template = week_services.save_as_template(
            program, data["name"], by=request.user, ip=client_ip(request)
        )
        return _("Template “%(name)s” saved.") % {"name": template.name}

    return _week_form_action(request, pk, SaveTemplateForm, action, form_kwargs=lambda program: {})


def trainee_week(request):
    """The trainee's own week: only the activities they take part in, today highlighted."""
    profile = access.get_trainee_profile(request.user)
    today = timezone.localdate()
    # A week outside 2000–2100, or not a date at all: this week (as with no ?week=).
    asked = request.GET.get("week", "")
    anchor = date_range.query_date(asked) or today
    monday, sunday = week_services.week_range(anchor)
    activities = (
        Activity.objects.of_trainee(request.user)
        .live()
        .filter(date__range=(monday, sunday))
        .select_related("facilitator", "program")
        .order_by("date", "start_time")
    )
    days = [monday + timedelta(days=i) for i in range(7)]
    by_day = {d: [] for d in days}
    for a in activities:
        by_day[a.date].append(
            {
                "pk": a.pk,
                "title": a.title,
                "times": f"{a.start_time:%H:%M}–{a.end_time:%H:%M}",
                "place": a.place,
                "kind": a.kind,
                "kind_label": KIND_LABELS.get(a.kind, a.kind),
                "facilitator": a.facilitator.display_name if a.facilitator_id else "",
                "program": a.program.title,
                # A trip's leg or a seminar opens its own page (the itinerary, the seminar).
                "origin_url": (origin_of(a) or ("", ""))[1],
            }
        )
    return render(
        request,
        "programs/trainee_week.html",
        {
            "profile": profile,
            "days": [{"date": d, "is_today": d == today, "items": by_day[d]} for d in days],
            # No link to a week wholly outside the range (it would show this week).
            "previous": max(monday - timedelta(days=7), date_range.EARLIEST).isoformat()
            if monday > date_range.EARLIEST
            else "",
            "next": (monday + timedelta(days=7)).isoformat()
            if monday + timedelta(days=7) <= date_range.LATEST
            else "",
            "this_week": monday <= today <= sunday,
            # Said on the page: a week asked for and not shown is not silently replaced.
            "unknown_week": asked[:20] if asked and anchor is today else "",
            "range": date_range.range_params(),
            "monday": monday,
            "sunday": sunday,
        },
    )
