"""Subqueries every scoped manager of this app starts from."""

from programs.models import Membership, Role
from programs.models.organisations import HOST_ROLES


def _host_ids(user):
    return Membership.objects.filter(user=user, role__in=HOST_ROLES).values("host_company")


def _supervised(user):
    return Membership.objects.filter(user=user, role=Role.SUPERVISOR).values("municipality")


def in_page_language(japanese: str, english: str) -> str:
    """The English text on English pages when there is one; Japanese otherwise."""
    from django.utils import translation

    return english if english and translation.get_language() == "en" else japanese
