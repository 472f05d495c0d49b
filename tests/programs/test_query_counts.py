"""List and dashboard pages run the same number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Role
from programs.services.invitations import create_invitation

from ..factories import MembershipFactory, TraineeProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), ctx


def grow_host(host, coordinator, n):
    for _ in range(n):
        MembershipFactory(host_company=host, role=Role.STAFF)
        create_invitation(
            invited_by=coordinator,
            email=UserFactory.build().email,
            role=Role.STAFF,
            host_company=host,
        )


@pytest.mark.parametrize("url_name", ["host_home", "host_people"])
def test_host_pages(client, coordinator, host, url_name):
    args = [host.pk] if url_name == "host_people" else []
    client.force_login(coordinator)
    grow_host(host, coordinator, 5)
    few, _ = count_queries(client, reverse(url_name, args=args))
    grow_host(host, coordinator, 45)
    many, ctx = count_queries(client, reverse(url_name, args=args))
    assert few == many, "\n".join(q["sql"] for q in ctx.captured_queries)


def test_municipality_home(client, supervisor, tagawa):
    client.force_login(supervisor)
    for _ in range(5):
        TraineeProfileFactory(municipality=tagawa)
    few, _ = count_queries(client, reverse("municipality_home"))
    for _ in range(45):
        TraineeProfileFactory(municipality=tagawa)
    many, ctx = count_queries(client, reverse("municipality_home"))
    assert few == many, "\n".join(q["sql"] for q in ctx.captured_queries)
