"""A municipality's application (申込): written by its contact while the window is open,
with clear messages (after the window, applying twice, more staff than the call allows, a
week both wanted and impossible, a host twice); read by the office, 404 for everyone else."""

from unittest import mock

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from programs.models import Membership, Role
from scheme.models import Application, HostChoice
from scheme.services import applications as services
from scheme.services.common import SchemeRefused
from tests.factories import field_block, supervisor_of
from tests.scheme.call_fixtures import *  # noqa: F403 (the fixtures)
from tests.scheme.factories import make_application, make_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers(call, host, other_host):
    return [make_offer(call, host, call.weeks()[:3]), make_offer(call, other_host, call.weeks())]


def _form(call, host, other_host=None, **changes):
    weeks = call.weeks()
    data = {
        "staff": "2",
        "weeks_wanted": "1",
        "preferred_weeks": [weeks[0].isoformat(), weeks[1].isoformat()],
        "impossible_weeks": [weeks[4].isoformat()],
        "themes": ["dx"],
        "host_1": str(host.pk),
        "host_2": str(other_host.pk) if other_host else "",
        "other_hosts_ok": "on",
        "no_overnight": "on",
        "needs_accessibility": "",
        "notes": "議会の日程を避けたい",
    }
    data.update(changes)
    return data


def test_a_contact_applies(client, call, host, other_host, offers, tagawa, supervisor):
    client.force_login(supervisor)
    response = client.post(
        reverse("scheme:application_new", args=[call.pk]), _form(call, host, other_host)
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.municipality == tagawa and application.staff == 2
    assert application.preferred_weeks == [w.isoformat() for w in call.weeks()[:2]]
    assert application.no_overnight and application.submitted_by == supervisor
    assert [c.host for c in application.host_choices.all()] == [host, other_host]


def test_the_form_lists_only_hosts_with_a_live_offer(client, call, host, tagawa, supervisor):
    from tests.factories import HostCompanyFactory

    make_offer(call, host, call.weeks()[:1])
    quiet = HostCompanyFactory(name="受入枠のない株式会社")
    gone = HostCompanyFactory(name="取り下げた株式会社")
    withdrawn = make_offer(call, gone, call.weeks()[:1])
    from scheme.services.offers import withdraw_offer

    withdraw_offer(withdrawn, timezone.now())
    client.force_login(supervisor)
    html = client.get(reverse("scheme:application_new", args=[call.pk])).content.decode()
    assert host.name in field_block(html, "host_1")
    assert quiet.name not in html and gone.name not in html
    assert "第1希望" in html and "第5希望" in html


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"staff": "0"}, "staff", "1人以上にしてください。"),
        ({"staff": "4"}, "staff", "この募集では派遣職員は3人までです。"),
        ({"weeks_wanted": "3"}, "weeks_wanted", "正しく選択してください"),
        ({"impossible_weeks": ["first"]}, "impossible_weeks", "両方には選べません"),
        ({"host_2": "same"}, "host_2", "この受入企業はすでに上で選ばれています。"),
    ],
)
def test_bad_applications_are_refused_next_to_the_field(
    client, call, host, other_host, offers, supervisor, changes, field, words
):
    if changes.get("impossible_weeks") == ["first"]:
        changes["impossible_weeks"] = [call.weeks()[0].isoformat()]
    if changes.get("host_2") == "same":
        changes["host_2"] = str(host.pk)
    client.force_login(supervisor)
    response = client.post(
        reverse("scheme:application_new", args=[call.pk]), _form(call, host, **changes)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert words in field_block(html, field)
    assert "議会の日程を避けたい" in html
    assert not Application.objects.exists()


def test_a_municipality_applying_twice_is_told(client, call, host, offers, tagawa, supervisor):
    make_application(call, tagawa, hosts=[host])
    second_contact = supervisor_of(tagawa, "jinji@example.org")
    client.force_login(second_contact)
    response = client.post(reverse("scheme:application_new", args=[call.pk]), _form(call, host))
    assert "田川市はこの募集にすでに申し込んでいます。" in response.content.decode()
    assert Application.objects.count() == 1


def test_the_unique_key_is_the_last_guard(call, host, offers, tagawa, supervisor):
    """Two contacts send at once: both pass the check, the database keeps one."""
    make_application(call, tagawa, hosts=[host])
    data = {
        "staff": 1,
        "weeks_wanted": 1,
        "preferred_weeks": [],
        "impossible_weeks": [],
        "themes": [],
        "hosts": [host.pk],
        "other_hosts_ok": True,
        "no_overnight": False,
        "needs_accessibility": False,
        "notes": "",
    }
    with (
        mock.patch.object(Application.objects, "filter", return_value=Application.objects.none()),
        pytest.raises(SchemeRefused) as refused,
    ):
        services.save_application(call, tagawa, data, by=supervisor, now=timezone.now())
    assert refused.value.code == "twice" and "すでに申し込んでいます" in refused.value.message
    assert Application.objects.count() == 1 and HostChoice.objects.count() == 1


def test_a_contact_of_two_municipalities_picks_one(
    client, call, host, offers, tagawa, kitami, supervisor
):
    Membership.objects.create(user=supervisor, role=Role.SUPERVISOR, municipality=kitami)
    client.force_login(supervisor)
    url = reverse("scheme:application_new", args=[call.pk])
    response = client.post(url, _form(call, host, municipality=""))
    assert "このフィールドは必須です。" in field_block(response.content.decode(), "municipality")
    client.post(url, _form(call, host, municipality=str(kitami.pk)))
    assert Application.objects.get().municipality == kitami
    # the other one may still apply; the one that did is told
    response = client.post(url, _form(call, host, municipality=str(kitami.pk)))
    assert "北見市はこの募集にすでに申し込んでいます。" in response.content.decode()
    client.post(url, _form(call, host, municipality=str(tagawa.pk)))
    assert Application.objects.count() == 2


def test_after_the_window_nothing_is_applied_for(client, closed_call, host, tagawa, supervisor):
    make_offer(closed_call, host, closed_call.weeks()[:1])
    client.force_login(supervisor)
    url = reverse("scheme:application_new", args=[closed_call.pk])
    response = client.get(url)
    assert response.url == reverse("scheme:call_detail", args=[closed_call.pk])
    response = client.post(url, _form(closed_call, host), follow=True)
    assert "申込期間は" in response.content.decode() and "に終了しました" in (
        response.content.decode()
    )
    assert not Application.objects.exists()
    with pytest.raises(SchemeRefused) as refused:
        services.save_application(
            closed_call,
            tagawa,
            {"staff": 1, "weeks_wanted": 1, "hosts": []},
            by=supervisor,
            now=timezone.now(),
        )
    assert refused.value.code == "window"


def test_a_contact_changes_and_withdraws_and_applies_again(
    client, call, host, other_host, offers, tagawa, supervisor
):
    application = make_application(call, tagawa, hosts=[host], staff=1)
    client.force_login(supervisor)
    edit = reverse("scheme:application_edit", args=[call.pk, application.pk])
    html = client.get(edit).content.decode()
    assert 'name="municipality"' not in html  # its municipality is not changed
    response = client.post(edit, _form(call, other_host, host, staff="3"))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.staff == 3
    assert [c.host for c in application.host_choices.all()] == [other_host, host]
    client.post(reverse("scheme:application_withdraw", args=[call.pk, application.pk]))
    application.refresh_from_db()
    assert application.withdrawn_at is not None
    client.post(reverse("scheme:application_new", args=[call.pk]), _form(call, host))
    application.refresh_from_db()
    assert application.withdrawn_at is None and Application.objects.count() == 1


def test_scope(
    client,
    call,
    host,
    offers,
    tagawa,
    kitami,
    supervisor,
    other_supervisor,
    office,
    coordinator,
    trainee,
):
    application = make_application(call, tagawa, hosts=[host])
    edit = reverse("scheme:application_edit", args=[call.pk, application.pk])
    withdraw = reverse("scheme:application_withdraw", args=[call.pk, application.pk])
    new = reverse("scheme:application_new", args=[call.pk])
    # Another municipality's contact sees neither the application nor its municipality.
    client.force_login(other_supervisor)
    assert client.get(edit).status_code == 404
    assert client.post(withdraw).status_code == 404
    html = client.get(reverse("scheme:call_detail", args=[call.pk])).content.decode()
    assert "田川市" not in html
    for person in (coordinator, trainee):
        client.force_login(person)
        for url in (new, edit):
            assert client.get(url).status_code == 404
        assert client.post(withdraw).status_code == 404
    # The office reads every application but the municipality writes it.
    client.force_login(office)
    assert client.get(new).status_code == 404
    assert client.get(edit).status_code == 403
    assert client.post(withdraw).status_code == 403
    client.logout()
    for url in (new, edit):
        assert "login" in client.get(url).url
    assert "login" in client.post(withdraw).url
    application.refresh_from_db()
    assert application.withdrawn_at is None


def test_the_race_keeps_nothing_half_made(call, host, offers, tagawa, supervisor):
    data = {
        "staff": 1,
        "weeks_wanted": 1,
        "preferred_weeks": [],
        "impossible_weeks": [],
        "themes": [],
        "hosts": [host.pk],
        "other_hosts_ok": True,
        "no_overnight": False,
        "needs_accessibility": False,
        "notes": "",
    }
    with (
        mock.patch.object(HostChoice.objects, "bulk_create", side_effect=IntegrityError),
        pytest.raises(SchemeRefused),
    ):
        services.save_application(call, tagawa, data, by=supervisor, now=timezone.now())
    assert not Application.objects.exists()
