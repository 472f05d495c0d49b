"""Subqueries every scoped manager of this app starts from."""

from programs.models import Membership, Role
from programs.models.organisations import HOST_ROLES


def host_ids(user):
    return Membership.objects.filter(user=user, role__in=HOST_ROLES).values("host_company")


def supervised(user):
    return Membership.objects.filter(user=user, role=Role.SUPERVISOR).values("municipality")


def signed_in(user) -> bool:
    return user.is_authenticated and user.is_active


def is_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_superuser
