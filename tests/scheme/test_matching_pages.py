"""The office's matching page and its buttons: who may reach them, what they show, and
flat query counts however many applications there are."""

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Municipality, Program
from scheme.models import Application, Match, MatchRun, Pin, Proposal
from tests.factories import count_queries, municipality_code

from .factories import make_application, make_call, make_offer, office_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return office_member()


@pytest.fixture
def call():
    return make_call(timezone.localdate(), open_now=False)


@pytest.fixture
def proposed(call, host, other_host, tagawa, kitami, office):
    weeks = call.weeks()
    make_offer(call, host, weeks[:2], places=1)
    make_application(call, tagawa, hosts=[host])
    make_application(call, kitami, hosts=[other_host], other_hosts_ok=False)
    from scheme.services.matching import run_matching

    return run_matching(call, by=office, now=timezone.now())


def test_the_office_reads_the_run_and_the_reasons(client, office, proposed, call):
    client.force_login(office)
    html = client.get(reverse("scheme:matching", args=[call.pk])).content.decode()
    assert "マッチングを実行" in html and "田川市" in html and "402061" in html
    assert "第1希望" in html and "はたらくラボ株式会社" in html
    assert "ノースベンチャーズ株式会社" in html and "希望外の企業は受け入れない" in html
    assert "すべて確定する（1件）" in html
    unmatched = client.get(reverse("scheme:matching", args=[call.pk]) + "?show=unmatched")
    assert "北見市" in unmatched.content.decode() and "田川市" not in unmatched.content.decode()


@pytest.mark.parametrize(
    "who", ["coordinator", "staff", "supervisor", "trainee", "outsider", "other_supervisor"]
)
def test_everyone_but_the_office_gets_404(client, request, who, proposed, call):
    client.force_login(request.getfixturevalue(who))
    proposal = Proposal.objects.filter(offer__isnull=False).first()
    assert client.get(reverse("scheme:matching", args=[call.pk])).status_code == 404
    for name, args in (
        ("scheme:matching_run", [call.pk]),
        ("scheme:confirm_all", [call.pk]),
        ("scheme:confirm", [call.pk, proposal.pk]),
        ("scheme:pin_add", [call.pk, proposal.pk, "lock"]),
    ):
        assert client.post(reverse(name, args=args)).status_code == 404
    assert not Match.objects.exists() and not Pin.objects.exists()
    assert MatchRun.objects.count() == 1


def test_anonymous_is_sent_to_log_in(client, proposed, call):
    for name in ("scheme:matching", "scheme:matching_run", "scheme:confirm_all"):
        response = client.get(reverse(name, args=[call.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_run_lock_rerun_and_confirm_through_the_page(
    client, office, proposed, call, host, django_capture_on_commit_callbacks
):
    client.force_login(office)
    proposal = Proposal.objects.get(run=proposed, offer__isnull=False)
    client.post(reverse("scheme:pin_add", args=[call.pk, proposal.pk, "lock"]))
    assert Pin.objects.get().host == host
    with django_capture_on_commit_callbacks(execute=True):  # the worker's task, eager here
        client.post(reverse("scheme:matching_run", args=[call.pk]))
    page = client.get(reverse("scheme:matching", args=[call.pk])).content.decode()
    assert "マッチングを実行中です" not in page
    latest = MatchRun.objects.latest()
    assert latest.status == "OPTIMAL"
    assert latest.pins and latest.pk != proposed.pk
    old = client.post(reverse("scheme:confirm", args=[call.pk, proposal.pk]), follow=True)
    assert "以前のマッチング結果" in old.content.decode() and not Match.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("scheme:confirm_all", args=[call.pk]), follow=True)
    assert "1組を確定しました" in done.content.decode()
    assert Match.objects.count() == 1 and Program.objects.count() == 1
    again = client.post(reverse("scheme:confirm_all", args=[call.pk]), follow=True)
    assert "0組を確定しました" in again.content.decode() and Match.objects.count() == 1


def test_the_run_button_is_refused_while_open(client, office, host, tagawa):
    open_call = make_call(timezone.localdate(), open_now=True)
    make_application(open_call, tagawa, hosts=[host])
    client.force_login(office)
    response = client.post(reverse("scheme:matching_run", args=[open_call.pk]), follow=True)
    assert "申込期間の終了後" in response.content.decode()
    assert not MatchRun.objects.exists()


def _bulk_run(call, hosts, count: int, office, base: int = 0) -> MatchRun:
    """A run of `count` applications written straight to the tables (no solver)."""
    weeks = call.weeks()
    offers = [make_offer(call, host, weeks[:4], places=50) for host in hosts]
    places = Municipality.objects.bulk_create(
        Municipality(code=municipality_code(n % 100, prefecture=1 + n // 100),
                     name=f"市{n}", prefecture=1 + n // 100)
        for n in range(base, base + count)
    )  # fmt: skip
    applications = Application.objects.bulk_create(
        Application(call=call, municipality=m, staff=1 + i % 3) for i, m in enumerate(places)
    )
    run = MatchRun.objects.create(call=call, run_by=office, status="OPTIMAL", applications=count)
    Proposal.objects.bulk_create(
        Proposal(run=run, application=a, offer=offers[i % len(offers)], start_week=weeks[i % 4],
                 host_rank=1 + i % 3)
        if i % 4
        else Proposal(run=run, application=a, reason="no_room", detail={"staff": a.staff})
        for i, a in enumerate(applications)
    )  # fmt: skip
    Pin.objects.bulk_create(
        Pin(call=call, application=a, host=hosts[0], kind="forbid") for a in applications[:3]
    )
    return run


@pytest.mark.parametrize("many", [50, 1000])
def test_query_count_is_flat(client, office, host, other_host, many):
    client.force_login(office)
    small = make_call(timezone.localdate(), open_now=False, fiscal_year=2090)
    large = make_call(timezone.localdate(), open_now=False, fiscal_year=2091)
    _bulk_run(small, [host, other_host], 5, office, base=4000)
    _bulk_run(large, [host, other_host], many, office)
    few, _ = count_queries(client, reverse("scheme:matching", args=[small.pk]))
    lots, ctx = count_queries(client, reverse("scheme:matching", args=[large.pk]))
    assert few == lots, [q["sql"][:120] for q in ctx.captured_queries]


def test_the_run_waits_for_a_worker_and_is_solved_once(
    client, office, proposed, call, django_capture_on_commit_callbacks
):
    """The button queues the run (no solving in the web request); while it waits the page
    says so, refreshes itself and refuses a second run; the task solves it once, and a
    second delivery of the same task changes nothing."""
    from scheme.tasks import solve_matching

    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(reverse("scheme:matching_run", args=[call.pk]))
    assert len(queued) == 1
    waiting = MatchRun.objects.latest()
    assert waiting.status == "QUEUED" and not waiting.proposals.exists()
    page = client.get(reverse("scheme:matching", args=[call.pk])).content.decode()
    assert "マッチングを実行中です" in page and 'http-equiv="refresh"' in page
    assert "マッチングを実行</button>" not in page
    again = client.post(reverse("scheme:matching_run", args=[call.pk]), follow=True)
    assert "マッチングを実行中です。終わると" in again.content.decode()
    assert MatchRun.objects.count() == 2
    assert solve_matching(waiting.pk) == "done"
    assert solve_matching(waiting.pk) == "taken"
    waiting.refresh_from_db()
    assert waiting.status == "OPTIMAL"
    assert waiting.proposals.count() == proposed.proposals.count()
    shown = client.get(reverse("scheme:matching", args=[call.pk])).content.decode()
    assert "マッチングを実行中です" not in shown


def test_a_run_lost_by_its_worker_stops_holding_the_next_back(client, office, proposed, call):
    from datetime import timedelta

    lost = MatchRun.objects.create(call=call, status="RUNNING")
    MatchRun.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(hours=1))
    client.force_login(office)
    client.post(reverse("scheme:matching_run", args=[call.pk]))
    lost.refresh_from_db()
    assert lost.status == "FAILED"
    assert MatchRun.objects.latest().status == "QUEUED"
