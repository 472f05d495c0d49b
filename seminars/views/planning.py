"""A trip's itinerary and seminars entered as tables, filled from the week's placeholders:
one form for every leg (保存して次へ), one for every seminar, and the placeholders left
removed in one step."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
    if request.method == "POST":
        wanted = []
        valid = True
        for i, form in enumerate(forms):
            leg = legs.get(id_param(request.POST.get(f"row-{i}-leg", "")))
            if form.is_blank():
                continue
            if not form.is_valid():
                valid = False
                continue
            wanted.append((i, leg, leg_services.LegPlan(**form.cleaned_data)))
        if valid and not wanted:
            forms[0].add_error("mode", _("Fill in at least one leg."))
        elif valid:
            try:
                leg_services.save_legs(
                    trip, [(leg, plan) for _i, leg, plan in wanted], by=request.user
                )
            except leg_services.RowRefused as refused:
                refused.row = wanted[refused.row][0]
                _refused_row(forms, refused)
            else:
                messages.success(
                    request,
                    _("%(count)s legs saved; the week and the fares follow them.")
                    % {"count": len(wanted)},
                )
                if request.POST.get("next"):
                    return redirect(_after_legs(program, trip))
                return redirect("seminars:leg_table", program.pk, trip.pk)
        posted_legs = [
            legs.get(id_param(request.POST.get(f"row-{i}-leg", ""))) for i in range(len(forms))
        ]
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
        },
    )


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
    if request.method == "POST":
        chosen = [(i, form) for i, form in enumerate(forms) if not form.empty_permitted]
        if all(form.is_valid() for form in forms) and chosen:
            plans = [
                seminar_services.SeminarPlan(
                    **{k: v for k, v in form.cleaned_data.items() if k != "include"}
                )
                for _i, form in chosen
            ]
            try:
                seminar_services.plan_seminars(program, plans, by=request.user, trip=trip)
            except leg_services.RowRefused as refused:
                refused.row = chosen[refused.row][0]
                _refused_row(forms, refused)
            else:
                messages.success(
                    request,
                    _("%(count)s seminars saved; they are in the week.") % {"count": len(plans)},
                )
                return redirect(trip_url(program, trip))
        elif not chosen:
            messages.error(request, _("Tick the seminars to plan."))
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
