"""A trip's itinerary and seminars entered as tables, filled from the week's placeholders:
one form for every leg (保存して次へ), one for every seminar, and the placeholders left
removed in one step."""

from datetime import time
from types import SimpleNamespace

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs import way_out
from programs.integers import id_param, int_param
from programs.models import ActivityKind
from programs.refusals import show_refusal

from .. import access as trip_access
from .. import forms as f
from ..selectors import planning
from ..services import legs as leg_services
from ..services import seminars as seminar_services
from ..services.common import TripRefused
from ..services.planning import remove_trip_placeholders
from .common import trip_url

MAX_ROWS = 30


def _row_forms(request, trip, form_class, rows_initial: list[dict]) -> list:
    """The table's row forms: as the page offers them, or as they were posted (their count
    from the posted `rows`, at most MAX_ROWS)."""
    if request.method != "POST":
        return [form_class(prefix=f"row-{i}", initial=row) for i, row in enumerate(rows_initial)]
    count = int_param(request.POST.get("rows", ""), minimum=0, maximum=MAX_ROWS) or 0
    return [form_class(request.POST, prefix=f"row-{i}") for i in range(count)]


def _refused_row(forms, row_refused: leg_services.RowRefused) -> None:
    show_refusal(row_refused, form=forms[row_refused.row])


def leg_table(request, pk: int, trip_pk: int):
    """Every leg of the trip as a row of one form: the legs already saved, a row for each
    move still to plan (from the office to the first place, between places, back), and an
    empty row that starts where the last ended. 保存 keeps the page; 保存して次へ goes on to
    the seminars still to plan, or to the trip."""
    program, trip = trip_access.get_trip_for_user(request.user, pk, trip_pk, write=True)
    rows = planning.leg_rows(trip)
    forms = _row_forms(request, trip, f.LegRowForm, [row.initial for row in rows])
    legs = {leg.pk: leg for leg in trip.legs.all()}
    clash = None
    if request.method == "POST":
        posted_legs = [
            legs.get(id_param(request.POST.get(f"{form.prefix}-leg", ""))) for form in forms
        ]
        wanted = [i for i, form in enumerate(forms) if not form.is_blank()]
        if all(forms[i].is_valid() for i in wanted) and not wanted:
            forms[0].add_error("mode", _("Fill in at least one leg."))
        elif all(forms[i].is_valid() for i in wanted):
            plans = [
                (posted_legs[i], leg_services.LegPlan(**forms[i].cleaned_data)) for i in wanted
            ]
            saved, clash = _save_rows(
                request,
                program,
                forms,
                wanted,
                lambda room: leg_services.save_legs(trip, plans, by=request.user, make_room=room),
                slot_of=lambda i: leg_slot(plans[wanted.index(i)][1]),
            )
            if saved:
                messages.success(
                    request,
                    _("%(count)s legs saved; the week and the fares follow them.")
                    % {"count": len(wanted)},
                )
                if request.POST.get("next"):
                    return redirect(_after_legs(program, trip))
                return redirect("seminars:leg_table", program.pk, trip.pk)
    else:
        posted_legs = [row.leg for row in rows]
    for form in forms:
        f.name_cells(form)
    return render(
        request,
        "seminars/leg_table.html",
        {
            "program": program,
            "trip": trip,
            "rows": list(zip(forms, posted_legs, strict=True)),
            "count": len(forms),
            "has_errors": any(form.errors for form in forms),
            "clash": clash,
        },
    )


def _save_rows(request, program, forms, wanted: list[int], save, *, slot_of):
    """Save a table's `wanted` rows through `save(make_room)`; (True, None) when saved, or
    (False, the way out of the refused row's clash, if any) with the refusal next to its
    fields. A button of the way out posts `room_row` (the row it is for) with `replace` or
    `push`."""
    room = way_out.posted(request.POST)
    room_row = int_param(request.POST.get("room_row", ""), minimum=0, maximum=MAX_ROWS)
    make_room = (wanted.index(room_row), room) if room and room_row in wanted else None
    try:
        save(make_room)
    except leg_services.RowRefused as refused:
        row = wanted[refused.row]
        refused.row = row
        _refused_row(forms, refused)
        clash = way_out.clash_context(refused, program, request.user, slot_of(row))
        return False, {**clash, "row": row} if clash else None
    if more := way_out.made_room(room if make_room else None):
        messages.success(request, more)
    return True, None


def leg_slot(plan) -> SimpleNamespace:
    """The leg's first day in the week, as the way out compares it with the slot in the way."""
    depart, arrive = timezone.localtime(plan.depart_at), timezone.localtime(plan.arrive_at)
    end = arrive.time() if arrive.date() == depart.date() else time(23, 59)
    return SimpleNamespace(date=depart.date(), start_time=depart.time(), end_time=end)


def _after_legs(program, trip) -> str:
    if planning.trip_placeholders(trip, ActivityKind.SEMINAR):
        return reverse("seminars:seminar_table", args=[program.pk, trip.pk])
    return trip_url(program, trip)


def seminar_table(request, pk: int, trip_pk: int):
    """The seminars still to plan on the trip's days, one row each, filled from their
    placeholders (kind read from the title, which the coordinator checks)."""
    program, trip = trip_access.get_trip_for_user(request.user, pk, trip_pk, write=True)
    placeholders = planning.trip_placeholders(trip, ActivityKind.SEMINAR)
    forms = _row_forms(
        request, trip, f.SeminarRowForm, [planning.seminar_initial(p) for p in placeholders]
    )
    clash = None
    if request.method == "POST":
        chosen = [i for i, form in enumerate(forms) if not form.empty_permitted]
        if not chosen:
            messages.error(request, _("Tick the seminars to plan."))
        elif all(form.is_valid() for form in forms):
            plans = [
                seminar_services.SeminarPlan(
                    **{k: v for k, v in forms[i].cleaned_data.items() if k != "include"}
                )
                for i in chosen
            ]
            saved, clash = _save_rows(
                request,
                program,
                forms,
                chosen,
                lambda room: seminar_services.plan_seminars(
                    program, plans, by=request.user, trip=trip, make_room=room
                ),
                slot_of=lambda i: plans[chosen.index(i)],
            )
            if saved:
                messages.success(
                    request,
                    _("%(count)s seminars saved; they are in the week.") % {"count": len(plans)},
                )
                return redirect(trip_url(program, trip))
    for form in forms:
        f.name_cells(form)
    return render(
        request,
        "seminars/seminar_table.html",
        {
            "program": program,
            "trip": trip,
            "forms": forms,
            "count": len(forms),
            "has_errors": any(form.errors for form in forms),
            "clash": clash,
        },
    )


@require_POST
def placeholders_remove(request, pk: int, trip_pk: int):
    """The placeholders left on the trip's days, removed in one step."""
    program, trip = trip_access.get_trip_for_user(request.user, pk, trip_pk, write=True)
    try:
        count = remove_trip_placeholders(trip, by=request.user)
    except TripRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, _("%(count)s placeholders removed from the week.") % {"count": count}
        )
    return redirect(trip_url(program, trip))
