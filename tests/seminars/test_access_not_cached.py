"""Who may see a trip is read from the database on every request: a trainee taken off the
trip, in any way it can be done, gets 404 on the very next request, with the trip page kept
in the cache. (The trip's admin is read-only: operators change trips through the pages.)"""

import pytest
from django.urls import reverse

from seminars.models import Trip

from .conftest import save_trip_again

pytestmark = pytest.mark.django_db


def through_table_delete(trip, enrollment, coordinator):
    Trip.trainees.through.objects.filter(trip=trip, enrollment=enrollment).delete()


def from_a_shell(trip, enrollment, coordinator):
    trip.trainees.remove(enrollment)


def through_the_service(trip, enrollment, coordinator):
    others = [e for e in trip.trainees.all() if e != enrollment]
    save_trip_again(trip, others, list(trip.staff.all()), by=coordinator)


REMOVALS = [through_table_delete, from_a_shell, through_the_service]


@pytest.mark.parametrize("remove", REMOVALS, ids=lambda f: f.__name__)
def test_a_trainee_taken_off_the_trip_gets_404_at_once(
    client, trip, trainee, enrollment, coordinator, remove
):
    url = reverse("seminars:trip_detail", args=[trip.program_id, trip.pk])
    client.force_login(trainee)
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # now from the cache
    remove(trip, enrollment, coordinator)
    assert not trip.trainees.filter(pk=enrollment.pk).exists()
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("reports:itinerary_print", args=[trip.program_id, trip.pk])).status_code
        == 404
    )


def test_the_host_still_sees_it_and_the_other_traveller_too(
    client, trip, trainee, second_trainee, enrollment, coordinator
):
    url = reverse("seminars:trip_detail", args=[trip.program_id, trip.pk])
    client.force_login(second_trainee)
    assert client.get(url).status_code == 200
    through_table_delete(trip, enrollment, coordinator)
    assert client.get(url).status_code == 200
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
