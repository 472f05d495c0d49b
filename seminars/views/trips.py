"""The trips list, the trip page, and planning or changing a trip."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from programs import access
from programs import cache as kenshu_cache
from programs.integers import id_param

from .. import access as trip_access
from .. import forms as f
from ..selectors import planning
from ..selectors import trips as trip_selectors
from ..services import trips as trip_services
from .common import form_page, saved_redirect, trip_url


def trip_list(request, pk: int):
    program = access.get_program_for_user(request.user, pk)
    content = kenshu_cache.cached_render(
        request,
        "seminars/trip_list_content.html",
        lambda: trip_selectors.trip_list_context(request.user, program),
        kind="trips",
        scopes=_trip_page_scopes(program),
        parts=(program.pk,),
    )
    return render(request, "seminars/trip_list.html", {"program": program, "content": content})


def _trip_page_scopes(program) -> list[str]:
    """Trip pages are kept rendered until a trip, seminar or report of this program, or its
    week (enrolments, people), changes."""
    return kenshu_cache.program_page_scopes(program, "week", "seminars")


def _plan(data: dict) -> trip_services.TripPlan:
    return trip_services.TripPlan(
        purpose=data["purpose"],
        start_date=data["start_date"],
        end_date=data["end_date"],
        municipalities=list(data["municipalities"]),
        places=data["places"],
        trainees=list(data["trainees"]),
        staff=list(data["staff"]),
        lodging=data["lodging"],
        status=data["status"],
        lodging_cost=data["lodging_cost"],
        trainees_paid_by=data["trainees_paid_by"],
    )


def trip_new(request, pk: int):
    """Plan a trip; `?from=` a placeholder of the week (予定枠) takes its days, destinations
    and purpose from the template's slots, and goes on to its legs as a table."""
    program = access.get_program_for_user(request.user, pk, write=True)
    # Usually every trainee goes, with the coordinator who plans it.
    initial = {
        "start_date": program.start_date,
        "end_date": program.start_date,
        "trainees": list(program.enrollments.active()),
        "staff": [request.user],
    }
    if "from" in request.GET:
        placeholder = planning.placeholder_of(program, id_param(request.GET["from"]))
        if placeholder is None:
            raise Http404  # not a placeholder of this program still to plan
    else:  # the week's first trip still to plan, if its template put one there
        placeholder = planning.first_placeholder(program)
    if placeholder is not None:
        initial.update(planning.trip_initial(program, placeholder))
    return _trip_form(
        request,
        program,
        None,
        f.TripForm(request.POST or None, program=program, initial=initial),
        done=_("Trip saved. Now its legs.")
        if placeholder
        else _("Trip saved. Add its legs and seminars."),
        title=_("Plan a trip"),
        back=("seminars:trip_list", program.pk),
        then=(lambda trip: reverse("seminars:leg_table", args=[program.pk, trip.pk]))
        if placeholder
        else None,
    )


def trip_edit(request, pk: int, trip_pk: int):
    program, trip = trip_access.get_trip_for_user(request.user, pk, trip_pk, write=True)
    initial = {
        "purpose": trip.purpose,
        "start_date": trip.start_date,
        "end_date": trip.end_date,
        "municipalities": list(trip.municipalities.all()),
        "places": trip.places,
        "trainees": list(trip.trainees.all()),
        "staff": list(trip.staff.all()),
        "lodging": trip.lodging,
        "lodging_cost": trip.lodging_cost,
        "trainees_paid_by": trip.trainees_paid_by,
        "status": trip.status,
    }
    return _trip_form(
        request,
        program,
        trip,
        f.TripForm(request.POST or None, program=program, trip=trip, initial=initial),
        done=_("Trip saved; the week follows it."),
        title=_("Change the trip"),
        back=("seminars:trip_detail", program.pk, trip.pk),
    )


def _trip_form(request, program, trip, form, *, done: str, title: str, back, then=None):
    """Plan a trip (trip None) or change one: saved, its page (or `then(trip)`); refused or
    not valid, the form again."""
    saved = saved_redirect(
        request,
        form,
        lambda data: trip_services.save_trip(program, _plan(data), by=request.user, trip=trip),
        done=done,
        to=then or (lambda saved_trip: trip_url(program, saved_trip)),
    )
    return saved or form_page(
        request,
        form,
        title=title,
        program=program,
        trip=trip,
        back=back,
        submit=_("Save the trip"),
    )


def trip_detail(request, pk: int, trip_pk: int):
    """The trip page. Who may see it is decided from the database on every request (the
    trip is found in the person's scope, with its destinations, in one query); only what
    it shows is kept rendered, per person, until this program's trips or week change."""
    program, trip, destinations = trip_access.program_and_trip(request.user, pk, trip_pk)
    if trip is None:
        raise Http404  # outside the person's scope
    html = kenshu_cache.cached_render(
        request,
        "seminars/trip_detail_content.html",
        lambda: trip_selectors.trip_context(request.user, program, trip, destinations),
        kind="trip",
        scopes=_trip_page_scopes(program),
        parts=(program.pk, trip.pk),
    )
    # The placeholders still on the trip's days, read fresh for the coordinator (the form
    # that removes them carries this request's CSRF token, never a cached one).
    placeholders = (
        planning.trip_placeholders(trip) if access.can_edit_program(request.user, program) else []
    )
    return render(
        request,
        "seminars/trip_detail.html",
        {
            "program": program,
            "trip": trip,
            "title": trip.purpose,
            "content": html,
            "placeholders": placeholders,
        },
    )
