"""Who may see or change a program is read from the database on every request: a coordinator
whose role is taken away, in any way it can be taken, gets 403 (or 404) on the very next
request, with every cached page warm."""

import pytest
from django.test import Client
from django.urls import reverse

from programs.models import Membership, Role
from programs.services.memberships import remove_membership

pytestmark = pytest.mark.django_db


def _membership(user, host):
    return Membership.objects.get(user=user, host_company=host)


def demote_with_update(coordinator, host, operator):
    Membership.objects.filter(user=coordinator, host_company=host).update(role=Role.STAFF)


def demote_in_the_admin(coordinator, host, operator):
    admin = Client()
    admin.force_login(operator)
    membership = _membership(coordinator, host)
    response = admin.post(
        reverse("admin:programs_membership_change", args=[membership.pk]),
        {"user": coordinator.pk, "role": Role.STAFF, "host_company": host.pk, "municipality": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def demote_from_a_shell(coordinator, host, operator):
    membership = _membership(coordinator, host)
    membership.role = Role.STAFF
    membership.save()


DEMOTIONS = [demote_with_update, demote_in_the_admin, demote_from_a_shell]


def _warm(client, program):
    """Every cached page the coordinator uses, rendered once so its fragment is kept."""
    for name, args in (
        ("programs:program_list", []),
        ("programs:host_home", []),
        ("programs:program_detail", [program.pk]),
        ("programs:week_grid", [program.pk]),
        ("trainees:reflection_matrix", [program.pk]),
        ("seminars:trip_list", [program.pk]),
        ("programs:program_edit", [program.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 200, name


@pytest.mark.parametrize("demote", DEMOTIONS, ids=lambda f: f.__name__)
def test_a_demoted_coordinator_may_read_but_no_longer_change(
    client, coordinator, host, program, operator, demote
):
    client.force_login(coordinator)
    _warm(client, program)
    assert "?add=" in client.get(reverse("programs:week_grid", args=[program.pk])).content.decode()
    demote(coordinator, host, operator)
    assert Membership.objects.get(user=coordinator, host_company=host).role == Role.STAFF
    assert client.get(reverse("programs:program_edit", args=[program.pk])).status_code == 403
    assert (
        client.post(
            reverse("programs:program_move", args=[program.pk]), {"move": "unpublish"}
        ).status_code
        == 403
    )
    # The kept week is drawn for the person's roles as read now: no more "add" slots.
    page = client.get(reverse("programs:week_grid", args=[program.pk]))
    assert page.status_code == 200 and "?add=" not in page.content.decode()


REMOVALS = {
    "service": lambda m, by: remove_membership(m, by=by),
    "delete": lambda m, by: Membership.objects.filter(pk=m.pk).delete(),
    "shell": lambda m, by: m.delete(),
}


@pytest.mark.parametrize("way", REMOVALS)
def test_someone_taken_off_the_host_gets_404_at_once(
    client, coordinator, staff, host, program, way
):
    client.force_login(staff)
    for name, args in (
        ("programs:program_list", []),
        ("programs:week_grid", [program.pk]),
        ("seminars:trip_list", [program.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 200
    REMOVALS[way](_membership(staff, host), coordinator)
    for name in (
        "programs:program_detail",
        "programs:week_grid",
        "trainees:reflection_matrix",
        "seminars:trip_list",
    ):
        assert client.get(reverse(name, args=[program.pk])).status_code == 404, name
    assert program.title not in client.get(reverse("programs:program_list")).content.decode()


def test_the_roles_come_with_the_signed_in_user_in_one_query(client, coordinator, program):
    """programs.auth loads the person and their memberships together on each request: no
    second query for the roles, and a membership changed between two requests counts."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as page:
        assert client.get(reverse("programs:program_edit", args=[program.pk])).status_code == 200
    membership_reads = [q["sql"] for q in page if '"programs_membership"' in q["sql"]]
    assert len(membership_reads) == 1
    assert '"programs_user"' in membership_reads[0]
    demote_with_update(coordinator, program.host, None)
    assert client.get(reverse("programs:program_edit", args=[program.pk])).status_code == 403


def test_the_sign_in_backend_loads_the_same_user_and_roles(coordinator, trainee, supervisor):
    from programs import access
    from programs.auth import ModelBackend
    from programs.models import User

    backend = ModelBackend()
    for person in (coordinator, trainee, supervisor):
        loaded = backend.get_user(str(person.pk))
        fresh = User.objects.get(pk=person.pk)
        assert [getattr(loaded, f.attname) for f in User._meta.concrete_fields] == [
            getattr(fresh, f.attname) for f in User._meta.concrete_fields
        ]
        assert loaded._kenshu_roles == access.roles_of(fresh)
    assert backend.get_user("not-an-id") is None
    assert backend.get_user(str(max(u.pk for u in User.objects.all()) + 1)) is None
    User.objects.filter(pk=trainee.pk).update(is_active=False)
    assert backend.get_user(str(trainee.pk)) is None
