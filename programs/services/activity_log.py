"""The activity log: one function every feature calls to record who did what."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from ..models import ActivityLog, HostCompany, Municipality


def record_activity(
    actor,
    action: str,
    target: models.Model | None = None,
    *,
    host_company: HostCompany | None = None,
    municipality: Municipality | None = None,
    data: dict[str, Any] | None = None,
    ip: str | None = None,
    actor_label: str = "",
) -> ActivityLog:
    """Append one entry to the activity log. Never updates an existing entry.

    `actor` may be None (a failed login, a task); `actor_label` then says who was claimed.
    `ip`: the address the change came from (programs.client.client_ip), for a web request."""
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
        ip_address=ip,
        data=data or {},
    )
