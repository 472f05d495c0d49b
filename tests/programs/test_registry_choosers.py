"""Wherever a municipality is chosen, it is typed: a code, a name or a reading. The roster's
自治体コード column, the invitation forms and a trip's destinations take any of them; a name
of several or an abolished code is answered next to the field, with what was typed kept."""

from datetime import date

import pytest
from django.urls import reverse

from programs.models import Invitation, Municipality
from programs.services import roster
from programs.services.registry import load_registry, read_data_file
from seminars.forms import TripForm

from ..factories import enrol

pytestmark = pytest.mark.django_db
HEADER = "name,email,municipality code,department,position\n"


def _preview(program, coordinator, rows: str):
    data = (HEADER + rows).encode("utf-8-sig")
    return roster.read_roster(program, data, "roster.csv", by=coordinator).rows


def test_the_roster_takes_the_smallest_villages_of_hokkaido_and_okinawa(program, coordinator):
    """音威子府村 (北海道) and 渡名喜村 (沖縄県), the smallest villages by population of their
    prefectures, by code; and 北海道's lowest village code (新篠津村), its leading zero
    dropped by Excel."""
    rows = _preview(
        program,
        coordinator,
        "音威子府 一郎,otoineppu@example.org,014702,総務課,主事\n"
        "渡名喜 花子,tonaki@example.org,473561,総務課,主事\n"
        "新篠津 太郎,shinshinotsu@example.org,13048,総務課,主事\n",
    )
    assert [(r.status, r.municipality_code, r.municipality_name) for r in rows] == [
        ("new", "014702", "北海道 音威子府村"),
        ("new", "473561", "沖縄県 渡名喜村"),
        ("new", "013048", "北海道 新篠津村"),
    ]


def test_the_roster_takes_a_name_or_a_reading_and_keeps_the_code(program, coordinator):
    rows = _preview(
        program,
        coordinator,
        "一,one@example.org,田川市,,\n"
        "二,two@example.org,たがわし,,\n"
        "三,three@example.org,長野県上伊那郡箕輪町,,\n"
        "四,four@example.org,40206,,\n",
    )
    assert [(r.status, r.municipality_code) for r in rows] == [
        ("new", "402061"),
        ("new", "402061"),
        ("new", "203831"),
        ("new", "402061"),
    ]


def test_the_roster_says_which_when_a_name_fits_several(program, coordinator):
    (row,) = _preview(program, coordinator, "一,one@example.org,府中市,,\n")
    assert row.status == "invalid"
    assert any("132063" in e and "342084" in e for e in row.errors)


def test_the_roster_refuses_an_abolished_code(program, coordinator):
    _source, entries = read_data_file()
    load_registry([e for e in entries if e.code != "473561"], today=date(2027, 4, 1))
    (row,) = _preview(program, coordinator, "一,one@example.org,473561,,\n")
    assert row.status == "invalid" and any("廃止" in e for e in row.errors)


def test_a_confirmed_roster_enrols_with_the_municipality_named_by_reading(
    program, coordinator, django_capture_on_commit_callbacks
):
    data = (HEADER + "渡名喜 花子,tonaki@example.org,となきそん,総務課,主事\n").encode()
    preview = roster.read_roster(program, data, "roster.csv", by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        roster.apply_roster(program, preview, by=coordinator)
    invitation = Invitation.objects.get(email="tonaki@example.org")
    assert invitation.municipality.code == "473561"


class TestInvitationForm:
    def url(self, host):
        return reverse("programs:invitation_create", args=[host.pk])

    def test_a_reading_is_enough(
        self, client, coordinator, host, django_capture_on_commit_callbacks
    ):
        client.force_login(coordinator)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                self.url(host),
                {"email": "new@example.org", "role": "trainee", "municipality": "おといねっぷむら"},
            )
        assert response.status_code == 302
        assert Invitation.objects.get().municipality.code == "014702"

    def test_a_name_of_several_is_answered_next_to_the_field_and_kept(
        self, client, coordinator, host
    ):
        client.force_login(coordinator)
        response = client.post(
            self.url(host),
            {"email": "new@example.org", "role": "trainee", "municipality": "府中市"},
        )
        assert response.status_code == 200
        page = response.content.decode()
        field = page[page.index('name="municipality"') - 300 :]
        assert 'value="府中市"' in page
        assert "東京都 府中市（132063）" in field and "広島県 府中市（342084）" in field
        assert Invitation.objects.count() == 0

    def test_the_input_asks_the_search_endpoint(self, client, coordinator, host):
        client.force_login(coordinator)
        page = client.get(self.url(host)).content.decode()
        assert f'data-municipality-search="{reverse("programs:municipality_search")}"' in page
        assert "js/municipality" in page


class TestTripDestinations:
    def data(self, program, enrollment, destinations):
        return {
            "purpose": "地域ワーカー向け説明会の開催",
            "start_date": program.start_date.isoformat(),
            "end_date": program.start_date.isoformat(),
            "trainees": [enrollment.pk],
            "municipalities": destinations,
            "status": "planned",
        }

    def test_several_typed_destinations(self, program, trainee):
        enrollment = enrol(program, trainee)
        form = TripForm(
            self.data(program, enrollment, ["伊那市", "たがわし", "202029", "田川市"]),
            program=program,
        )
        assert form.is_valid(), form.errors
        assert [m.code for m in form.cleaned_data["municipalities"]] == [
            "202096",
            "402061",
            "202029",
        ]

    def test_an_abolished_destination_stays_on_its_trip_only(self, program, trainee, coordinator):
        from seminars.services import trips as trip_services

        enrollment = enrol(program, trainee)
        inashi = Municipality.objects.get(code="202096")
        plan = trip_services.TripPlan(
            purpose="視察",
            start_date=program.start_date,
            end_date=program.start_date,
            municipalities=[inashi],
            trainees=[enrollment],
        )
        trip = trip_services.save_trip(program, plan, by=coordinator)
        _source, entries = read_data_file()
        load_registry([e for e in entries if e.code != "202096"], today=date(2027, 4, 1))
        data = self.data(program, enrollment, [inashi.code])
        assert TripForm(data, program=program, trip=trip).is_valid()
        fresh = TripForm(data, program=program)
        assert not fresh.is_valid() and "廃止" in str(fresh.errors["municipalities"])
