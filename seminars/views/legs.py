"""A trip's legs: adding, changing and removing one."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs import way_out

from .. import access as trip_access
from .. import forms as f
from ..models import Leg
from ..services import legs as leg_services
from .common import form_page, removed_redirect, saved_redirect, trip_url
from .planning import leg_slot


def _clash(request, form, program):
    """The way out of a leg refused for a clash in the week (programs/way_out.py)."""
    refused = getattr(form, "refusal", None)
    if refused is None:
        return None
    slot = leg_slot(leg_services.LegPlan(**form.typed))
    return way_out.clash_context(refused, program, request.user, slot)


def leg_edit(request, pk: int, trip_pk: int, leg_pk: int | None = None):
    program, trip = trip_access.get_trip_for_user(request.user, pk, trip_pk, write=True)
    leg = get_object_or_404(Leg, pk=leg_pk, trip=trip) if leg_pk else None
    if leg:
        initial = {name: getattr(leg, name) for name in f.LegForm.base_fields}
    else:
        initial = f.LegForm.initial_after(trip.legs.last())
        initial.setdefault("depart_at", f"{trip.start_date.isoformat()}T09:00")
        initial.setdefault("arrive_at", f"{trip.start_date.isoformat()}T10:00")
    form = f.LegForm(request.POST or None, initial=initial)
    room = way_out.posted(request.POST)  # a button of the clash's way out
    saved = saved_redirect(
        request,
        form,
        lambda data: leg_services.save_leg(
            trip, leg_services.LegPlan(**data), by=request.user, leg=leg, make_room=room
        ),
        done=_("Leg saved; the week and the fares follow it."),
        then=lambda: way_out.made_room(room),
        to=lambda _leg: trip_url(program, trip),
    )
    return saved or form_page(
        request,
        form,
        title=_("Change a leg") if leg else _("Add a leg"),
        program=program,
        trip=trip,
        back=("seminars:trip_detail", program.pk, trip.pk),
        submit=_("Save the leg"),
        clash=_clash(request, form, program),
        delete_url=("seminars:leg_delete", program.pk, trip.pk, leg.pk) if leg else None,
    )


@require_POST
def leg_delete(request, pk: int, trip_pk: int, leg_pk: int):
    program, trip = trip_access.get_trip_for_user(request.user, pk, trip_pk, write=True)
    leg = get_object_or_404(Leg, pk=leg_pk, trip=trip)
    return removed_redirect(
        request,
        lambda: leg_services.delete_leg(leg, by=request.user),
        done=_("Leg removed."),
        to=trip_url(program, trip),
    )
