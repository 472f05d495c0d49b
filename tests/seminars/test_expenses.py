"""Expenses in whole yen: who they are for, who pays, the totals an accounting office asks
for, and the form's plain messages for decimals and negative amounts."""

import pytest

from seminars.forms import ExpenseForm
from seminars.models import Expense
from seminars.services import expenses as expense_services
from seminars.services.common import TripRefused

pytestmark = pytest.mark.django_db


ALLOWANCE = 2400  # 宿泊手当 for the trip's one night, under the starting (revised) rules


def add(trip, coordinator, participant, kind, amount, payer="municipality", note=""):
    return expense_services.save_expense(
        trip,
        expense_services.ExpensePlan(participant, kind, amount, payer, note),
        by=coordinator,
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [("12.5", "Whole yen only"), ("-3", "cannot be negative"), ("abc", "Whole yen only")],
)
def test_the_form_refuses_decimals_and_negative_yen_and_keeps_the_text(trip, typed, message):
    from django.utils import translation

    people = [{"key": "e1", "name": "田中"}]
    with translation.override("en"):
        form = ExpenseForm(
            {"participant": "e1", "kind": "other", "amount": typed, "payer": "municipality"},
            people=people,
        )
        assert not form.is_valid()
        assert message in form.errors["amount"][0]
        assert f'value="{typed}"' in str(form["amount"])


def test_the_form_reads_yen_as_people_type_it(trip):
    form = ExpenseForm(
        {"participant": "e1", "kind": "other", "amount": "１２，０００円", "payer": "host"},
        people=[{"key": "e1", "name": "田中"}],
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == 12000


def test_the_host_pays_for_its_own_staff(trip, coordinator, staff):
    with pytest.raises(TripRefused) as refused:
        add(trip, coordinator, f"s{staff.pk}", "other", 2200, payer="municipality")
    assert refused.value.field == "payer"


def test_only_people_on_the_trip_have_expenses(trip, coordinator, elsewhere, outsider):
    for key in (f"e{elsewhere.pk}", f"s{outsider.pk}", "x1", "e"):
        with pytest.raises(TripRefused) as refused:
            add(trip, coordinator, key, "other", 2200)
        assert refused.value.field == "participant"
    assert not Expense.objects.filter(generated=False).exists()


def test_a_negative_amount_is_refused_by_the_service_too(trip, coordinator, enrollment):
    with pytest.raises(TripRefused):
        add(trip, coordinator, f"e{enrollment.pk}", "other", -1)


def test_staff_cannot_add_expenses(trip, staff, enrollment):
    with pytest.raises(TripRefused):
        add(trip, staff, f"e{enrollment.pk}", "other", 2200)


def test_a_computed_line_is_changed_through_the_trip(trip, first_leg, coordinator, enrollment):
    line = Expense.objects.get(leg=first_leg, enrollment=enrollment)
    assert line.generated
    with pytest.raises(TripRefused):
        expense_services.delete_expense(line, by=coordinator)
    with pytest.raises(TripRefused):
        expense_services.save_expense(
            trip,
            expense_services.ExpensePlan(f"e{enrollment.pk}", "fare_air", 38000, "host", line.note),
            by=coordinator,
            expense=line,
        )
    line.refresh_from_db()
    assert (line.payer, line.amount) == ("municipality", 38000)


def test_a_hand_line_takes_the_payers_word_or_its_own(trip, coordinator, enrollment):
    line = add(trip, coordinator, f"e{enrollment.pk}", "lodging", 9000)
    assert (line.label, line.generated) == ("宿泊費", False)
    # The revised set has no allowance per day: the line must be named in the payer's words.
    with pytest.raises(TripRefused) as refused:
        add(trip, coordinator, f"e{enrollment.pk}", "daily_allowance", 1000)
    assert refused.value.field == "label"
    named = expense_services.save_expense(
        trip,
        expense_services.ExpensePlan(
            f"e{enrollment.pk}", "daily_allowance", 1000, "municipality", label="雑費"
        ),
        by=coordinator,
    )
    assert named.label == "雑費"


def test_totals_per_participant_payer_and_municipality(
    trip, first_leg, coordinator, enrollment, second_enrollment, staff, host
):
    add(trip, coordinator, f"e{enrollment.pk}", "lodging", 10900)
    add(trip, coordinator, f"e{second_enrollment.pk}", "other", 4400, payer="host")
    add(trip, coordinator, f"s{staff.pk}", "lodging", 10900, payer="host")
    lines = expense_services.lines(trip)
    totals = expense_services.totals(lines, host.name)
    people = dict(totals["per_person"])
    assert people == {
        enrollment.trainee.display_name: 38000 + ALLOWANCE + 10900,
        second_enrollment.trainee.display_name: 38000 + ALLOWANCE + 4400,
        staff.display_name: 38000 + ALLOWANCE + 10900,
    }
    tagawa = 38000 + ALLOWANCE + 10900 + 38000 + ALLOWANCE
    assert dict(totals["per_payer"]) == {
        "福岡県 田川市": tagawa,
        host.name: 4400 + 38000 + ALLOWANCE + 10900,
    }
    assert dict(totals["per_municipality"]) == {"福岡県 田川市": tagawa}
    assert totals["total"] == sum(people.values())
    tables = expense_services.by_category(lines, host.name)
    assert [t["payer"] for t in tables] == ["福岡県 田川市", host.name]
    assert tables[0]["categories"] == ["交通費", "宿泊費", "宿泊手当"]
    assert tables[0]["column_totals"][0] == 2 * 38000  # 交通費
    assert tables[1]["categories"] == ["交通費", "宿泊費", "宿泊手当", "その他"]
    assert sum(t["total"] for t in tables) == totals["total"]


def test_two_people_of_the_same_name_are_two_rows(
    trip, first_leg, enrollment, second_enrollment, host
):
    for trainee in (enrollment.trainee, second_enrollment.trainee):
        trainee.family_name, trainee.given_name = "田中", "翔"
        trainee.save()
    lines = expense_services.lines(trip)
    assert len(expense_services.totals(lines, host.name)["per_person"]) == 3
    tables = expense_services.by_category(lines, host.name)
    assert sum(len(t["rows"]) for t in tables) == 3


@pytest.mark.parametrize("taken_off", [False, True], ids=["on the trip", "taken off by hand"])
def test_the_trip_page_prints_the_totals_the_service_computes(
    client, trip, first_leg, coordinator, enrollment, second_enrollment, staff, host, taken_off
):
    """The trip page sums its lines itself (seminars/selectors/expenses.py, from `.values()` rows,
    named from the travellers): its totals per payer and per municipality, the grand total
    and each person's row are the service's, also for a line whose person was taken off the
    trip behind the services' back."""
    import re

    from django.core.cache import cache
    from django.urls import reverse

    from seminars.selectors.common import yen

    add(trip, coordinator, f"e{enrollment.pk}", "lodging", 10900)
    add(trip, coordinator, f"e{second_enrollment.pk}", "other", 4400, payer="host")
    add(trip, coordinator, f"s{staff.pk}", "lodging", 10900, payer="host")
    if taken_off:
        trip.trainees.through.objects.filter(enrollment=second_enrollment).delete()
        cache.clear()
    lines = expense_services.lines(trip)
    totals = expense_services.totals(lines, host.name)
    client.force_login(coordinator)
    page = client.get(
        reverse("seminars:trip_detail", args=[trip.program_id, trip.pk])
    ).content.decode()
    for table in expense_services.by_category(lines, host.name):
        assert table["payer"] in page
        for row in table["rows"]:
            assert f'<th scope="row">{row["name"]}' in page

    def facts(heading):
        section = page.split(f"<h3>{heading}</h3>", 1)[1].split("</dl>", 1)[0]
        return dict(re.findall(r"<dt>([^<]*)</dt><dd class=\"num\">([^<]*)</dd>", section))

    assert facts("負担者別") == {name: yen(n) for name, n in totals["per_payer"]}
    assert facts("自治体別") == {name: yen(n) for name, n in totals["per_municipality"]}
    assert f"<strong>{yen(totals['total'])}</strong>" in page


def test_a_reader_outside_the_host_sees_sums_of_someone_taken_off_by_hand(
    client, trip, first_leg, coordinator, enrollment, second_enrollment, supervisor
):
    """The supervisor of the trainees' municipality reads the trip page, its sums named by the
    joined query when a line's person was taken off the trip behind the services' back."""
    from django.core.cache import cache
    from django.urls import reverse

    add(trip, coordinator, f"e{second_enrollment.pk}", "other", 4400)
    trip.trainees.through.objects.filter(enrollment=second_enrollment).delete()
    cache.clear()
    client.force_login(supervisor)
    response = client.get(reverse("seminars:trip_detail", args=[trip.program_id, trip.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<th scope="row">{second_enrollment.trainee.display_name}' in html
