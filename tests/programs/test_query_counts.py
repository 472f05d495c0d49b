"""List and dashboard pages run the same number of queries whatever the number of rows."""

import pytest
from django.urls import reverse

from programs.models import Role
from programs.services.invitations import create_invitation

from ..factories import MembershipFactory, TraineeProfileFactory, UserFactory, count_queries

pytestmark = pytest.mark.django_db


def grow_host(host, coordinator, n):
    for _ in range(n):
        MembershipFactory(host_company=host, role=Role.STAFF)
        create_invitation(
            invited_by=coordinator,
            email=UserFactory.build().email,
            role=Role.STAFF,
            host_company=host,
        )


@pytest.mark.parametrize("url_name", ["programs:host_home", "programs:host_people"])
def test_host_pages(client, coordinator, host, url_name):
    args = [host.pk] if url_name == "programs:host_people" else []
    client.force_login(coordinator)
    grow_host(host, coordinator, 5)
    few, _ = count_queries(client, reverse(url_name, args=args))
    grow_host(host, coordinator, 45)
    many, ctx = count_queries(client, reverse(url_name, args=args))
    assert few == many, "\n".join(q["sql"] for q in ctx.captured_queries)


def test_municipality_home(client, supervisor, tagawa, program):
    """The contact's home: one row per enrolment (tests/reports/test_contact_pages.py has
    the figures)."""
    from ..factories import enrol

    client.force_login(supervisor)
    for _ in range(5):
        enrol(program, TraineeProfileFactory(municipality=tagawa).user)
    few, _ = count_queries(client, reverse("reports:municipality_home"))
    for _ in range(45):
        enrol(program, TraineeProfileFactory(municipality=tagawa).user)
    many, ctx = count_queries(client, reverse("reports:municipality_home"))
    assert few == many, "\n".join(q["sql"] for q in ctx.captured_queries)


def grow_programs(host, n, start_index=0):
    from datetime import date, timedelta

    from ..factories import ProgramFactory, add_activity, enrol

    for i in range(start_index, start_index + n):
        start = date(2026, 4, 6) + timedelta(days=7 * (i % 40))
        program = ProgramFactory(
            host=host, title=f"研修 {i}", start_date=start, end_date=start + timedelta(days=4)
        )
        trainee = TraineeProfileFactory().user
        enrol(program, trainee)
        add_activity(program, start, "10:00", "11:00")


def test_program_list(client, coordinator, host):
    client.force_login(coordinator)
    grow_programs(host, 5)
    few, _ = count_queries(client, reverse("programs:program_list"))
    grow_programs(host, 45, start_index=5)
    many, ctx = count_queries(client, reverse("programs:program_list"))
    assert few == many, "\n".join(q["sql"] for q in ctx.captured_queries)


def test_dashboard(client, coordinator, host, monkeypatch):
    from datetime import date

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 4, 7))
    client.force_login(coordinator)
    grow_programs(host, 5)
    few, _ = count_queries(client, reverse("programs:host_home"))
    grow_programs(host, 45, start_index=40)  # the same weeks again: more running at once
    many, ctx = count_queries(client, reverse("programs:host_home"))
    assert few == many, "\n".join(q["sql"] for q in ctx.captured_queries)


def test_week_grid(client, coordinator, program, tagawa):
    from datetime import date, timedelta

    from ..factories import add_activity, enrol

    client.force_login(coordinator)
    enrollments = [
        enrol(program, TraineeProfileFactory(municipality=tagawa).user) for _ in range(3)
    ]

    def grow(n, offset):
        for i in range(n):
            day = program.start_date + timedelta(days=i % 5)
            hour = 8 + (offset + i) // 5
            add_activity(
                program,
                day,
                f"{hour:02d}:00",
                f"{hour:02d}:45",
                f"活動{offset + i}",
                participants=[enrollments[i % 3]],
            )

    grow(5, 0)
    few, _ = count_queries(client, reverse("programs:week_grid", args=[program.pk]))
    grow(45, 5)
    many, ctx = count_queries(client, reverse("programs:week_grid", args=[program.pk]))
    assert few == many, "\n".join(q["sql"] for q in ctx.captured_queries)
    assert date(2026, 11, 30) == program.start_date
