"""Receivers that write the activity log for events no service sees (logins), and those that
bump the versions of cached fragments when rows are written."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import translation

from . import cache
from .client import client_ip
from .models import (
    Activity,
    ClosedDay,
    Enrollment,
    HostCompany,
    Membership,
    Municipality,
    Program,
    TraineeProfile,
    User,
)
from .services.activity_log import record_activity


def ensure_registry(sender=None, using="default", verbosity=1, **kwargs) -> None:
    """Load the shipped registry of local governments when this database lacks its version
    (programs.services.registry). Skipped while the tables are not there yet (a migrate to
    an older state)."""
    from django.db import connections
    from django.utils import timezone

    from .models import RegistryVersion
    from .services.registry import ensure_registry as load_when_needed

    if RegistryVersion._meta.db_table not in connections[using].introspection.table_names():
        return
    loaded = load_when_needed(today=timezone.localdate())
    if loaded and verbosity >= 2:
        print(f"Registry of local governments: {loaded}")


@receiver(user_logged_in, dispatch_uid="kenshu_log_login")
def log_login(sender, request, user, **kwargs) -> None:
    record_activity(user, "login.succeeded", user, ip=client_ip(request))
    if user.language in {code for code, _name in settings.LANGUAGES}:
        # The rest of this request (the "logged in" message) speaks the account's language.
        translation.activate(user.language)
        if request is not None:
            request.LANGUAGE_CODE = user.language


@receiver(user_login_failed, dispatch_uid="kenshu_log_login_failure")
def log_login_failure(sender, credentials, request=None, **kwargs) -> None:
    claimed = str(credentials.get("email") or credentials.get("username") or "")
    record_activity(None, "login.failed", None, ip=client_ip(request), actor_label=claimed)


# Writers bump the versions that cached fragments are keyed on (programs.cache), scoped to
# the program and host they touched: one host's writes never make another's pages stale.


def _program_written(instance=None, **kwargs):
    cache.bump_program(instance.pk, "week", instance.host_id)


def _row_of_program_written(instance=None, **kwargs):
    cache.bump_program(instance.program_id, "week")


def _participants_changed(instance=None, action="", **kwargs):
    # From either side (an activity or an enrolment) the instance knows its program.
    if action.startswith("post_"):
        cache.bump_program(instance.program_id, "week")


def _host_written(instance=None, **kwargs):
    cache.bump(cache.host_scope(instance.pk, "people"))


def _closed_day_written(instance=None, **kwargs):
    # A closed day shows on every page of the host's programs (the week, the reflection
    # days): the host's widest scope, which those pages are all built on.
    cache.bump(cache.host_scope(instance.host_id, "people"))


def _membership_written(instance=None, **kwargs):
    # A supervisor's membership changes no host page: their own pages' keys carry their
    # roles as read on each request.
    if instance.host_company_id:
        cache.bump(cache.host_scope(instance.host_company_id, "people"))


def _programs_of(user_ids) -> set[int]:
    return set(Enrollment.objects.filter(trainee__in=user_ids).values_list("program_id", flat=True))


def _person_shown(user_id: int) -> None:
    """A person's name or profile shows on their hosts' pages and their programs' pages."""
    hosts = Membership.objects.filter(user=user_id, host_company__isnull=False)
    cache.bump(
        *{cache.host_scope(h, "people") for h in hosts.values_list("host_company_id", flat=True)}
    )
    cache.bump_programs(_programs_of([user_id]), "week")


# A login (last_login), a password change or a language switch shows on no fragment.
USER_FIELDS_NOT_SHOWN = {"last_login", "password", "language"}


def _user_written(instance=None, created=False, update_fields=None, **kwargs):
    if created or (update_fields is not None and set(update_fields) <= USER_FIELDS_NOT_SHOWN):
        return
    _person_shown(instance.pk)


def _profile_written(instance=None, **kwargs):
    _person_shown(instance.user_id)


def _municipality_written(instance=None, created=False, **kwargs):
    if created:
        return
    cache.bump_programs(
        Enrollment.objects.filter(municipality=instance).values_list("program_id", flat=True),
        "week",
    )


def _connect_cache_versions() -> None:
    """Connect the receivers above: a save or a delete of each model bumps its scopes."""

    def connect(receiver, model, name):
        post_save.connect(receiver, sender=model, dispatch_uid=f"v-{name}", weak=False)
        post_delete.connect(receiver, sender=model, dispatch_uid=f"v-d-{name}", weak=False)

    post_save.connect(_user_written, sender=User, dispatch_uid="v-User", weak=False)
    connect(_program_written, Program, "Program")
    connect(_row_of_program_written, Enrollment, "Enrollment")
    connect(_row_of_program_written, Activity, "Activity")
    connect(_host_written, HostCompany, "HostCompany")
    connect(_membership_written, Membership, "Membership")
    connect(_closed_day_written, ClosedDay, "ClosedDay")
    connect(_profile_written, TraineeProfile, "TraineeProfile")
    connect(_municipality_written, Municipality, "Municipality")
    m2m_changed.connect(
        _participants_changed,
        sender=Activity.participants.through,
        dispatch_uid="v-participants",
        weak=False,
    )


_connect_cache_versions()
