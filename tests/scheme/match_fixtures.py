"""A confirmed match built directly (the confirmation service is another's): a call whose
window has closed, the host's offer of four weeks with two places, 田川市's application for
two staff, and the match with its draft program at the host. Dates from today."""

from datetime import timedelta

import pytest
from django.utils import timezone

from programs.models import Role
from scheme.models import Match
from tests.factories import ProgramFactory, host_member, supervisor_of

from .factories import make_application, make_call, make_offer, office_member


@pytest.fixture
def office(db):
    return office_member()


@pytest.fixture
def call(db):
    return make_call(timezone.localdate(), open_now=False)


@pytest.fixture
def offer(call, host):
    return make_offer(call, host, call.weeks()[:4], places=2)


def confirm(call, offer, application, *, week=None, staff=None, by=None) -> Match:
    week = week or call.first_week
    program = ProgramFactory(
        host=offer.host,
        status="draft",
        title=f"ITベンチャー研修（{application.municipality.name}）",
        start_date=week,
        end_date=week + timedelta(days=4),
    )
    return Match.objects.create(
        call=call,
        application=application,
        offer=offer,
        host=offer.host,
        start_week=week,
        weeks=1,
        staff=staff or application.staff,
        program=program,
        confirmed_by=by,
        confirmed_at=timezone.now(),
    )


@pytest.fixture
def match(call, offer, tagawa, host, coordinator, supervisor, office):
    application = make_application(call, tagawa, hosts=[host], staff=2)
    return confirm(call, offer, application, by=office)


@pytest.fixture
def host_staff(host):
    return host_member(host, Role.STAFF, "host-staff@example.org")


@pytest.fixture
def kitami_contact(kitami):
    return supervisor_of(kitami, "kitami-contact@example.org")


def named(row: int, email: str, **fields) -> dict:
    """One person as the staff form hands them to name_staff."""
    person = {"family_name": "山田", "given_name": "花子", "department": "", "position": ""}
    return {**person, **fields, "row": row, "email": email}
