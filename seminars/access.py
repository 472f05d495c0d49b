"""Who may see or change a trip or a seminar. Every trip and seminar page, document, export
and feed finds its object here: from the person's scope first (404 outside it), then, for a
change, the coordinator's right (403 for someone who may only read). Decided from the
database on every request, never from a cached page."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from programs import access
from programs.compiled import CompiledQuery, run_together
from programs.models import Municipality
from programs.prefectures import Prefecture

from .models import Seminar, Trip


def trips_for(user, program):
    """The program's trips the person may see: all of them for the host's people (known from
    their memberships, without the scoped subqueries), the scoped ones for everyone else."""
    if access.works_for_host(user, program):
        return Trip.objects.filter(program=program)
    return Trip.objects.visible_to(user).filter(program=program)


def seminars_for(user, program):
    if access.works_for_host(user, program):
        return Seminar.objects.filter(program=program)
    return Seminar.objects.visible_to(user).filter(program=program)


def may_change(user, program, write: bool) -> None:
    if write and not access.can_edit_program(user, program):
        raise PermissionDenied


def get_trip_for_user(user, pk: int, trip_pk: int, *, write: bool = False):
    """(program, trip): the trip, found in the person's scope (404 outside it), then, for a
    change, the coordinator's right (403 for someone who may only read it)."""
    program = access.get_program_for_user(user, pk)
    trip = get_object_or_404(
        trips_for(user, program).select_related("program__host", "created_by"), pk=trip_pk
    )
    may_change(user, program, write)
    return program, trip


def get_own_trip_enrollment(user, pk: int, trip_pk: int):
    """(program, trip, enrollment): a trip the person went on as a trainee, with their
    enrolment; 404 for anyone else (the host's people and the municipality's contacts read
    reports, they never write one)."""
    program, trip = get_trip_for_user(user, pk, trip_pk)
    enrollment = (
        trip.trainees.filter(trainee=user).select_related("trainee", "municipality").first()
    )
    if enrollment is None:
        raise Http404
    return program, trip, enrollment


def get_seminar_for_user(user, pk: int, seminar_pk: int, *, write: bool = False):
    """(program, seminar), on the same rules as a trip."""
    program = access.get_program_for_user(user, pk)
    seminar = get_object_or_404(
        seminars_for(user, program).select_related("trip", "lead"), pk=seminar_pk
    )
    may_change(user, program, write)
    return program, seminar


def sees_trip_numbers(user, *, is_host: bool, traveller_ids) -> bool:
    """A trip's telephone numbers are for its travellers (its trainees and the host's staff
    on it) and the host's people; never for a supervisor, another trainee or anyone else.
    `traveller_ids`: the users on the trip, as the page read them."""
    return is_host or (user.is_authenticated and user.pk in set(traveller_ids))


# The trip page's trip ----------------------------------------------------------------------

TRIP_FIELDS = (
    "pk",
    "purpose",
    "start_date",
    "end_date",
    "places",
    "lodging",
    "lodging_cost",
    "trainees_paid_by",
    "status",
    "created_by_id",
)


def _trip_rows(trips):
    return trips.order_by("municipalities__code").values(
        *TRIP_FIELDS, "municipalities__name", "municipalities__prefecture"
    )


HOST_TRIP = CompiledQuery(
    lambda program, trip: _trip_rows(Trip.objects.filter(program_id=program, pk=trip))
)


def program_and_trip(user, pk: int, trip_pk: int):
    """(program, trip, destinations) for the trip page, 404 outside the person's scope. For
    the host's people the program and the trip are asked for together (one round trip on
    PostgreSQL), and the trip kept only if the program is one of their hosts'; anyone else,
    and anyone the guess was wrong for, goes the ordinary way."""
    if access.roles_of(user)["host_ids"]:
        program_rows, trip_rows = run_together(
            [access.PROGRAM_WITH_HOST.later(pk), HOST_TRIP.later(pk, trip_pk, dicts=True)]
        )
        program = access.program_from_rows(program_rows)
        if program is not None and access.works_for_host(user, program):
            return (program, *_trip_from_rows(program, trip_rows))
    program = access.get_program_for_user(user, pk)
    return (program, *find_trip(user, program, trip_pk))


def find_trip(user, program, trip_pk: int):
    """(trip, destinations): the trip in the person's scope (None outside it), with its
    destinations named as `str(municipality)` does, in one query."""
    if access.works_for_host(user, program):
        rows = HOST_TRIP.dicts(program.pk, trip_pk)
    else:
        rows = list(_trip_rows(trips_for(user, program).filter(pk=trip_pk)))
    return _trip_from_rows(program, rows)


def _trip_from_rows(program, rows: list[dict]):
    if not rows:
        return None, []
    trip = Trip(program=program, **{name: rows[0][name] for name in TRIP_FIELDS})
    destinations = [
        f"{Prefecture(r['municipalities__prefecture']).label} {r['municipalities__name']}"
        for r in rows
        if r["municipalities__name"] is not None
    ]
    return trip, destinations


# Travel rules --------------------------------------------------------------------------------


def get_host_for_rules(user, host_pk: int, *, write: bool = False):
    """A host whose rules the person may read (its people; 404 for anyone else) and, for a
    change, one they coordinate (403 for its other staff)."""
    return access.get_host_company_for_user(user, host_pk, write=write)


def get_municipality_for_rules(user, municipality_pk: int):
    """A municipality whose rules the person may read and change: one they supervise (its
    contact); 404 for anyone else, its trainees too."""
    return get_object_or_404(Municipality.objects.supervised_by(user), pk=municipality_pk)
