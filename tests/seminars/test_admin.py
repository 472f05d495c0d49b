"""Operators read trips, seminars, trip reports and built documents in the admin; they do
not change them there (the services keep the week and the fares in step)."""

import pytest
from django.urls import reverse

from programs.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return User.objects.create_superuser(email="ops@example.org", password="x" * 12)


@pytest.mark.parametrize(
    ("app", "model"),
    [
        ("seminars", "trip"),
        ("seminars", "seminar"),
        ("seminars", "tripreport"),
        ("reports", "report"),
    ],
)
def test_changelists_open(client, operator, app, model, trip, first_leg, seminar):
    client.force_login(operator)
    assert client.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 200


def test_a_trip_is_read_not_changed(client, operator, trip, first_leg):
    client.force_login(operator)
    page = client.get(reverse("admin:seminars_trip_change", args=[trip.pk]))
    assert page.status_code == 200
    assert "福岡空港" in page.content.decode()
    response = client.post(
        reverse("admin:seminars_trip_change", args=[trip.pk]), {"purpose": "書き換え"}
    )
    assert response.status_code == 403
    trip.refresh_from_db()
    assert trip.purpose != "書き換え"
