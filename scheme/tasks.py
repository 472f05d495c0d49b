"""Celery tasks of the scheme. Each takes ids, loads rows and sends one kind of mail."""

from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from programs.mail import KenshuEmail
from programs.models import Membership, Role

from .models import Match, MatchStatus


def _link(name: str, *args) -> str:
    return settings.KENSHU_BASE_URL.rstrip("/") + reverse(name, args=args)


def contact_link(match: Match) -> str:
    """The contact's page of the match (where staff are named), or the calls' list when
    that page is not installed."""
    try:
        return _link("scheme:match_detail", match.pk)
    except NoReverseMatch:
        return _link("scheme:calls")


def _emails(**membership) -> list[str]:
    return sorted(
        set(
            Membership.objects.filter(user__is_active=True, **membership).values_list(
                "user__email", flat=True
            )
        )
    )


@shared_task(name="scheme.tasks.send_match_confirmed")
def send_match_confirmed(match_id: int) -> int:
    """Tell the host's coordinators and the municipality's contacts (in Japanese) that the
    office confirmed the match: who, when, how many staff, and where to go next. Returns
    how many messages left (none when the match was cancelled since)."""
    match = (
        Match.objects.select_related("host", "application__municipality", "program", "call")
        .filter(pk=match_id, status=MatchStatus.CONFIRMED)
        .first()
    )
    if match is None:
        return 0
    sent = 0
    audiences = (
        ("host", _emails(role=Role.COORDINATOR, host_company=match.host_id),
         _link("programs:program_detail", match.program_id) if match.program_id else ""),
        ("contact", _emails(role=Role.SUPERVISOR, municipality=match.application.municipality_id),
         contact_link(match)),
    )  # fmt: skip
    for audience, recipients, link in audiences:
        if not recipients or not link:
            continue
        context = {"match": match, "link": link, "audience": audience}
        KenshuEmail(
            subject=render_to_string("scheme/email/match_subject.txt", context).strip(),
            body=render_to_string("scheme/email/match.txt", context),
            to=recipients,
        ).send()
        sent += 1
    return sent
