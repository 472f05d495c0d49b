"""The itinerary PDF goes through a real worker: the web side commits a Report row and
enqueues after commit; a separate worker process on PostgreSQL and Redis claims it, draws the
PDF and stores it through the storage API."""

import pytest
from django.urls import reverse

from reports.models import Report
from seminars.services import legs as leg_services
from seminars.services import trips as trip_services

from ..factories import ProgramFactory, enrol
from ..seminars.conftest import leg_plan, plan
from .conftest import celery_worker, queued_for_real, wait_for, worker_env

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
    with queued_for_real(env["REDIS_URL"]), celery_worker(env, tmp_path):
        response = client.post(reverse("reports:itinerary_pdf", args=[program.pk, trip.pk]))
        assert response.status_code == 302
        report = Report.objects.get()
        assert report.state in ("queued", "running", "done")  # not drawn in the web request
        done = wait_for(
            lambda: Report.objects.filter(pk=report.pk, state="done").first(), timeout=120
        )
    assert done is not None, (tmp_path / "w1.log").read_text()
    stored = tmp_path / "media" / done.file.name
    assert stored.read_bytes().startswith(b"%PDF-")
    assert done.size == stored.stat().st_size
    assert done.file.name.startswith("reports/") and "行程表" not in done.file.name
