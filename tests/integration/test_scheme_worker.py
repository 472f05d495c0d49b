"""The office's matching through real services: a worker process on PostgreSQL and Redis
solves the run the office's button queued (never the web request), and two office staff
confirming at the same moment make one match and one draft program."""

import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from programs.models import Program
from scheme.models import Match, MatchRun
from scheme.services.confirmation import ConfirmationRefused, confirm_proposal
from scheme.services.matching import run_matching

from ..scheme.factories import make_application, make_call, make_offer, office_member
from .conftest import celery_worker, need, queued_for_real, wait_for, worker_env

pytestmark = pytest.mark.integration


def closed_call_with(host, *municipalities):
    call = make_call(timezone.localdate(), open_now=False)
    make_offer(call, host, call.weeks()[:2], places=2)
    for municipality in municipalities:
        make_application(call, municipality, hosts=[host], staff=2)
    return call


@pytest.mark.django_db(transaction=True)
def test_the_matching_is_solved_by_a_worker(tmp_path, client, settings, host, tagawa, kitami):
    env = worker_env()
    call = closed_call_with(host, tagawa, kitami)
    office = office_member()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    client.force_login(office)
    with queued_for_real(env["REDIS_URL"]), celery_worker(env, tmp_path):
        response = client.post(reverse("scheme:matching_run", args=[call.pk]))
        assert response.status_code == 302
        run = MatchRun.objects.get()
        assert run.status in ("QUEUED", "RUNNING", "OPTIMAL")  # not solved in the request
        done = wait_for(lambda: MatchRun.objects.finished().filter(pk=run.pk).first(), timeout=120)
    assert done is not None, (tmp_path / "w1.log").read_text()
    assert done.status == "OPTIMAL" and done.matched == 2
    assert done.proposals.filter(offer__isnull=False).count() == 2
    page = client.get(reverse("scheme:matching", args=[call.pk])).content.decode()
    assert "田川市" in page and "マッチングを実行中です" not in page


@pytest.mark.django_db(transaction=True)
def test_two_office_staff_confirming_at_once_make_one_match(host, tagawa):
    need(
        connection.vendor == "postgresql",
        "needs PostgreSQL: SQLite serialises whole-database writes, so nothing races there",
    )
    call = closed_call_with(host, tagawa)
    first, second = office_member("office1@example.com"), office_member("office2@example.com")
    run = run_matching(call, by=first, now=timezone.now())
    proposal = run.proposals.get()
    start = threading.Barrier(2)
    made, refused, errors = [], [], []

    def confirm(by):
        try:
            start.wait()
            made.append(confirm_proposal(proposal, by=by, now=timezone.now()).pk)
        except ConfirmationRefused as exc:
            refused.append(str(exc))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(made) == 1 and len(refused) == 1, (made, refused)
    assert Match.objects.count() == 1 and Program.objects.count() == 1
