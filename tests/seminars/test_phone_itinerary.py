"""The itinerary on a phone: cards in time order (the next one first while the trip is on,
the past ones after it, marked), a map link for each place, and the numbers to call — the
trip's staff and the program's coordinator — shown to the trip's travellers and the host's
people only, as `tel:` links. `now` is pinned: the suite passes on any date."""

from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Membership
from reports import documents
from reports.selectors.itinerary import cards, map_url
from seminars.services import legs as leg_services
from seminars.services import seminars as seminar_services

from ..factories import at as moment
from ..factories import count_queries, enrol, trainee_of
from .conftest import at, leg_plan, seminar_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def legs(trip, coordinator):
    """Out on the first morning, on to the venue, and home on the second evening."""
    made = [
        leg_plan("12-01 07:00", "12-01 08:40"),
        leg_plan(
            "12-01 09:30",
            "12-01 11:30",
            mode="rail",
            origin_place="羽田空港",
            destination="伊那松島駅",
            service="あずさ 5号",
            fare=6000,
        ),
        leg_plan(
            "12-02 18:00",
            "12-02 19:40",
            origin_place="羽田空港",
            destination="福岡空港",
            service="JAL 331",
        ),
    ]
    return [leg_services.save_leg(trip, plan, by=coordinator) for plan in made]


@pytest.fixture
def phones(coordinator, staff):
    Membership.objects.filter(user=coordinator).update(phone="090-1234-5678")
    Membership.objects.filter(user=staff).update(phone="+81 (80) 9876-5432")


def titles(found):
    return [(card["title"], card["past"], card["next"]) for card in found]


def staff_cards(trip, now):
    """The staff member's page (every leg and seminar), as the view builds it at `now`."""
    pages = documents.itinerary_context(trip, now=now)["pages"]
    return next(p for p in pages if p["person"]["enrollment"] is None)["cards"]


def test_before_the_trip_the_cards_are_in_time_order(trip, legs):
    found = staff_cards(trip, moment(date(2026, 11, 30), 20))
    assert titles(found) == [
        ("福岡空港 → 羽田空港", False, False),
        ("羽田空港 → 伊那松島駅", False, False),
        ("羽田空港 → 福岡空港", False, False),
    ]
    assert found[1]["service"] == "在来線 あずさ 5号"
    assert found[0]["day"] == "12/1（火）" and found[0]["times"] == "07:00〜08:40"


def test_while_the_trip_is_on_the_next_leg_comes_first_and_the_past_ones_after(trip, legs):
    # 12/1 at noon: the two morning legs are over, the flight home is next.
    found = staff_cards(trip, moment(date(2026, 12, 1), 12))
    assert titles(found) == [
        ("羽田空港 → 福岡空港", False, True),
        ("福岡空港 → 羽田空港", True, False),
        ("羽田空港 → 伊那松島駅", True, False),
    ]
    # 12/1 at 10:00: the train is under way; it comes first, then the flight home.
    found = staff_cards(trip, moment(date(2026, 12, 1), 10))
    assert titles(found)[0] == ("羽田空港 → 伊那松島駅", False, True)
    assert found[0]["under_way"]
    assert [c["past"] for c in found] == [False, False, True]


def test_after_the_trip_every_card_is_past_in_time_order(trip, legs):
    found = staff_cards(trip, moment(date(2026, 12, 3), 9))
    assert titles(found) == [
        ("福岡空港 → 羽田空港", True, False),
        ("羽田空港 → 伊那松島駅", True, False),
        ("羽田空港 → 福岡空港", True, False),
    ]


def test_a_map_link_for_each_place(trip, legs, program, coordinator, staff):
    url = map_url("伊那松島駅")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == ("https://www.google.com/maps/search/")
    assert parse_qs(parts.query) == {"api": ["1"], "query": ["伊那松島駅"]}
    seminar_services.save_seminar(
        program,
        seminar_plan(address="長野県上伊那郡箕輪町中箕輪10298", lead=staff),
        trip=trip,
        by=coordinator,
    )
    found = staff_cards(trip, moment(date(2026, 11, 30)))
    leg = found[0]
    assert [m["place"] for m in leg["maps"]] == ["福岡空港", "羽田空港"]
    assert [m["url"] for m in leg["maps"]] == [map_url("福岡空港"), map_url("羽田空港")]
    seminar = next(c for c in found if c["kind"] == "seminar")
    # Named by its venue, found by its street address.
    assert seminar["maps"] == [
        {"place": "箕輪町地域交流センター", "url": map_url("長野県上伊那郡箕輪町中箕輪10298")}
    ]


def test_cards_of_rows_without_a_place_have_no_map(trip):
    start = at("12-01 13:30")
    row = {"at": start, "until": start + timedelta(hours=1), "what": "意見交換", "detail": ""}
    assert cards([row], trip, at("12-01 09:00"))[0]["maps"] == []


# The itinerary page and the trip page: who reads the numbers ------------------------------


def itinerary(program, trip):
    return reverse("reports:itinerary_print", args=[program.pk, trip.pk])


def trip_page(program, trip):
    return reverse("seminars:trip_detail", args=[program.pk, trip.pk])


TEL_COORDINATOR = 'href="tel:09012345678"'
TEL_STAFF = 'href="tel:+818098765432"'


def test_a_trainee_on_the_trip_reads_the_numbers_and_the_maps(
    client, program, trip, legs, phones, trainee
):
    client.force_login(trainee)
    page = client.get(itinerary(program, trip)).content.decode()
    assert TEL_COORDINATOR in page and TEL_STAFF in page
    assert "090-1234-5678" in page  # shown as typed
    assert f'href="{map_url("伊那松島駅")}"'.replace("&", "&amp;") in page
    assert "地図：伊那松島駅" in page  # the link says which place its map is for
    assert 'class="itin-card' in page
    detail = client.get(trip_page(program, trip)).content.decode()
    assert TEL_COORDINATOR in detail and TEL_STAFF in detail


def test_the_staff_on_the_trip_read_the_numbers(client, program, trip, legs, phones, staff):
    client.force_login(staff)
    assert TEL_COORDINATOR in client.get(itinerary(program, trip)).content.decode()
    assert TEL_STAFF in client.get(trip_page(program, trip)).content.decode()


def test_the_numbers_are_for_the_trip_s_travellers_only(
    client, program, trip, legs, phones, supervisor, other_trainee, outsider, tagawa
):
    # The supervisor of the trainees' municipality reads the trip page, never the numbers.
    client.force_login(supervisor)
    response = client.get(trip_page(program, trip))
    assert response.status_code == 200
    assert "tel:" not in response.content.decode()
    assert client.get(itinerary(program, trip)).status_code == 404
    # A trainee of the program who does not go on this trip, another host's trainee and
    # another host's coordinator: the trip is not theirs to see at all.
    stays_home = trainee_of(tagawa, "stays-home@example.org")
    enrol(program, stays_home)
    for person in (stays_home, other_trainee, outsider):
        client.force_login(person)
        for url in (trip_page(program, trip), itinerary(program, trip)):
            response = client.get(url)
            assert response.status_code == 404
            assert "tel:" not in response.content.decode()


def test_the_print_table_stays_beside_the_cards(client, program, trip, legs, trainee):
    client.force_login(trainee)
    page = client.get(itinerary(program, trip)).content.decode()
    assert '<table class="itinerary__schedule">' in page
    # The PDF (built by a worker) has the table only, and no number.
    html = documents.itinerary_html(trip)
    assert 'class="itin-card' not in html and 'href="tel:' not in html


def test_the_pages_read_as_many_queries_with_ten_legs_as_with_three(
    client, program, trip, legs, phones, coordinator, trainee, staff
):
    def counts():
        found = {}
        for person in (coordinator, trainee, staff):
            client.force_login(person)
            for url in (itinerary(program, trip), trip_page(program, trip)):
                found[person.email, url] = count_queries(client, url)[0]
        return found

    few = counts()
    start = timezone.make_aware(datetime(2026, 12, 2, 6, 0))
    for n in range(7):
        leg_services.save_leg(
            trip,
            leg_services.LegPlan(
                mode="bus",
                origin_place=f"停留所{n}",
                destination=f"停留所{n + 1}",
                depart_at=start + timedelta(minutes=20 * n),
                arrive_at=start + timedelta(minutes=20 * n + 15),
                service="",
                fare=200,
            ),
            by=coordinator,
        )
    assert counts() == few
