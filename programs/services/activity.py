"""The activity log: one function every feature calls to record who did what."""

from typing import Any

from allauth.account.adapter import get_adapter
from django.contrib.contenttypes.models import ContentType
from django.db import models

from ..models import ActivityLog, HostCompany, Municipality


def client_ip(request) -> str | None:
    """The address the request came from, as allauth's rate limits see it (behind the
    trusted proxies of ALLAUTH_TRUSTED_PROXY_COUNT)."""
    if request is None:
        return None
    try:
        return get_adapter(request).get_client_ip(request) or None
    except Exception:  # noqa: BLE001 -- a malformed header must not break the log
        return request.META.get("REMOTE_ADDR") or None


def record_activity(
    actor,
    action: str,
    target: models.Model | None = None,
    *,
    host_company: HostCompany | None = None,
    municipality: Municipality | None = None,
    data: dict[str, Any] | None = None,
    request=None,
    actor_label: str = "",
) -> ActivityLog:
    """Append one entry to the activity log. Never updates an existing entry.

    `actor` may be None (a failed login, a task); `actor_label` then says who was claimed."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return ActivityLog.objects.create(
        actor=actor if is_user else None,
        actor_label=(actor.email if is_user else actor_label)[:254],
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:254] if target is not None else "",
        host_company=host_company,
        municipality=municipality,
        ip_address=client_ip(request),
        data=data or {},
    )
