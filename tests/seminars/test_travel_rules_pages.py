"""The travel rules' pages (a host's by its coordinators, a municipality's by its contact;
404 outside, the login page for the anonymous), and the trip's expenses in each payer's own
words on the lines page, the trip page, the CSV and the itinerary document."""

import pytest
from django.urls import reverse

from reports import documents
from seminars.models import Expense, Scheme, TravelRules
from seminars.services import legs as leg_services
from seminars.services import trips as trip_services

from ..factories import count_queries, enrol, field_block, trainee_of
from .conftest import leg_plan, plan

pytestmark = pytest.mark.django_db

RULES = {
    "scheme": "revised",
    "lodging_ceiling": "9,000",
    "lodging_allowance": "2400",
    "lodging_flat": "13100",
    "daily_allowance": "2200",
    "fare_word": "",
    "lodging_word": "",
    "night_word": "",
    "day_word": "",
}


def host_rules(host):
    return reverse("seminars:host_travel_rules", args=[host.pk])


def municipality_rules(municipality):
    return reverse("seminars:municipality_travel_rules", args=[municipality.pk])


@pytest.fixture
def mixed_trip(program, coordinator, enrollment, kitami, staff, tagawa):
    """田川市 on the older rules, 北見市 and the host on the revised (no rows); one night at
    12,000円, a flight."""
    TravelRules.objects.create(municipality=tagawa, scheme=Scheme.OLDER)
    kitami_enrollment = enrol(program, trainee_of(kitami, "kitami-trainee@example.org"))
    trip = trip_services.save_trip(
        program,
        plan(program, [enrollment, kitami_enrollment], [staff], lodging_cost=12000),
        by=coordinator,
    )
    leg_services.save_leg(trip, leg_plan("12-01 07:00", "12-01 08:40"), by=coordinator)
    return trip


# Who may open them ---------------------------------------------------------------------------


def test_the_anonymous_are_sent_to_log_in(client, host, tagawa):
    for url in (reverse("seminars:travel_rules"), host_rules(host), municipality_rules(tagawa)):
        for response in (client.get(url), client.post(url, RULES)):
            assert response.status_code == 302 and "login" in response["Location"]
    assert not TravelRules.objects.exists()


def test_outsiders_get_404(client, host, tagawa, outsider, other_supervisor, trainee, staff):
    for person, url in (
        (outsider, host_rules(host)),
        (other_supervisor, host_rules(host)),
        (trainee, host_rules(host)),
        (outsider, municipality_rules(tagawa)),
        (other_supervisor, municipality_rules(tagawa)),
        (trainee, municipality_rules(tagawa)),  # a trainee of 田川市 does not set its rules
        (staff, municipality_rules(tagawa)),
    ):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.post(url, RULES).status_code == 404
    assert not TravelRules.objects.exists()


def test_the_hosts_staff_read_its_rules_and_its_coordinators_change_them(
    client, host, staff, coordinator
):
    client.force_login(staff)
    page = client.get(host_rules(host)).content.decode()
    assert "令和7年4月1日からの国の旅費制度" in page and 'name="scheme"' not in page
    assert client.post(host_rules(host), RULES).status_code == 403
    client.force_login(coordinator)
    response = client.post(host_rules(host), {**RULES, "scheme": "older"})
    assert response.status_code == 302
    rules = TravelRules.objects.get(host_company=host)
    assert (rules.scheme, rules.lodging_ceiling, rules.updated_by) == ("older", 9000, coordinator)


def test_the_contact_sets_their_municipalitys_rules_and_the_open_trips_follow(
    client, supervisor, tagawa, mixed_trip, enrollment
):
    client.force_login(supervisor)
    assert "初期値" in client.get(municipality_rules(tagawa)).content.decode()
    response = client.post(municipality_rules(tagawa), RULES)
    assert response.status_code == 302
    labels = set(Expense.objects.filter(enrollment=enrollment).values_list("label", flat=True))
    assert labels == {"交通費", "宿泊費", "宿泊手当"}


def test_a_mistake_is_said_next_to_its_field_and_the_text_is_kept(client, supervisor, tagawa):
    client.force_login(supervisor)
    response = client.post(municipality_rules(tagawa), {**RULES, "lodging_ceiling": "12.5"})
    assert response.status_code == 200
    block = field_block(response.content.decode(), "lodging_ceiling")
    assert "小数" in block or "整数" in block or "円" in block
    assert 'value="12.5"' in block
    response = client.post(municipality_rules(tagawa), {**RULES, "scheme": "own"})
    block = field_block(response.content.decode(), "fare_word")
    assert "区分名" in block
    assert not TravelRules.objects.exists()


def test_the_list_shows_the_rule_sets_a_person_may_open(
    client, coordinator, supervisor, host, tagawa, other_host, kitami
):
    client.force_login(coordinator)
    page = client.get(reverse("seminars:travel_rules")).content.decode()
    assert host_rules(host) in page and host_rules(other_host) not in page
    assert municipality_rules(tagawa) not in page
    client.force_login(supervisor)
    page = client.get(reverse("seminars:travel_rules")).content.decode()
    assert municipality_rules(tagawa) in page and municipality_rules(kitami) not in page
    assert 'href="/travel-rules/"' in page  # in the main navigation


# The payers' own words ------------------------------------------------------------------------


def test_the_lines_page_shows_each_payers_words_ceiling_and_flag(client, coordinator, mixed_trip):
    client.force_login(coordinator)
    url = reverse("seminars:trip_expenses", args=[mixed_trip.program_id, mixed_trip.pk])
    page = client.get(url).content.decode()
    tagawa_part = page.split("負担：福岡県 田川市", 1)[1].split("負担：", 1)[0]
    assert "航空賃" in tagawa_part and "宿泊料" in tagawa_part and "日当" in tagawa_part
    assert "交通費" not in tagawa_part and "上限超過" not in tagawa_part
    kitami_part = page.split("負担：北海道 北見市", 1)[1].split("負担：", 1)[0]
    assert "交通費" in kitami_part and "宿泊手当" in kitami_part and "航空賃" not in kitami_part
    assert "上限超過" in kitami_part and "上限 10,000円" in kitami_part
    trip_page = client.get(
        reverse("seminars:trip_detail", args=[mixed_trip.program_id, mixed_trip.pk])
    ).content.decode()
    assert '<th scope="col" class="num">日当</th>' in trip_page
    assert '<th scope="col" class="num">宿泊手当</th>' in trip_page


def test_a_night_without_its_cost_is_said_on_the_lines_page(
    client, coordinator, program, enrollment, staff
):
    """Lodging at cost needs the cost: until it is on the trip, the page says so (the lines
    cannot hold a 宿泊費 they do not know)."""
    trip = trip_services.save_trip(program, plan(program, [enrollment], [staff]), by=coordinator)
    assert trip.end_date > trip.start_date and trip.lodging_cost is None
    client.force_login(coordinator)
    url = reverse("seminars:trip_expenses", args=[program.pk, trip.pk])
    assert "1泊の宿泊費（実費）が入力されていません" in client.get(url).content.decode()
    trip_services.save_trip(
        program, plan(program, [enrollment], [staff], lodging_cost=9000), trip=trip, by=coordinator
    )
    page = client.get(url).content.decode()
    assert "入力されていません" not in page and "宿泊費" in page


def test_the_supervisor_sees_their_trainees_lines_and_the_link_to_their_rules(
    client, supervisor, mixed_trip, tagawa
):
    client.force_login(supervisor)
    url = reverse("seminars:trip_expenses", args=[mixed_trip.program_id, mixed_trip.pk])
    page = client.get(url).content.decode()
    assert "日当" in page and "北見市" not in page
    assert f'href="{municipality_rules(tagawa)}"' in page


def test_the_lines_page_runs_as_many_queries_for_more_legs_and_payers(
    client, coordinator, mixed_trip, program, other_supervisor
):
    client.force_login(coordinator)
    url = reverse("seminars:trip_expenses", args=[mixed_trip.program_id, mixed_trip.pk])
    few, _ctx = count_queries(client, url)
    from programs.models import Municipality

    from ..factories import municipality_code

    people = list(mixed_trip.trainees.all())
    for i in range(3):
        place = Municipality.objects.create(name=f"市{i}", prefecture=13, code=municipality_code(i))
        TravelRules.objects.create(municipality=place, scheme=Scheme.OLDER)
        people.append(enrol(program, trainee_of(place, f"more{i}@example.org")))
    trip_services.save_trip(
        program,
        plan(program, people, list(mixed_trip.staff.all()), lodging_cost=12000),
        by=coordinator,
        trip=mixed_trip,
    )
    for i in range(4):
        leg_services.save_leg(
            mixed_trip,
            leg_plan(f"12-02 0{i + 1}:00", f"12-02 0{i + 1}:30", mode="rail", fare=300 + i),
            by=coordinator,
        )
    many, ctx = count_queries(client, url)
    assert Expense.objects.filter(trip=mixed_trip).count() > 30
    assert many == few, [q["sql"] for q in ctx.captured_queries]


def test_the_csv_names_each_payers_categories_and_the_ceiling(client, coordinator, mixed_trip):
    client.force_login(coordinator)
    response = client.get(
        reverse("reports:trip_expenses_csv", args=[mixed_trip.program_id, mixed_trip.pk])
    )
    import csv
    import io

    body = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][-3:] == ["1泊の実費（円）", "1泊の上限（円）", "上限超過"]
    words = {r[3] for r in rows[1:]}
    assert {"航空賃", "宿泊料", "日当", "交通費", "宿泊費", "宿泊手当"} <= words
    capped = [r for r in rows[1:] if r[3] == "宿泊費"]
    assert capped and all(r[-3:] == ["12000", "10000", "上限超過"] for r in capped)


def test_the_itinerary_document_names_each_travellers_payer_and_words(mixed_trip, enrollment):
    html = documents.itinerary_html(mixed_trip)
    pages = html.split('<section class="itinerary__page"')[1:]
    tagawa_page = next(p for p in pages if "福岡県 田川市" in p.split("</table>", 2)[1])
    assert "日当" in tagawa_page and "宿泊料" in tagawa_page and "宿泊手当" not in tagawa_page
    kitami_page = next(p for p in pages if "負担：北海道 北見市" in p)
    assert "交通費" in kitami_page and "上限超過" in kitami_page
    assert "実費 12,000円、上限 10,000円" in kitami_page


def test_the_demo_trip_has_a_municipality_on_each_set():
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    from seminars.models import Trip

    trip = Trip.objects.get(program__title="ITベンチャー研修（田川市・デモ）")
    words = {
        name: set(
            Expense.objects.filter(trip=trip, enrollment__municipality__name=name).values_list(
                "label", flat=True
            )
        )
        for name in ("田川市", "北見市")
    }
    assert {"航空賃", "鉄道賃", "車賃", "日当", "宿泊料"} <= words["田川市"]
    assert words["北見市"] == {"交通費", "宿泊費", "宿泊手当"}
    assert Expense.objects.filter(trip=trip, generated=False).exists()
