"""The match page and the list of matches: who sees what (the office all, a host its own,
a contact its municipality's; outsiders 404), the program's link for the host's people
only, and a list whose query count does not grow with its rows."""

import pytest
from django.urls import reverse
from django.utils import timezone

from scheme.models import Match
from tests.factories import MunicipalityFactory, count_queries
from tests.scheme.match_fixtures import *  # noqa: F403 (the fixtures)
from tests.scheme.match_fixtures import confirm, named

from .factories import make_application

pytestmark = pytest.mark.django_db


def detail(match):
    return reverse("scheme:match_detail", args=[match.pk])


def test_the_office_the_hosts_people_and_the_contact_read_the_match(
    client, match, office, coordinator, host_staff, supervisor
):
    for person in (office, coordinator, host_staff, supervisor):
        client.force_login(person)
        response = client.get(detail(match))
        assert response.status_code == 200
        html = response.content.decode()
        assert "はたらくラボ株式会社" in html and "田川市" in html
        assert match.program.title in html


def test_only_the_hosts_people_get_the_programs_link(
    client, match, office, coordinator, host_staff, supervisor
):
    link = reverse("programs:program_detail", args=[match.program.pk])
    for person, linked in (
        (coordinator, True),
        (host_staff, True),
        (supervisor, False),
        (office, False),
    ):
        client.force_login(person)
        assert (f'href="{link}"' in client.get(detail(match)).content.decode()) is linked


def test_the_host_is_told_changes_go_through_the_office(client, match, coordinator, supervisor):
    client.force_login(coordinator)
    assert "変更・取消は事務局にご連絡ください" in client.get(detail(match)).content.decode()
    client.force_login(supervisor)
    html = client.get(detail(match)).content.decode()
    assert "変更・取消は事務局にご連絡ください" not in html
    assert reverse("scheme:match_staff", args=[match.pk]) in html


def test_outsiders_get_404_and_anonymous_is_sent_to_log_in(
    client, match, outsider, kitami_contact, trainee
):
    for person in (outsider, kitami_contact, trainee):
        client.force_login(person)
        assert client.get(detail(match)).status_code == 404
    client.logout()
    for url in (detail(match), reverse("scheme:my_matches")):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_list_shows_each_person_the_matches_in_their_scope(
    client,
    call,
    offer,
    match,
    office,
    coordinator,
    supervisor,
    outsider,
    kitami_contact,
    kitami,
    host,
):
    other = confirm(call, offer, make_application(call, kitami, hosts=[host], staff=1))
    url = reverse("scheme:my_matches")
    seen = {}
    for person in (office, coordinator, supervisor, outsider, kitami_contact):
        client.force_login(person)
        rows = client.get(url).context["rows"]
        seen[person.email] = sorted(r["municipality"] for r in rows)
    assert seen[office.email] == ["北見市", "田川市"]
    assert seen[coordinator.email] == ["北見市", "田川市"]
    assert seen[supervisor.email] == ["田川市"]
    assert seen[outsider.email] == []
    assert seen[kitami_contact.email] == ["北見市"]
    assert other.pk


def test_the_office_filters_the_list_by_call(client, call, match, office):
    from .factories import make_call

    later = make_call(timezone.localdate(), fiscal_year=call.fiscal_year + 1)
    client.force_login(office)
    url = reverse("scheme:my_matches")
    assert len(client.get(url, {"call": call.pk}).context["rows"]) == 1
    assert client.get(url, {"call": later.pk}).context["rows"] == []
    assert len(client.get(url, {"call": "nonsense"}).context["rows"]) == 1


def _matches(call, offer, count):
    for _n in range(count):
        application = make_application(call, MunicipalityFactory(), staff=1)
        Match.objects.create(
            call=call,
            application=application,
            offer=offer,
            host=offer.host,
            start_week=call.first_week,
            staff=1,
            confirmed_at=timezone.now(),
        )


def test_the_list_reads_as_many_queries_for_5_rows_as_for_50(client, call, offer, office):
    client.force_login(office)
    url = reverse("scheme:my_matches")
    _matches(call, offer, 5)
    few, _ctx = count_queries(client, url)
    _matches(call, offer, 45)
    many, _ctx = count_queries(client, url)
    assert few == many


def test_the_match_page_reads_as_many_queries_for_one_named_person_as_for_many(
    client, match, supervisor
):
    from scheme.services.staff import name_staff

    client.force_login(supervisor)
    name_staff(
        match, [named(1, "p1@city.tagawa.example.jp")], by=supervisor, today=timezone.localdate()
    )
    few, _ctx = count_queries(client, detail(match))
    Match.objects.filter(pk=match.pk).update(staff=8)
    name_staff(
        match,
        [named(n, f"p{n}@city.tagawa.example.jp") for n in range(2, 8)],
        by=supervisor,
        today=timezone.localdate(),
    )
    many, _ctx = count_queries(client, detail(match))
    assert few == many
