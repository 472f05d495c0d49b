"""The people and the call of the call, offer and application tests (imported by them)."""

import pytest
from django.utils import timezone

from tests.scheme.factories import make_call, office_member

__all__ = ["call", "closed_call", "office", "today"]


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def office(db):
    return office_member()


@pytest.fixture
def call(db, today):
    return make_call(today)


@pytest.fixture
def closed_call(db, today):
    return make_call(today, open_now=False, fiscal_year=2001)
