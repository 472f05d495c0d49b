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


def _connect_cache_versions() -> None:
    """Writers bump the versions that cached fragments are keyed on (programs.cache)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from . import cache
    from .models import (
        Activity,
        Enrollment,
        HostCompany,
        Membership,
        Municipality,
        Program,
        TraineeProfile,
        User,
    )

    def bump_roles(**kwargs):
        cache.bump("roles", "programs")

    def bump_programs(**kwargs):
        cache.bump("programs")

    # A login (last_login), a password change or a language switch shows on no fragment.
    user_fields_not_shown = {"last_login", "password", "language"}

    def bump_for_user(instance=None, update_fields=None, **kwargs):
        if update_fields is not None and set(update_fields) <= user_fields_not_shown:
            return
        cache.bump("roles", "programs")

    post_save.connect(bump_for_user, sender=User, dispatch_uid="prog-User", weak=False)

    for model in (Membership, TraineeProfile):
        post_save.connect(
            bump_roles, sender=model, dispatch_uid=f"roles-{model.__name__}", weak=False
        )
        post_delete.connect(
            bump_roles, sender=model, dispatch_uid=f"roles-d-{model.__name__}", weak=False
        )
    for model in (Program, Enrollment, Activity, HostCompany, Municipality):
        post_save.connect(
            bump_programs, sender=model, dispatch_uid=f"prog-{model.__name__}", weak=False
        )
        post_delete.connect(
            bump_programs, sender=model, dispatch_uid=f"prog-d-{model.__name__}", weak=False
        )
    m2m_changed.connect(
        bump_programs,
        sender=Activity.participants.through,
        dispatch_uid="prog-participants",
        weak=False,
    )


_connect_cache_versions()
