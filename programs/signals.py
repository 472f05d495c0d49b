"""Receivers that write the activity log for events no service sees: logins."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .services.activity import record_activity


@receiver(user_logged_in, dispatch_uid="kenshu_log_login")
def log_login(sender, request, user, **kwargs) -> None:
    record_activity(user, "login.succeeded", user, request=request)


@receiver(user_login_failed, dispatch_uid="kenshu_log_login_failure")
def log_login_failure(sender, credentials, request=None, **kwargs) -> None:
    claimed = str(credentials.get("email") or credentials.get("username") or "")
    record_activity(None, "login.failed", None, request=request, actor_label=claimed)
