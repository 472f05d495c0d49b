"""The call's emails go through the reminder dispatcher, once per person: opened (every
host coordinator and municipality contact), closing soon (those who have not offered or
applied, three days before the last day), closed (those who offered or applied)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from programs.models import Notification
from programs.services import reminders as dispatcher
from programs.tasks import dispatch_reminders
from scheme.models import Call
from scheme.services.calls import close_call, open_call
from tests.factories import at
from tests.scheme.call_fixtures import *  # noqa: F403 (the fixtures)
from tests.scheme.factories import make_application, make_call, make_offer, monday_after

pytestmark = pytest.mark.django_db


def _send(now) -> None:
    dispatcher.dispatch(now)
    for ids in dispatcher.due_batches(now):
        dispatcher.send_batch(ids, now)


def _to(words: str) -> set[str]:
    return {m.to[0] for m in mail.outbox if words in m.subject}


@pytest.fixture
def people(coordinator, staff, outsider, supervisor, other_supervisor, trainee, office):
    return {
        "coordinators": {coordinator.email, outsider.email},
        "contacts": {supervisor.email, other_supervisor.email},
    }


def test_opening_emails_every_coordinator_and_contact_once(
    db, today, people, django_capture_on_commit_callbacks
):
    draft = Call.objects.create(
        fiscal_year=2033,
        title="2033年度募集",
        opens_on=today,
        closes_on=today + timedelta(days=20),
        first_week=monday_after(today, 5),
        last_week=monday_after(today, 9),
    )
    with django_capture_on_commit_callbacks(execute=True):
        open_call(draft, timezone.now())  # the dispatcher runs once committed
    assert _to("募集を開始しました：2033年度募集") == people["coordinators"] | people["contacts"]
    message = next(m for m in mail.outbox if "2033年度募集" in m.subject)
    assert "2033年度の募集を開始しました" in message.body
    assert f"/scheme/calls/{draft.pk}/" in message.body
    sent = len(mail.outbox)
    dispatch_reminders()
    _send(timezone.now() + timedelta(hours=1))
    assert len(mail.outbox) == sent


def test_a_draft_call_emails_nobody(db, today, people):
    Call.objects.create(
        fiscal_year=2034,
        title="下書き",
        opens_on=today,
        closes_on=today + timedelta(days=20),
        first_week=monday_after(today, 5),
        last_week=monday_after(today, 9),
    )
    _send(timezone.now())
    assert not mail.outbox


def test_closing_soon_goes_to_those_not_in_yet_once(
    db, today, people, host, tagawa, coordinator, supervisor, outsider, other_supervisor
):
    call = make_call(today, closes_on=today + timedelta(days=3))
    make_offer(call, host, call.weeks()[:1])
    make_application(call, tagawa, hosts=[host])
    _send(at(today, 8))  # before 9:00 three days before: only the opened email
    assert not _to("締切が近づいています")
    _send(at(today, 10))
    _send(at(today, 11))  # the dispatcher runs again: nothing twice
    assert _to("締切が近づいています") == {outsider.email, other_supervisor.email}
    assert len([m for m in mail.outbox if "締切が近づいています" in m.subject]) == 2
    keys = set(Notification.objects.filter(kind="call_closing").values_list("key", flat=True))
    assert keys == {
        f"call-closing:{call.pk}:{outsider.pk}",
        f"call-closing:{call.pk}:{other_supervisor.pk}",
    }


def test_closing_soon_is_not_sent_early_nor_to_who_applied_since(
    db, today, people, host, other_host, kitami, outsider, other_supervisor
):
    call = make_call(today, closes_on=today + timedelta(days=4))
    _send(at(today, 12))
    assert not _to("締切が近づいています")
    call.closes_on = today + timedelta(days=3)
    call.save()
    dispatcher.dispatch(at(today, 12))
    # Meanwhile, the other host offers and the other municipality applies: not sent.
    make_offer(call, other_host, call.weeks()[:1])
    make_application(call, kitami, hosts=[other_host])
    for ids in dispatcher.due_batches(at(today, 12)):
        dispatcher.send_batch(ids, at(today, 12))
    told = _to("締切が近づいています")
    assert told and not told & {outsider.email, other_supervisor.email}


def test_closing_early_emails_those_who_offered_or_applied(
    db,
    today,
    people,
    host,
    tagawa,
    coordinator,
    staff,
    supervisor,
    django_capture_on_commit_callbacks,
):
    call = make_call(today)
    make_offer(call, host, call.weeks()[:1])
    make_application(call, tagawa, hosts=[host])
    _send(timezone.now())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        close_call(call, timezone.now())
    assert _to("募集を締め切りました") == {coordinator.email, supervisor.email}
    assert not _to("募集を開始しました")
    _send(timezone.now() + timedelta(minutes=10))
    assert len(mail.outbox) == 2


def test_a_call_whose_window_ended_emails_the_morning_after(
    db, today, people, host, tagawa, coordinator, supervisor
):
    call = make_call(today, open_now=False)  # its last day was yesterday
    make_offer(call, host, call.weeks()[:1])
    make_application(call, tagawa, hosts=[host])
    _send(at(today, 8))
    assert not _to("募集を締め切りました")
    _send(at(today, 9, 5))
    _send(at(today, 15))
    assert _to("募集を締め切りました") == {coordinator.email, supervisor.email}
    assert len(mail.outbox) == 2
    _send(at(today + timedelta(days=20), 9))  # long after: nobody new is told
    assert len(mail.outbox) == 2
