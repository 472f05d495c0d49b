"""The office takes a match back (its draft program deleted, its invitations withdrawn) or
moves it to other weeks of the offer (capacity checked, the program's dates follow); both
sides are emailed after commit. Hosts and contacts cannot."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from programs.models import ActivityLog, Invitation, Program
from scheme.models import Match, MatchStatus
from scheme.services.matches import MatchRefused, cancel_match, move_match
from scheme.services.staff import name_staff
from tests.factories import add_activity, enrol, trainee_of
from tests.scheme.match_fixtures import *  # noqa: F403 (the fixtures)
from tests.scheme.match_fixtures import confirm, named

from .factories import make_application

pytestmark = pytest.mark.django_db


def test_cancel_deletes_the_draft_program_and_withdraws_its_invitations(
    client, match, office, supervisor, coordinator, tagawa, django_capture_on_commit_callbacks
):
    known = trainee_of(tagawa, "known@city.tagawa.example.jp")
    enrol(match.program, known)
    with django_capture_on_commit_callbacks(execute=True):
        name_staff(
            match,
            [named(1, "new@city.tagawa.example.jp")],
            by=supervisor,
            today=timezone.localdate(),
        )
    mail.outbox.clear()
    invitation = Invitation.objects.get(program=match.program)
    program_pk = match.program.pk
    client.force_login(office)
    url = reverse("scheme:match_cancel", args=[match.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "自治体の都合により辞退"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.CANCELLED and match.cancelled_at is not None
    assert match.cancel_reason == "自治体の都合により辞退" and match.program is None
    assert not Program.objects.filter(pk=program_pk).exists()
    # Withdrawn first (its link dies, the log keeps it), then gone with the program.
    assert ActivityLog.objects.filter(action="invitation.revoked").count() == 1
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    assert sorted(m.to[0] for m in mail.outbox) == [coordinator.email, supervisor.email]
    assert "自治体の都合により辞退" in mail.outbox[0].body


def test_cancel_needs_a_reason(client, match, office):
    client.force_login(office)
    response = client.post(reverse("scheme:match_cancel", args=[match.pk]), {"reason": " "})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED


def test_cancel_is_refused_for_a_published_program(client, match, office):
    Program.objects.filter(pk=match.program_id).update(status="published")
    client.force_login(office)
    response = client.post(reverse("scheme:match_cancel", args=[match.pk]), {"reason": "取り下げ"})
    assert response.status_code == 200
    assert "下書きへ戻してもらってから" in response.content.decode()
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED and match.program is not None
    assert mail.outbox == []


def test_cancelling_twice_is_refused(match, office):
    cancel_match(match, reason="一度目", by=office, now=timezone.now())
    with pytest.raises(MatchRefused):
        cancel_match(match, reason="二度目", by=office, now=timezone.now())


def test_only_the_office_cancels_or_moves(client, match, coordinator, supervisor, outsider):
    for name in ("scheme:match_cancel", "scheme:match_move"):
        url = reverse(name, args=[match.pk])
        for person in (coordinator, supervisor, outsider):
            client.force_login(person)
            assert client.get(url).status_code == 404
            assert client.post(url, {"reason": "x"}).status_code == 404
        client.logout()
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED


def test_move_changes_the_weeks_and_the_program_dates_and_emails_both_sides(
    client, match, office, coordinator, supervisor, django_capture_on_commit_callbacks
):
    target = match.start_week + timedelta(weeks=2)
    client.force_login(office)
    url = reverse("scheme:match_move", args=[match.pk])
    assert target.isoformat() in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"start_week": target.isoformat()})
    assert response.status_code == 302
    match.refresh_from_db()
    match.program.refresh_from_db()
    assert match.start_week == target
    assert (match.program.start_date, match.program.end_date) == (
        target,
        target + timedelta(days=4),
    )
    assert sorted(m.to[0] for m in mail.outbox) == [coordinator.email, supervisor.email]


def test_move_is_refused_when_the_week_is_full(client, call, offer, match, office, kitami, host):
    target = match.start_week + timedelta(weeks=1)
    other = make_application(call, kitami, hosts=[host], staff=1)
    confirm(call, offer, other, week=target, staff=1)  # 1 of 2 places taken; match needs 2
    client.force_login(office)
    response = client.post(
        reverse("scheme:match_move", args=[match.pk]), {"start_week": target.isoformat()}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["start_week"]
    match.refresh_from_db()
    assert match.start_week != target
    assert mail.outbox == []


def test_move_outside_the_offer_is_refused(match, office):
    with pytest.raises(MatchRefused):
        move_match(
            match, match.start_week + timedelta(weeks=6), by=office, today=timezone.localdate()
        )


def test_a_refusal_of_the_program_dates_is_said_and_nothing_moves(match, office, coordinator):
    add_activity(match.program, match.program.start_date, "10:00", "12:00", by=coordinator)
    target = match.start_week + timedelta(weeks=1)
    with pytest.raises(MatchRefused) as refused:
        move_match(match, target, by=office, today=timezone.localdate())
    assert refused.value.errors["start_week"]
    assert Match.objects.get(pk=match.pk).start_week == match.start_week
