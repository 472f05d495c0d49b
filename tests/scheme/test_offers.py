"""A host's offers (受入枠): written by its coordinators while the window is open, with
clear messages (places 0 or 1,000, weeks another offer holds), withdrawn unless a match on
them is confirmed; read by the host's staff and the office, 404 for everyone else."""

from unittest import mock

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from programs.models import Role
from scheme.models import Match, MatchStatus, Offer, OfferWeek
from scheme.services import offers as services
from scheme.services.common import SchemeRefused
from tests.factories import field_block
from tests.scheme.call_fixtures import *  # noqa: F403 (the fixtures)
from tests.scheme.factories import make_application, make_offer

pytestmark = pytest.mark.django_db


def _form(call, weeks=(0, 1), **changes):
    data = {
        "weeks": [call.weeks()[i].isoformat() for i in weeks],
        "places": "2",
        "themes": ["dx", "regional"],
        "location": "東京都渋谷区",
        "includes_trip": "on",
        "overnight": "on",
        "accessible": "",
        "notes": "長野県への出張あり",
    }
    data.update(changes)
    return data


def test_a_coordinator_offers_places(client, call, host, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("scheme:offer_new", args=[call.pk]), _form(call))
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert (offer.host, offer.places, offer.themes) == (host, 2, ["dx", "regional"])
    assert offer.overnight and offer.created_by == coordinator
    assert list(offer.weeks.values_list("week", flat=True)) == call.weeks()[:2]


def test_the_form_shows_weeks_as_dates(client, call, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("scheme:offer_new", args=[call.pk])).content.decode()
    first = call.weeks()[0]
    assert f"{first.month}月{first.day}日（月）の週" in html


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"places": "0"}, "places", "受入人数は1人以上にしてください。"),
        ({"places": "1000"}, "places", "1週あたりの受入人数は50人までです。"),
        ({"places": "two"}, "places", "整数"),
        ({"weeks": []}, "weeks", "週を1つ以上選んでください。"),
        ({"includes_trip": ""}, "overnight", "宿泊は出張に伴うものです"),
        ({"location": ""}, "location", "このフィールドは必須です。"),
    ],
)
def test_bad_offers_are_refused_next_to_the_field(client, call, coordinator, changes, field, words):
    client.force_login(coordinator)
    response = client.post(
        reverse("scheme:offer_new", args=[call.pk]),
        _form(call, **changes),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert words in field_block(html, field)
    assert "長野県への出張あり" in html  # what was typed stays
    assert not Offer.objects.exists()


def test_weeks_another_offer_holds_are_refused_and_named(client, call, host, coordinator):
    make_offer(call, host, call.weeks()[1:3])
    client.force_login(coordinator)
    response = client.post(
        reverse("scheme:offer_new", args=[call.pk]),
        _form(call, weeks=(0, 1, 2)),
    )
    block = field_block(response.content.decode(), "weeks")
    second, third = call.weeks()[1:3]
    assert "この受入企業のほかの受入枠に" in block
    for week in (second, third):
        assert f"{week.month}月{week.day}日（月）の週" in block
    assert Offer.objects.count() == 1


def test_the_unique_key_is_the_last_guard_and_says_the_same(call, host, coordinator):
    """Two saves at once: the check passed for both, the database refuses the second."""
    make_offer(call, host, call.weeks()[:1])
    data = {
        "weeks": [call.weeks()[0].isoformat()],
        "places": 2,
        "themes": [],
        "location": "渋谷",
        "includes_trip": False,
        "overnight": False,
        "accessible": False,
        "notes": "",
    }
    with (
        mock.patch.object(services, "_taken", side_effect=[set(), set()]),
        pytest.raises(SchemeRefused) as refused,
    ):
        services.save_offer(call, host.pk, data, by=coordinator, now=timezone.now())
    assert refused.value.code == "overlap" and "weeks" in refused.value.errors
    assert Offer.objects.count() == 1 and OfferWeek.objects.count() == 1


def test_another_host_may_offer_the_same_weeks(call, host, other_host, coordinator):
    make_offer(call, other_host, call.weeks()[:2])
    data = {
        "weeks": [w.isoformat() for w in call.weeks()[:2]],
        "places": 1,
        "themes": [],
        "location": "渋谷",
        "includes_trip": False,
        "overnight": False,
        "accessible": False,
        "notes": "",
    }
    services.save_offer(call, host.pk, data, by=coordinator, now=timezone.now())
    assert OfferWeek.objects.filter(live=True).count() == 4


def test_a_coordinator_changes_an_offer_and_its_weeks(client, call, host, coordinator):
    offer = make_offer(call, host, call.weeks()[:2])
    client.force_login(coordinator)
    url = reverse("scheme:offer_edit", args=[call.pk, offer.pk])
    assert (
        'value="2" checked' in client.get(url).content.decode()
        or client.get(url).status_code == 200
    )
    response = client.post(url, _form(call, weeks=(1, 2, 3), places="5"))
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.places == 5
    assert list(offer.weeks.values_list("week", flat=True)) == call.weeks()[1:4]


def test_a_coordinator_of_two_hosts_picks_the_host(client, call, host, other_host, coordinator):
    from programs.models import Membership

    Membership.objects.create(user=coordinator, role=Role.COORDINATOR, host_company=other_host)
    client.force_login(coordinator)
    response = client.post(
        reverse("scheme:offer_new", args=[call.pk]),
        _form(call, host=""),
    )
    assert "このフィールドは必須です。" in field_block(response.content.decode(), "host")
    client.post(reverse("scheme:offer_new", args=[call.pk]), _form(call, host=str(other_host.pk)))
    assert Offer.objects.get().host == other_host


def test_after_the_window_the_forms_are_refused(client, closed_call, host, coordinator):
    offer = make_offer(closed_call, host, closed_call.weeks()[:1])
    client.force_login(coordinator)
    detail = reverse("scheme:call_detail", args=[closed_call.pk])
    for url in (
        reverse("scheme:offer_new", args=[closed_call.pk]),
        reverse("scheme:offer_edit", args=[closed_call.pk, offer.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url == detail
        response = client.post(url, _form(closed_call), follow=True)
        assert "申込期間は" in response.content.decode()
    assert Offer.objects.count() == 1
    with pytest.raises(SchemeRefused):
        services.withdraw_offer(offer, timezone.now())


def test_withdrawing_frees_the_weeks(client, call, host, coordinator):
    offer = make_offer(call, host, call.weeks()[:2])
    client.force_login(coordinator)
    client.post(reverse("scheme:offer_withdraw", args=[call.pk, offer.pk]))
    offer.refresh_from_db()
    assert offer.withdrawn_at is not None
    assert not OfferWeek.objects.filter(live=True).exists()
    make_offer(call, host, call.weeks()[:2])  # the weeks are free again


def test_withdrawing_after_a_confirmed_match_is_refused(client, call, host, coordinator, tagawa):
    offer = make_offer(call, host, call.weeks()[:2])
    application = make_application(call, tagawa, hosts=[host])
    Match.objects.create(
        call=call,
        application=application,
        offer=offer,
        host=host,
        start_week=call.weeks()[0],
        staff=1,
        status=MatchStatus.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    client.force_login(coordinator)
    response = client.post(reverse("scheme:offer_withdraw", args=[call.pk, offer.pk]), follow=True)
    assert "この受入枠にはマッチングが確定しています。取り下げは事務局にご連絡ください。" in (
        response.content.decode()
    )
    offer.refresh_from_db()
    assert offer.withdrawn_at is None
    assert OfferWeek.objects.filter(offer=offer, live=True).count() == 2


def test_scope(client, call, host, other_host, coordinator, staff, outsider, supervisor, office):
    offer = make_offer(call, host, call.weeks()[:1])
    edit = reverse("scheme:offer_edit", args=[call.pk, offer.pk])
    withdraw = reverse("scheme:offer_withdraw", args=[call.pk, offer.pk])
    new = reverse("scheme:offer_new", args=[call.pk])
    # Another host's coordinator: the offer does not exist for them.
    client.force_login(outsider)
    assert client.get(edit).status_code == 404
    assert client.post(withdraw).status_code == 404
    html = client.get(reverse("scheme:call_detail", args=[call.pk])).content.decode()
    assert "はたらくラボ株式会社" not in html
    # The host's staff read it but do not change it; a municipality's contact and the
    # office do not offer.
    client.force_login(staff)
    assert client.get(new).status_code == 403
    assert client.get(edit).status_code == 403
    assert client.post(withdraw).status_code == 403
    client.force_login(supervisor)
    for url in (new, edit):
        assert client.get(url).status_code == 404
    assert client.post(withdraw).status_code == 404
    client.force_login(office)
    assert client.get(new).status_code == 404
    assert client.get(edit).status_code == 404
    client.logout()
    for url in (new, edit):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url
    assert "login" in client.post(withdraw).url
    offer.refresh_from_db()
    assert offer.withdrawn_at is None


def test_a_racing_withdrawal_keeps_nothing_half_made(call, host):
    offer = make_offer(call, host, call.weeks()[:1])
    with (
        mock.patch.object(OfferWeek.objects, "filter", side_effect=IntegrityError),
        pytest.raises(IntegrityError),
    ):
        services.withdraw_offer(offer, timezone.now())
    offer.refresh_from_db()
    assert offer.withdrawn_at is None
