"""Once the matching has run, what it decided under stays: the call's window, weeks and
rules; a matched application cannot be withdrawn by its municipality; a moved match keeps
the host's own changes to its program; the emails carry names as written."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from programs.models import HostCompany, Status
from programs.refusals import Refused
from scheme.models import FAILED
from scheme.services.applications import withdraw_application
from scheme.services.calls import FIELDS, save_call
from scheme.services.confirmation import confirm_proposal
from scheme.services.matches import move_match
from scheme.services.matching import run_matching

from .factories import make_application, make_call, make_offer, office_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def matched(host, tagawa, coordinator, supervisor, django_capture_on_commit_callbacks):
    office = office_member()
    call = make_call(timezone.localdate(), open_now=False)
    offer = make_offer(call, host, call.weeks()[:3], places=2)
    application = make_application(call, tagawa, hosts=[host], staff=2)
    run = run_matching(call, by=office, now=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        match = confirm_proposal(run.proposals.get(), by=office, now=timezone.now())
    return {"office": office, "call": call, "offer": offer, "application": application,
            "match": match}  # fmt: skip


def test_the_window_weeks_and_rules_stay_once_matched(matched):
    call, office = matched["call"], matched["office"]
    data = {name: getattr(call, name) for name in FIELDS}
    with pytest.raises(Refused) as refused:
        save_call({**data, "closes_on": call.closes_on + timedelta(days=30)}, by=office, call=call)
    assert refused.value.field == "closes_on"
    call.refresh_from_db()
    assert call.state(timezone.now()) == "closed"
    save_call({**data, "title": "題名だけ変える"}, by=office, call=call)
    call.refresh_from_db()
    assert call.title == "題名だけ変える"


def test_a_matched_application_cannot_be_withdrawn(matched):
    with pytest.raises(Refused, match="事務局"):
        withdraw_application(matched["application"], timezone.now())
    matched["application"].refresh_from_db()
    assert matched["application"].withdrawn_at is None


def test_a_move_keeps_what_the_host_changed_since(matched, coordinator):
    match = matched["match"]
    stale = match.program
    type(stale).objects.filter(pk=stale.pk).update(title="受入企業が付けた題名")
    target = matched["call"].weeks()[1]
    move_match(match, target, by=matched["office"], today=timezone.localdate())
    stale.refresh_from_db()
    assert stale.title == "受入企業が付けた題名" and stale.start_date == target
    assert stale.status == Status.DRAFT


def test_the_emails_write_names_as_they_are(host, tagawa, coordinator, supervisor,
                                            django_capture_on_commit_callbacks):  # fmt: skip
    HostCompany.objects.filter(pk=host.pk).update(name="R&D ラボ株式会社")
    office = office_member()
    call = make_call(timezone.localdate(), open_now=False)
    make_offer(call, host, call.weeks()[:1], places=2)
    make_application(call, tagawa, hosts=[host])
    run = run_matching(call, by=office, now=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        confirm_proposal(run.proposals.get(), by=office, now=timezone.now())
    assert mail.outbox
    for message in mail.outbox:
        assert "R&D ラボ株式会社" in message.subject + message.body
        assert "&amp;" not in message.subject + message.body


def test_a_failed_run_is_not_the_one_confirmed_from(matched):
    from scheme.models import MatchRun
    from scheme.selectors.matching import latest_run

    MatchRun.objects.create(call=matched["call"], status=FAILED)
    assert latest_run(matched["call"]).status == "OPTIMAL"


def test_a_confirmed_pair_keeps_its_explanation_in_the_next_run(host, tagawa, coordinator):
    office = office_member()
    call = make_call(timezone.localdate(), open_now=False)
    make_offer(call, host, call.weeks()[:2], places=2, themes=["dx", "data"])
    make_application(call, tagawa, hosts=[host], preferred_weeks=[call.weeks()[0].isoformat()],
                     themes=["dx"])  # fmt: skip
    first = run_matching(call, by=office, now=timezone.now()).proposals.get()
    assert first.preferred_week and first.themes_met == 1
    confirm_proposal(first, by=office, now=timezone.now())
    again = run_matching(call, by=office, now=timezone.now()).proposals.get()
    assert again.reason == "confirmed"
    assert (again.host_rank, again.preferred_week, again.themes_met) == (1, True, 1)


def test_the_confirmation_says_who_was_told(client, host, tagawa, coordinator):
    """田川市 has no contact here: the office is told to tell it."""
    office = office_member()
    call = make_call(timezone.localdate(), open_now=False)
    make_offer(call, host, call.weeks()[:1], places=2)
    make_application(call, tagawa, hosts=[host])
    proposal = run_matching(call, by=office, now=timezone.now()).proposals.get()
    client.force_login(office)
    from django.urls import reverse

    page = client.post(
        reverse("scheme:confirm", args=[call.pk, proposal.pk]), follow=True
    ).content.decode()
    assert "受入企業のコーディネーターにメールで知らせます" in page
    assert "田川市には Kenshu の自治体担当者がまだいない" in page
