"""What waits for each person in the scheme, on their home page: a call to apply to or to
offer places in, staff to name after a match, a new draft from the office, the office's
proposals to confirm. Each item goes once its work is done, and nobody sees another's."""

import pytest
from django.urls import reverse
from django.utils import timezone

from programs import registry
from programs.models import Invitation, Role
from scheme.services.matching import run_matching

from .factories import make_application, make_call, make_offer
from .match_fixtures import *  # noqa: F403 (the fixtures)

pytestmark = pytest.mark.django_db


def kinds(user):
    return [item.kind for item in registry.due_for(user, timezone.now())]


def test_an_open_call_waits_for_the_contact_until_they_apply(
    supervisor, other_supervisor, tagawa, host
):
    open_call = make_call(timezone.localdate(), open_now=True)
    assert "scheme_apply" in kinds(supervisor)
    make_application(open_call, tagawa, hosts=[host])
    assert "scheme_apply" not in kinds(supervisor)
    assert "scheme_apply" in kinds(other_supervisor)  # 北見市 has not applied


def test_an_open_call_waits_for_the_coordinator_until_the_host_offers(coordinator, host, staff):
    open_call = make_call(timezone.localdate(), open_now=True)
    assert "scheme_offer" in kinds(coordinator)
    assert "scheme_offer" not in kinds(staff)  # offering is a coordinator's
    make_offer(open_call, host, open_call.weeks()[:1])
    assert "scheme_offer" not in kinds(coordinator)


def test_the_contact_names_the_staff_until_every_place_is_named(
    match, supervisor, other_supervisor, tagawa
):
    item = next(i for i in registry.due_for(supervisor, timezone.now()) if i.kind == "scheme_staff")
    assert item.url == reverse("scheme:match_staff", args=[match.pk])
    assert "2人中2人" in item.detail
    assert "scheme_staff" not in kinds(other_supervisor)
    for email in ("a@example.org", "b@example.org"):
        Invitation.objects.create(
            email=email, role=Role.TRAINEE, municipality=tagawa, program=match.program,
            token_hash=email, expires_at=timezone.now() + timezone.timedelta(days=7),
        )  # fmt: skip
    assert "scheme_staff" not in kinds(supervisor)


def test_the_host_is_told_of_its_new_draft(match, coordinator, outsider):
    item = next(
        i for i in registry.due_for(coordinator, timezone.now()) if i.kind == "scheme_matched"
    )
    assert item.url == reverse("programs:week_grid", args=[match.program_id])
    assert "田川市" in item.title
    assert "scheme_matched" not in kinds(outsider)


def test_the_office_runs_then_confirms(office, call, offer, host, tagawa, kitami, client):
    make_application(call, tagawa, hosts=[host])
    make_application(call, kitami, hosts=[host])
    assert [i.title for i in registry.due_for(office, timezone.now())] == [
        f"マッチングを実行する：{call.title}"
    ]
    run_matching(call, by=office, now=timezone.now())
    item = next(iter(registry.due_for(office, timezone.now())))
    assert item.detail == "2組" and item.url == reverse("scheme:matching", args=[call.pk])
    client.force_login(office)
    page = client.get(reverse("scheme:calls")).content.decode()
    assert "確定待ちのマッチング案" in page
    client.post(reverse("scheme:confirm_all", args=[call.pk]))
    assert "scheme_matching" not in kinds(office)
