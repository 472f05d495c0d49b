"""Running the matching on a call, pins, and confirming a proposal (services, no HTTP)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from programs.models import Program, Status
from programs.refusals import Refused
from scheme.models import Match, MatchRun, Pin, PinKind, Proposal
from scheme.services.confirmation import confirm_proposal
from scheme.services.matching import remove_pin, run_matching, set_pin

from .factories import make_application, make_call, make_offer, office_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return office_member()


@pytest.fixture
def closed_call():
    return make_call(timezone.localdate(), open_now=False)


def test_the_run_is_refused_while_the_call_is_open(office, host, tagawa):
    call = make_call(timezone.localdate(), open_now=True)
    make_offer(call, host, call.weeks()[:2])
    make_application(call, tagawa, hosts=[host])
    with pytest.raises(Refused):
        run_matching(call, by=office, now=timezone.now())
    assert not MatchRun.objects.exists()


def test_a_run_keeps_one_proposal_per_application(
    office, closed_call, host, other_host, tagawa, kitami
):
    weeks = closed_call.weeks()
    make_offer(closed_call, host, weeks[:2], places=1)
    make_offer(closed_call, other_host, weeks[:1], places=1, overnight=True, includes_trip=True)
    first = make_application(closed_call, tagawa, hosts=[host])
    second = make_application(closed_call, kitami, hosts=[other_host], no_overnight=True,
                              other_hosts_ok=False)  # fmt: skip
    run = run_matching(closed_call, by=office, now=timezone.now())
    assert (run.applications, run.matched, run.first_choice) == (2, 1, 1)
    got = Proposal.objects.get(run=run, application=first)
    assert got.offer.host == host and got.host_rank == 1 and got.start_week == weeks[0]
    out = Proposal.objects.get(run=run, application=second)
    assert out.offer is None and out.reason == "overnight"


def test_pins_take_effect_on_the_next_run(office, closed_call, host, other_host, tagawa):
    weeks = closed_call.weeks()
    make_offer(closed_call, host, weeks[:1])
    make_offer(closed_call, other_host, weeks[:1])
    application = make_application(closed_call, tagawa, hosts=[host])
    pin = set_pin(closed_call, application, other_host, PinKind.LOCK, by=office)
    run = run_matching(closed_call, by=office, now=timezone.now())
    assert Proposal.objects.get(run=run).offer.host == other_host
    assert run.pins == [{"application": application.pk, "host": other_host.pk, "kind": "lock"}]
    set_pin(closed_call, application, other_host, PinKind.FORBID, by=office)
    assert Pin.objects.get().kind == PinKind.FORBID  # one pin per pair: replaced
    remove_pin(closed_call, Pin.objects.get().pk, by=office)
    assert not Pin.objects.exists()
    with pytest.raises(Refused):
        remove_pin(closed_call, pin.pk, by=office)


def _proposed(office, call, host, municipality, weeks_wanted=1, **fields):
    make_offer(call, host, call.weeks()[:3], places=fields.pop("places", 2))
    make_application(call, municipality, hosts=[host], weeks_wanted=weeks_wanted, **fields)
    run = run_matching(call, by=office, now=timezone.now())
    return Proposal.objects.select_related("run").get(run=run, offer__isnull=False)


def test_confirm_makes_one_draft_program_with_the_weeks(
    office, closed_call, host, tagawa, django_capture_on_commit_callbacks
):
    proposal = _proposed(office, closed_call, host, tagawa, weeks_wanted=2, staff=2)
    assert mail.outbox == []  # nothing is sent before the office confirms
    with django_capture_on_commit_callbacks(execute=True):
        match = confirm_proposal(proposal, by=office, now=timezone.now())
    program = Program.objects.get()
    assert match.program == program and program.status == Status.DRAFT
    assert program.host == host and program.title == "ITベンチャー研修（田川市）"
    assert program.start_date == proposal.start_week and program.start_date.weekday() == 0
    assert program.end_date == proposal.start_week + timedelta(days=11)  # Friday of week two
    assert (match.staff, match.weeks) == (2, 2)


def test_confirm_emails_the_host_coordinators_and_the_contacts(
    office, closed_call, host, tagawa, coordinator, staff, supervisor, other_supervisor,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    proposal = _proposed(office, closed_call, host, tagawa)
    with django_capture_on_commit_callbacks(execute=True):
        match = confirm_proposal(proposal, by=office, now=timezone.now())
    assert sorted(tuple(m.to) for m in mail.outbox) == [
        (coordinator.email,),
        (supervisor.email,),
    ]
    for message in mail.outbox:
        assert "田川市" in message.subject and host.name in message.subject
    host_mail = next(m for m in mail.outbox if m.to == [coordinator.email])
    assert f"/programs/{match.program_id}/" in host_mail.body
    contact_mail = next(m for m in mail.outbox if m.to == [supervisor.email])
    assert "/scheme/" in contact_mail.body and "1" in contact_mail.body


def test_confirming_twice_is_refused_with_one_match(office, closed_call, host, tagawa):
    proposal = _proposed(office, closed_call, host, tagawa)
    confirm_proposal(proposal, by=office, now=timezone.now())
    with pytest.raises(Refused, match="すでに確定"):
        confirm_proposal(proposal, by=office, now=timezone.now())
    assert Match.objects.count() == 1 and Program.objects.count() == 1


def test_confirming_after_the_offer_was_withdrawn_is_refused(office, closed_call, host, tagawa):
    proposal = _proposed(office, closed_call, host, tagawa)
    proposal.offer.withdrawn_at = timezone.now()
    proposal.offer.save()
    with pytest.raises(Refused, match="取り下げ"):
        confirm_proposal(proposal, by=office, now=timezone.now())
    assert not Match.objects.exists() and not Program.objects.exists() and not mail.outbox


def test_confirming_an_older_run_is_refused(office, closed_call, host, tagawa):
    proposal = _proposed(office, closed_call, host, tagawa)
    run_matching(closed_call, by=office, now=timezone.now())
    with pytest.raises(Refused, match="以前のマッチング結果"):
        confirm_proposal(proposal, by=office, now=timezone.now())
    assert not Match.objects.exists()


def test_capacity_gone_is_refused(office, closed_call, host, tagawa, kitami):
    weeks = closed_call.weeks()
    make_offer(closed_call, host, weeks[:1], places=1)
    make_application(closed_call, tagawa, hosts=[host])
    make_application(closed_call, kitami, hosts=[host])
    run = run_matching(closed_call, by=office, now=timezone.now())
    proposal = Proposal.objects.get(run=run, offer__isnull=False)
    # Another office member confirmed another municipality into the same week meanwhile.
    other = Proposal.objects.get(run=run, offer__isnull=True)
    Proposal.objects.filter(pk=other.pk).update(offer=proposal.offer, start_week=weeks[0])
    confirm_proposal(Proposal.objects.get(pk=other.pk), by=office, now=timezone.now())
    with pytest.raises(Refused, match="空きがもうありません"):
        confirm_proposal(proposal, by=office, now=timezone.now())
    assert Match.objects.count() == 1


def test_confirmed_applications_keep_their_places_in_the_next_run(
    office, closed_call, host, tagawa, kitami
):
    weeks = closed_call.weeks()
    make_offer(closed_call, host, weeks[:1], places=1)
    first = make_application(closed_call, tagawa, hosts=[host])
    make_application(closed_call, kitami, hosts=[host])
    run = run_matching(closed_call, by=office, now=timezone.now())
    confirm_proposal(Proposal.objects.get(run=run, offer__isnull=False), by=office,
                     now=timezone.now())  # fmt: skip
    again = run_matching(closed_call, by=office, now=timezone.now())
    rows = {p.application_id: p for p in Proposal.objects.filter(run=again)}
    placed = Match.objects.get().application_id
    assert rows[placed].reason == "confirmed"
    other = next(pk for pk in rows if pk != placed)
    assert rows[other].offer is None and rows[other].reason == "no_room"
    assert first.pk in rows


def test_reasons_read_as_sentences_that_name_the_constraint():
    from django.utils import translation

    from scheme.selectors.matching import reason_text

    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    taken = {"places": [{"host": "はたらくラボ株式会社", "weeks": [monday.isoformat()],
                         "taken_by": 2, "ranked_higher": 1}], "options": 1}  # fmt: skip
    with translation.override("ja"):
        text = reason_text("capacity_taken", taken)
        assert "はたらくラボ株式会社" in text and "2件の申込" in text and "うち1件" in text
        assert reason_text("no_room", {"staff": 3}) == "3人を受け入れられる週がありません。"
        weeks = [(monday + timedelta(weeks=i)).isoformat() for i in range(6)]
        blocked = reason_text("no_possible_week", {"weeks_wanted": 1, "impossible": weeks})
        assert "参加できる週に受入枠がありません" in blocked and "ほか2週" in blocked
        lock = reason_text("lock_impossible", {"host": "A社", "because": "overnight"})
        assert lock.startswith("A社に固定") and "宿泊" in lock
    with translation.override("en"):
        assert reason_text("no_room", {"staff": 3}) == "No week has room for 3 staff."
        assert "forbade" in reason_text("forbidden", {"hosts": ["A", "B"]})


def test_the_unique_key_is_the_last_guard_against_a_second_confirmation(
    office, closed_call, host, tagawa, monkeypatch
):
    """Two confirmations that both passed the checks (as two office staff at once would
    without the call's lock): the database refuses the second, and its program goes too."""
    from scheme.services import confirmation

    proposal = _proposed(office, closed_call, host, tagawa)
    confirm_proposal(proposal, by=office, now=timezone.now())
    monkeypatch.setattr(confirmation, "_check", lambda *args: None)
    with pytest.raises(Refused, match="すでに確定"):
        confirm_proposal(proposal, by=office, now=timezone.now())
    assert Match.objects.count() == 1 and Program.objects.count() == 1


def test_a_run_reads_and_writes_in_a_fixed_number_of_queries(office, host, other_host):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import MunicipalityFactory

    counts = []
    for year, many in ((2090, 3), (2091, 12)):
        call = make_call(timezone.localdate(), open_now=False, fiscal_year=year)
        make_offer(call, host, call.weeks()[:3], places=2)
        make_offer(call, other_host, call.weeks()[1:4], places=1)
        for _ in range(many):
            make_application(call, MunicipalityFactory(), hosts=[host, other_host])
        with CaptureQueriesContext(connection) as ctx:
            run_matching(call, by=office, now=timezone.now())
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
