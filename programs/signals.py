"""Receivers that write the activity log for events no service sees: logins."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.utils import translation

from .services.activity import record_activity


@receiver(user_logged_in, dispatch_uid="kenshu_log_login")
def log_login(sender, request, user, **kwargs) -> None:
    record_activity(user, "login.succeeded", user, request=request)
    if user.language in {code for code, _name in settings.LANGUAGES}:
        # The rest of this request (the "logged in" message) speaks the account's language.
        translation.activate(user.language)
        if request is not None:
            request.LANGUAGE_CODE = user.language


@receiver(user_login_failed, dispatch_uid="kenshu_log_login_failure")
def log_login_failure(sender, credentials, request=None, **kwargs) -> None:
    claimed = str(credentials.get("email") or credentials.get("username") or "")
    record_activity(None, "login.failed", None, request=request, actor_label=claimed)
