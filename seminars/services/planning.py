"""What is left of a trip's placeholders once it is planned: removed in one step."""

from programs.services.placeholders import remove_placeholders
from programs.services.week import ActivityRefused

from ..models import Trip
from ..selectors.planning import trip_placeholders
from .common import TripRefused, refuse_unless_coordinator


def remove_trip_placeholders(trip: Trip, *, by) -> int:
    """Remove the placeholders still on the trip's days (the moves and seminars the trip
    did not take the place of); returns how many."""
    refuse_unless_coordinator(by, trip.program)
    try:
        removed = remove_placeholders(trip.program, [p.pk for p in trip_placeholders(trip)], by=by)
    except ActivityRefused as refused:
        raise TripRefused(refused.message) from refused
    return len(removed)
