"""What every scoped manager of this app starts from: the core's subqueries of the hosts a
person works for and the municipalities they supervise, and whether they staff the office."""

from programs.models import Membership, Role, supervised_by, worked_for

host_ids = worked_for
supervised = supervised_by


def staffs_office(user) -> bool:
    """The user is one of the scheme office's staff (read from the database)."""
    return Membership.objects.filter(user=user, role=Role.OFFICE).exists()
