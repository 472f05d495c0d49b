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

from ..models import Match

SUBJECTS = {
    "cancelled": "scheme/email/match_cancelled_subject.txt",
    "moved": "scheme/email/match_moved_subject.txt",
}


def recipients(match: Match) -> list[str]:
    """The host's coordinators and the municipality's contacts, active, each address once."""
    people = Membership.objects.filter(user__is_active=True).filter(
        Q(role=Role.COORDINATOR, host_company=match.host_id)
        | Q(role=Role.SUPERVISOR, municipality=match.application.municipality_id)
    )
    return sorted(set(people.values_list("user__email", flat=True)))


def send_match_notice(match_id: int, kind: str) -> int:
    """Email both sides that the match was cancelled or moved; the number of emails sent."""
    match = (
        Match.objects.select_related("host", "application__municipality", "call")
        .filter(pk=match_id)
        .first()
    )
    if match is None or kind not in SUBJECTS:
        return 0
    with translation.override("ja"):
        context = {
            "match": match,
            "weeks": period(
                match.start_week, match.start_week + timedelta(weeks=match.weeks, days=-3)
            ),
            "link": settings.KENSHU_BASE_URL.rstrip("/")
            + reverse("scheme:match_detail", args=[match.pk]),
        }
        subject = render_to_string(SUBJECTS[kind], context).strip()
        body = render_to_string(f"scheme/email/match_{kind}.txt", context)
    messages = [KenshuEmail(subject=subject, body=body, to=[email]) for email in recipients(match)]
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
