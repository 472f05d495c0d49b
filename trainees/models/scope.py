"""Subqueries every scoped manager of this app starts from, and shared querysets."""

from django.db import models
from django.db.models import Q

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


class BuiltInOrOwnQuerySet(models.QuerySet):
    """Question sets and interview templates: built in (no host) or the host's own."""

    def usable_by(self, host):
        return self.filter(Q(host__isnull=True) | Q(host=host))
