"""The week grid (htmx: every action swaps #week-region, and works as plain forms without
JavaScript) and the trainee's week. Templates and copies: views/week_tools.py."""

from datetime import date, time, timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access, date_range, way_out
from .. import cache as kenshu_cache
from ..client import client_ip
from ..formats import time_range
from ..forms import ActivityForm
from ..integers import id_param
from ..models import Activity, ActivityKind
from ..refusals import show_refusal
from ..registry import origin_of
from ..selectors.week import KIND_LABELS, board_context, trainee_days_off
from ..services import week as week_services
from ..week_layout import shift


def _week_context(
    request,
    program,
    *,
    editor=None,
    editing=None,
    notice=None,
    notice_is_error=False,
    clash=None,
    undo=None,
) -> dict:
    can_edit = access.can_edit_program(request.user, program)
    board = kenshu_cache.cached_render(
        request,
        "programs/week_board.html",
        lambda: board_context(request.user, program, can_edit, editing, timezone.localdate()),
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
        "clash": clash,
        "undo": undo,  # a deleted activity that 元に戻す puts back
    }


def _render_week(request, program, status=200, **kwargs):
    template = (
        "programs/week_region.html" if request.headers.get("HX-Request") else "programs/week.html"
    )
    return render(request, template, _week_context(request, program, **kwargs), status=status)


def _refused(request, program, refused, back: str, editing=None):
    """A change the week refused: said on the next page, or as the notice of the week's
    region (htmx), with `editing` open in the editor."""
    if not request.headers.get("HX-Request"):
        show_refusal(refused, request=request)
        return redirect(back)
    return _render_week(
        request,
        program,
        notice=refused.message,
        notice_is_error=True,
        editor=_editor(program, editing) if editing else None,
        editing=editing,
    )


def _editor(program, activity) -> ActivityForm:
    return ActivityForm(program=program, initial=ActivityForm.initial_from(activity))


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
    return _render_week(
        request, program, editor=editor, editing=editing, **_deleted_notice(request, program)
    )


def _deleted_notice(request, program) -> dict:
    """After 削除 without JavaScript (?deleted=<pk>): what was deleted, with 元に戻す, while it
    is still deleted and the person may still put it back."""
    pk = id_param(request.GET.get("deleted", ""))
    if pk is None or not access.can_edit_program(request.user, program):
        return {}
    activity = (
        Activity.objects.visible_to(request.user)
        .filter(pk=pk, program=program, cancelled_at__isnull=False, origin="")
        .first()
    )
    if activity is None:
        return {}
    return {"notice": _deleted(activity), "undo": activity}


def _deleted(activity) -> str:
    return _("Deleted: %(slot)s") % {"slot": week_services.describe(activity)}


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
    start = _time_param(request.GET.get("start", "")) or time(9, 0)
    end = _time_param(request.GET.get("end", ""))  # dragged on empty time: where it ended
    initial["start_time"] = start
    initial["end_time"] = end if end and end > start else shift(date.today(), start, 60)[1]
    return initial


def _time_param(value: str) -> time | None:
    """A time of day from the query ("09:00"), to the minute; None for anything else."""
    try:
        return time.fromisoformat(value[:8]).replace(second=0, microsecond=0)
    except ValueError:
        return None


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
        placeholder=data.get("placeholder", False),
    )


@require_POST
def activity_save(request, pk: int, activity_pk: int | None = None):
    program = access.get_program_for_user(request.user, pk, write=True)
    activity = (
        access.get_activity_for_user(request.user, program, activity_pk) if activity_pk else None
    )
    form = ActivityForm(request.POST, program=program)
    room = way_out.posted(request.POST)  # a button of the clash's way out
    clash = None
    if form.is_valid():
        slot = _slot_from(form)
        try:
            saved = week_services.save_activity(
                program,
                slot,
                by=request.user,
                activity=activity,
                ip=client_ip(request),
                make_room=room,
            )
        except week_services.ActivityRefused as refused:
            show_refusal(refused, form=form)
            clash = way_out.clash_context(refused, program, request.user, slot)
        else:
            notice = _("Saved: %(slot)s") % {"slot": week_services.describe(saved)}
            if room is not None:
                notice = _("%(first)s; %(then)s") % {
                    "first": notice,
                    "then": way_out.made_room(room),
                }
            if not request.headers.get("HX-Request"):
                messages.success(request, notice)
                return redirect("programs:week_grid", pk=program.pk)
            return _render_week(request, program, notice=notice)
    return _render_week(request, program, editor=form, editing=activity, clash=clash)


MOVES = {"earlier": (0, -15), "later": (0, 15), "previous-day": (-1, 0), "next-day": (1, 0)}


@require_POST
def activity_move(request, pk: int, activity_pk: int):
    """Move an activity by a quarter hour or a day (keyboard-friendly buttons), or to a given
    date and start time (drag and drop), keeping its length."""
    program = access.get_program_for_user(request.user, pk, write=True)
    activity = access.get_activity_for_user(request.user, program, activity_pk)
    slot, problem = _moved_slot(activity, request.POST)
    return _save_changed(request, program, activity, slot, problem, _("Moved: %(slot)s"))


RESIZES = {"shorter": -15, "longer": 15}


@require_POST
def activity_resize(request, pk: int, activity_pk: int):
    """Make an activity end a quarter hour earlier or later (buttons), or at a given time
    (dragging its bottom edge), keeping its start."""
    program = access.get_program_for_user(request.user, pk, write=True)
    activity = access.get_activity_for_user(request.user, program, activity_pk)
    slot, problem = _resized_slot(activity, request.POST)
    return _save_changed(request, program, activity, slot, problem, _("Length changed: %(slot)s"))


def _save_changed(request, program, activity, slot, problem: str, said: str):
    """A moved or resized activity saved with every rule of the week; a refusal leaves the
    week as it was and says why."""
    if slot is None:
        return _render_week(request, program, notice=problem, notice_is_error=True)
    back = f"/programs/{program.pk}/week/?edit={activity.pk}"
    try:
        saved = week_services.save_activity(
            program, slot, by=request.user, activity=activity, ip=client_ip(request)
        )
    except week_services.ActivityRefused as refused:
        return _refused(request, program, refused, back, editing=activity)
    notice = said % {"slot": week_services.describe(saved)}
    if not request.headers.get("HX-Request"):
        messages.info(request, notice)
        return redirect(back)
    return _render_week(
        request, program, notice=notice, editor=_editor(program, saved), editing=saved
    )


def _resized_slot(activity, data) -> tuple[week_services.Slot | None, str]:
    """The activity ending at the time asked for in `data`; or None and what is wrong."""
    direction = data.get("direction")
    if direction in RESIZES:
        end_date, end = shift(activity.date, activity.end_time, RESIZES[direction])
        if end_date != activity.date:  # 23:45 and later: past midnight
            return None, _("An activity cannot run past midnight.")
    else:
        end = _time_param(data.get("end_time", ""))
        if end is None:
            return None, _("That is not a time.")
    return week_services.slot_of(activity, end_time=end), ""


def _moved_slot(activity, data) -> tuple[week_services.Slot | None, str]:
    """The activity at the date and start time asked for in `data`, keeping its length; or
    None and what is wrong with them."""
    length = (activity.end_time.hour * 60 + activity.end_time.minute) - (
        activity.start_time.hour * 60 + activity.start_time.minute
    )
    direction = data.get("direction")
    try:
        if direction in MOVES:
            days, minutes = MOVES[direction]
            new_date, new_start = shift(
                activity.date + timedelta(days=days), activity.start_time, minutes
            )
        else:
            new_date = date.fromisoformat(data.get("date", ""))
            new_start = time.fromisoformat(data.get("start_time", ""))
    except (ValueError, OverflowError):  # overflow: a stored day at the calendar's very end
        return None, _("That is not a date and time.")
    if not date_range.in_range(new_date):
        return None, date_range.out_of_range_message()
    end_date, new_end = shift(new_date, new_start, length)
    if end_date != new_date:
        return None, _("An activity cannot run past midnight.")
    return week_services.slot_of(
        activity, date=new_date, start_time=new_start, end_time=new_end
    ), ""


@require_POST
def activity_cancel(request, pk: int, activity_pk: int):
    program = access.get_program_for_user(request.user, pk, write=True)
    activity = access.get_activity_for_user(request.user, program, activity_pk)
    try:
        week_services.cancel_activity(activity, by=request.user, ip=client_ip(request))
    except week_services.ActivityRefused as refused:
        return _refused(request, program, refused, reverse("programs:week_grid", args=[program.pk]))
    if not request.headers.get("HX-Request"):  # the next page says it, with 元に戻す
        return redirect(
            reverse("programs:week_grid", args=[program.pk]) + f"?deleted={activity.pk}"
        )
    return _render_week(request, program, notice=_deleted(activity), undo=activity)


@require_POST
def activity_restore(request, pk: int, activity_pk: int):
    """元に戻す after 削除: the activity back where it was, if that time is still free."""
    program = access.get_program_for_user(request.user, pk, write=True)
    activity = access.get_activity_for_user(request.user, program, activity_pk, deleted_too=True)
    week = reverse("programs:week_grid", args=[program.pk])
    try:
        restored = week_services.restore_activity(activity, by=request.user, ip=client_ip(request))
    except week_services.ActivityRefused as refused:
        return _refused(request, program, refused, week)
    notice = _("Restored: %(slot)s") % {"slot": week_services.describe(restored)}
    if not request.headers.get("HX-Request"):
        messages.success(request, notice)
        return redirect(week)
    return _render_week(request, program, notice=notice)


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
    days_off = trainee_days_off(request.user, monday, sunday)
    by_day = {d: [] for d in days}
    for a in activities:
        by_day[a.date].append(
            {
                "pk": a.pk,
                "title": a.title,
                "times": time_range(a.start_time, a.end_time),
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
            "days": [
                {"date": d, "is_today": d == today, "items": by_day[d], "day_off": days_off.get(d)}
                for d in days
            ],
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
