"""The itinerary PDF goes through a real worker: the web side commits a Report row and
enqueues after commit; a separate worker process on PostgreSQL and Redis claims it, draws the
PDF and stores it through the storage API."""

import pytest
from django.urls import reverse

from seminars.services import legs as leg_services
from seminars.services import trips as trip_services

from ..factories import ProgramFactory, enrol
from ..seminars.conftest import leg_plan, plan
from .conftest import built_by_a_worker, worker_env

pytestmark = pytest.mark.integration


@pytest.mark.django_db(transaction=True)
def test_the_itinerary_pdf_is_built_by_a_worker(
    tmp_path, client, coordinator, host, trainee, settings
):
    env = worker_env(MEDIA_ROOT=str(tmp_path / "media"))
    program = ProgramFactory(host=host, title="ITベンチャー研修（出張）")
    trip = trip_services.save_trip(
        program, plan(program, [enrol(program, trainee)]), by=coordinator
    )
    leg_services.save_leg(trip, leg_plan("12-01 07:00", "12-01 08:40"), by=coordinator)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    client.force_login(coordinator)
    done = built_by_a_worker(
        client, reverse("reports:itinerary_pdf", args=[program.pk, trip.pk]), env, tmp_path
    )
    stored = tmp_path / "media" / done.file.name
    assert stored.read_bytes().startswith(b"%PDF-")
    assert done.size == stored.stat().st_size
    assert done.file.name.startswith("reports/") and "行程表" not in done.file.name
