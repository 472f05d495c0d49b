"""The emails a change of a match sends to both sides: the host's coordinators and the
municipality's contacts (in Japanese, the scheme's language). Sent by scheme/tasks.py once
the change has committed."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from programs.formats import period
from programs.mail import KenshuEmail
from programs.models import Membership, Role

from ..models import Match, MatchStatus

SUBJECTS = {
    "confirmed": "scheme/email/match_subject.txt",
    "cancelled": "scheme/email/match_cancelled_subject.txt",
    "moved": "scheme/email/match_moved_subject.txt",
}
BODIES = {
    "confirmed": "scheme/email/match.txt",
    "cancelled": "scheme/email/match_cancelled.txt",
    "moved": "scheme/email/match_moved.txt",
}


def recipients(match: Match) -> list[tuple[str, str]]:
    """The host's coordinators ("host") and the municipality's contacts ("contact"),
    active, each address once."""
    people = Membership.objects.filter(user__is_active=True).filter(
        Q(role=Role.COORDINATOR, host_company=match.host_id)
        | Q(role=Role.SUPERVISOR, municipality=match.application.municipality_id)
    )
    found = {}
    for email, role in people.values_list("user__email", "role"):
        found.setdefault(email, "host" if role == Role.COORDINATOR else "contact")
    return sorted(found.items())


def send_match_notice(match_id: int, kind: str) -> int:
    """Email both sides that the office confirmed, cancelled or moved the match; the number
    of emails sent (none for a confirmation taken back since)."""
    match = (
        Match.objects.select_related("host", "application__municipality", "call", "program")
        .filter(pk=match_id)
        .first()
    )
    if match is None or kind not in SUBJECTS:
        return 0
    if kind == "confirmed" and match.status != MatchStatus.CONFIRMED:
        return 0
    messages = []
    base = settings.KENSHU_BASE_URL.rstrip("/")
    with translation.override("ja"):
        context = {
            "match": match,
            "weeks": period(
                match.start_week, match.start_week + timedelta(weeks=match.weeks, days=-3)
            ),
            "link": base + reverse("scheme:match_detail", args=[match.pk]),
        }
        subject = render_to_string(SUBJECTS[kind], context).strip()
        for email, audience in recipients(match):
            link = context["link"]
            if audience == "host" and match.program_id:  # the week to plan
                link = base + reverse("programs:program_detail", args=[match.program_id])
            body = render_to_string(BODIES[kind], {**context, "audience": audience, "link": link})
            messages.append(KenshuEmail(subject=subject, body=body, to=[email]))
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
