"""Odd integers on the trip pages (tests/programs/test_integer_input.py says why these
values): the trip form refuses an odd destination, trainee or staff member next to the field
and keeps what was typed; a seminar's ?trip= and an expense's person name a row or nothing."""

import pytest
from django.urls import reverse

from programs.integers import ID_MAX
from seminars.forms import TripForm
from seminars.models import Seminar, Trip
from seminars.services import expenses as expense_services
from seminars.services.common import TripRefused

pytestmark = pytest.mark.django_db

HUGE = str(2**70)
ODD = [HUGE, str(-(2**70)), str(ID_MAX + 1), "1e5", " 12", "٣", "１２", "12abc", "9" * 5000]


def trip_data(program, enrollment, **changes):
    return {
        "purpose": "地域ワーカー向け説明会の開催",
        "start_date": "2026-12-01",
        "end_date": "2026-12-02",
        "trainees": [enrollment.pk],
        "lodging": "伊那市内のホテル",
        "status": "planned",
        **changes,
    }


@pytest.mark.parametrize("odd", ODD + [str(2**31)])
def test_the_trip_form_refuses_odd_destinations_trainees_and_staff(
    client, program, enrollment, coordinator, tagawa, odd
):
    data = trip_data(program, enrollment, municipalities=[tagawa.code])
    assert TripForm(data, program=program).is_valid()
    for field in ("municipalities", "trainees", "staff"):
        form = TripForm(data | {field: [odd]}, program=program)
        assert not form.is_valid()
        assert [e.code for e in form.errors.as_data()[field]] == ["invalid_choice"], field
    client.force_login(coordinator)
    response = client.post(
        reverse("seminars:trip_new", args=[program.pk]),
        data | {"municipalities": [tagawa.code, odd]},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "field-errors" in html and 'value="地域ワーカー向け説明会の開催"' in html
    assert not Trip.objects.exists()


@pytest.mark.parametrize("odd", ODD)
def test_a_new_seminar_for_an_odd_trip_is_not_found(client, program, trip, coordinator, odd):
    client.force_login(coordinator)
    url = reverse("seminars:seminar_new", args=[program.pk])
    assert client.get(url, {"trip": odd}).status_code == 404
    assert client.post(url + f"?trip={odd}", {"title": "x"}).status_code == 404
    assert client.get(url, {"trip": trip.pk}).status_code == 200
    assert not Seminar.objects.exists()


@pytest.mark.parametrize("odd", ODD)
def test_an_expense_for_an_odd_person_is_refused_at_the_person(trip, coordinator, odd):
    for kind in ("e", "s"):
        with pytest.raises(TripRefused) as refused:
            expense_services.save_expense(
                trip,
                expense_services.ExpensePlan(kind + odd, "other", 1000, "host"),
                by=coordinator,
            )
        assert refused.value.field == "participant"
    assert not trip.expenses.filter(amount=1000).exists()


@pytest.mark.parametrize("odd", [str(2**70), "100001", "-1", "1e5"])
def test_the_seminar_form_bounds_the_attendance(odd):
    from django.core.exceptions import ValidationError

    from seminars.forms import SeminarForm
    from seminars.services.seminars import MAX_ATTENDANCE

    for name in ("expected_attendance", "actual_attendance"):
        field = SeminarForm.base_fields[name]
        with pytest.raises(ValidationError):
            field.clean(odd)
        assert field.clean(str(MAX_ATTENDANCE)) == MAX_ATTENDANCE
