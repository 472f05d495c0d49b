"""The end-of-program report through real services: a worker process on PostgreSQL and Redis
builds it and stores it through the storage API, and two requests at the same moment make
one version and one job."""

import threading
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from reports.models import Report
from reports.services import documents as services

from ..reports import world as w
from .conftest import built_by_a_worker, need, worker_env

pytestmark = pytest.mark.integration


@pytest.mark.django_db(transaction=True)
def test_the_program_report_is_built_by_a_worker(
    tmp_path, client, host, coordinator, trainee, other_trainee, settings
):
    env = worker_env(MEDIA_ROOT=str(tmp_path / "media"))
    finished = w.build(host, coordinator, trainee, other_trainee)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    client.force_login(coordinator)
    done = built_by_a_worker(
        client, reverse("reports:program_report_pdf", args=[finished.program.pk]), env, tmp_path
    )
    pdf = (tmp_path / "media" / done.file.name).read_bytes()
    text = "".join(w.pdf_text(pdf).split())
    assert "研修実施報告書" in text and "令和8年11月30日" in text
    assert w.CONSENTED_ANSWER in text and w.SECRET_DRAFT not in text
    assert all(w.pdf_fonts(pdf).values())


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_make_one_version_and_one_job(
    host, coordinator, trainee, other_trainee, monkeypatch
):
    need(
        connection.vendor == "postgresql",
        "needs PostgreSQL: SQLite serialises whole-database writes, so nothing races there",
    )
    finished = w.build(host, coordinator, trainee, other_trainee)
    queued = []
    # Count the jobs instead of building them: the services' handle on the task.
    monkeypatch.setattr(services, "build_report", SimpleNamespace(delay_on_commit=queued.append))
    start = threading.Barrier(4)
    got, errors = [], []

    def ask():
        try:
            start.wait()
            got.append(
                services.request_program_report(
                    finished.program, by=coordinator, today=timezone.localdate()
                ).pk
            )
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(set(got)) == 1 and len(got) == 4
    assert Report.objects.count() == 1
    assert len(queued) == 1
