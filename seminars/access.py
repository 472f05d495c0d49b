"""Who may see or change a trip or a seminar. Every trip and seminar page, document, export
and feed finds its object here: from the person's scope first (404 outside it), then, for a
change, the coordinator's right (403 for someone who may only read). Decided from the
database on every request, never from a cached page."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from programs import access

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


def get_seminar_for_user(user, pk: int, seminar_pk: int, *, write: bool = False):
    """(program, seminar), on the same rules as a trip."""
    program = access.get_program_for_user(user, pk)
    seminar = get_object_or_404(
        seminars_for(user, program).select_related("trip", "lead"), pk=seminar_pk
    )
    may_change(user, program, write)
    return program, seminar
