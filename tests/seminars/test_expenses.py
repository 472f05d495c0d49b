"""Expenses in whole yen: who they are for, who pays, the totals an accounting office asks
for, and the form's plain messages for decimals and negative amounts."""

import pytest

from seminars.forms import ExpenseForm
from seminars.models import Expense
from seminars.services import expenses as expense_services
from seminars.services.common import TripRefused

pytestmark = pytest.mark.django_db


def add(trip, coordinator, participant, category, amount, payer="municipality", note=""):
    return expense_services.save_expense(
        trip,
        expense_services.ExpensePlan(participant, category, amount, payer, note),
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
            {"participant": "e1", "category": "daily", "amount": typed, "payer": "municipality"},
            people=people,
        )
        assert not form.is_valid()
        assert message in form.errors["amount"][0]
        assert f'value="{typed}"' in str(form["amount"])


def test_the_form_reads_yen_as_people_type_it(trip):
    form = ExpenseForm(
        {"participant": "e1", "category": "daily", "amount": "１２，０００円", "payer": "host"},
        people=[{"key": "e1", "name": "田中"}],
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == 12000


def test_the_host_pays_for_its_own_staff(trip, coordinator, staff):
    with pytest.raises(TripRefused) as refused:
        add(trip, coordinator, f"s{staff.pk}", "daily", 2200, payer="municipality")
    assert refused.value.field == "payer"


def test_only_people_on_the_trip_have_expenses(trip, coordinator, elsewhere, outsider):
    for key in (f"e{elsewhere.pk}", f"s{outsider.pk}", "x1", "e"):
        with pytest.raises(TripRefused) as refused:
            add(trip, coordinator, key, "daily", 2200)
        assert refused.value.field == "participant"
    assert not Expense.objects.exists()


def test_a_negative_amount_is_refused_by_the_service_too(trip, coordinator, enrollment):
    with pytest.raises(TripRefused):
        add(trip, coordinator, f"e{enrollment.pk}", "daily", -1)


def test_staff_cannot_add_expenses(trip, staff, enrollment):
    with pytest.raises(TripRefused):
        add(trip, staff, f"e{enrollment.pk}", "daily", 2200)


def test_a_fare_line_is_changed_through_its_leg(trip, first_leg, coordinator, enrollment):
    line = Expense.objects.get(leg=first_leg, enrollment=enrollment)
    with pytest.raises(TripRefused):
        expense_services.delete_expense(line, by=coordinator)
    # Its payer may change; its amount may not (the next sync of the legs would undo it).
    with pytest.raises(TripRefused) as refused:
        expense_services.save_expense(
            trip,
            expense_services.ExpensePlan(f"e{enrollment.pk}", "air", 30000, "host", line.note),
            by=coordinator,
            expense=line,
        )
    assert refused.value.field == "amount"
    expense_services.save_expense(
        trip,
        expense_services.ExpensePlan(f"e{enrollment.pk}", "air", 38000, "host", line.note),
        by=coordinator,
        expense=line,
    )
    line.refresh_from_db()
    assert (line.payer, line.amount) == ("host", 38000)


def test_totals_per_participant_payer_and_municipality(
    trip, first_leg, coordinator, enrollment, second_enrollment, staff, host
):
    add(trip, coordinator, f"e{enrollment.pk}", "lodging", 10900)
    add(trip, coordinator, f"e{second_enrollment.pk}", "daily", 4400, payer="host")
    add(trip, coordinator, f"s{staff.pk}", "lodging", 10900, payer="host")
    lines = expense_services.lines(trip)
    totals = expense_services.totals(lines, host.name)
    people = dict(totals["per_person"])
    assert people == {
        enrollment.trainee.display_name: 38000 + 10900,
        second_enrollment.trainee.display_name: 38000 + 4400,
        staff.display_name: 38000 + 10900,
    }
    assert dict(totals["per_payer"]) == {
        "福岡県 田川市": 38000 + 10900 + 38000,
        host.name: 4400 + 38000 + 10900,
    }
    assert dict(totals["per_municipality"]) == {"福岡県 田川市": 38000 + 10900 + 38000}
    assert totals["total"] == sum(people.values())
    matrix = expense_services.by_category(lines)
    assert matrix["column_totals"][1] == 3 * 38000  # 航空賃
    assert sum(matrix["column_totals"]) == totals["total"]


def test_two_people_of_the_same_name_are_two_rows(
    trip, first_leg, enrollment, second_enrollment, host
):
    for trainee in (enrollment.trainee, second_enrollment.trainee):
        trainee.family_name, trainee.given_name = "田中", "翔"
        trainee.save()
    lines = expense_services.lines(trip)
    assert len(expense_services.totals(lines, host.name)["per_person"]) == 3
    assert len(expense_services.by_category(lines)["rows"]) == 3


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
    add(trip, coordinator, f"e{second_enrollment.pk}", "daily", 4400, payer="host")
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
    for row in expense_services.by_category(lines)["rows"]:
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

    add(trip, coordinator, f"e{second_enrollment.pk}", "daily", 4400)
    trip.trainees.through.objects.filter(enrollment=second_enrollment).delete()
    cache.clear()
    client.force_login(supervisor)
    response = client.get(reverse("seminars:trip_detail", args=[trip.program_id, trip.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<th scope="row">{second_enrollment.trainee.display_name}' in html
