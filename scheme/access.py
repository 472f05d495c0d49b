"""One access helper per object kind of the scheme: each starts from a scoped queryset, so
whatever lies outside the person's scope answers 404; a person who may read but not change
gets 403 when they try to change it."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from programs import access as core_access

from .models import Application, Call, Match, Offer


def is_office(user) -> bool:
    """One of the scheme office's staff, or an operator (memberships read once per request)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or core_access.roles_of(user)["office"]


def require_office(user) -> None:
    """The office's own pages: 404 for anyone else."""
    if not is_office(user):
        raise Http404


def get_call_for_user(user, pk: int) -> Call:
    """A call the user may read (the office: any; hosts and municipalities: published)."""
    return get_object_or_404(Call.objects.visible_to(user), pk=pk)


def get_call_to_run(user, pk: int) -> Call:
    """A call for the office to change: 404 for anyone else."""
    require_office(user)
    return get_object_or_404(Call.objects.run_by(user), pk=pk)


def get_offer_for_user(user, call: Call, pk: int) -> Offer:
    return get_object_or_404(
        Offer.objects.visible_to(user).select_related("host", "call"), call=call, pk=pk
    )


def get_application_for_user(user, call: Call, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(user).select_related("municipality", "call"),
        call=call,
        pk=pk,
    )


def get_match_for_user(user, pk: int) -> Match:
    return get_object_or_404(
        Match.objects.visible_to(user).select_related(
            "call", "host", "application__municipality", "program"
        ),
        pk=pk,
    )
