"""A municipality's application (申込): written and withdrawn by its contacts while the
call's window is open; one per municipality and call (the unique key is the last guard)."""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import Application, Call, HostChoice, Match, OfferWeek
from ..weeks import week_list
from .common import SchemeRefused, require_open

FIELDS = (
    "staff",
    "weeks_wanted",
    "themes",
    "other_hosts_ok",
    "no_overnight",
    "needs_accessibility",
    "notes",
)


def _twice(municipality) -> SchemeRefused:
    return SchemeRefused(
        _("%(name)s has already applied in this call: change that application instead.")
        % {"name": municipality.name},
        code="twice",
        field="municipality",
    )


def _weeks(call: Call, values, field: str) -> list[str]:
    weeks = sorted({date.fromisoformat(str(v)) for v in values})
    if not set(weeks) <= set(call.weeks()):
        raise SchemeRefused(_("Pick weeks of this call."), field=field)
    return [week.isoformat() for week in weeks]


def _check(call: Call, data: dict) -> tuple[list[str], list[str]]:
    if not 1 <= data["staff"] <= call.max_staff:
        raise SchemeRefused(
            _("Between 1 and %(limit)d staff in this call.") % {"limit": call.max_staff},
            field="staff",
        )
    if not call.min_weeks <= data["weeks_wanted"] <= call.max_weeks:
        raise SchemeRefused(_("A length this call does not take."), field="weeks_wanted")
    preferred = _weeks(call, data["preferred_weeks"], "preferred_weeks")
    impossible = _weeks(call, data["impossible_weeks"], "impossible_weeks")
    if both := set(preferred) & set(impossible):
        raise SchemeRefused(
            _("A week cannot be both preferred and impossible: %(weeks)s.")
            % {"weeks": week_list(both)},
            field="impossible_weeks",
        )
    hosts = data["hosts"]
    if len(set(hosts)) != len(hosts):
        raise SchemeRefused(_("A host is chosen twice."), field="host_2")
    offering = set(
        OfferWeek.objects.filter(call=call, live=True, host__in=hosts).values_list(
            "host_id", flat=True
        )
    )
    for rank, host in enumerate(hosts, start=1):
        if host not in offering:
            raise SchemeRefused(_("This host has no offer in this call."), field=f"host_{rank}")
    return preferred, impossible


def save_application(
    call: Call,
    municipality,
    data: dict,
    *,
    by,
    now: datetime,
    application: Application | None = None,
) -> Application:
    """A new application or a change to one, while the window is open."""
    require_open(call, now)
    if application is not None and application.withdrawn_at is not None:
        raise SchemeRefused(_("This application is withdrawn."), code="state")
    preferred, impossible = _check(call, data)
    if application is None:
        # One per municipality: a withdrawn one is taken up again.
        application = Application.objects.filter(call=call, municipality=municipality).first()
        if application is not None and application.withdrawn_at is None:
            raise _twice(municipality)
        application = application or Application(call=call, municipality=municipality)
        application.withdrawn_at = None
    for name in FIELDS:
        setattr(application, name, data[name])
    application.preferred_weeks, application.impossible_weeks = preferred, impossible
    application.submitted_by = by
    try:
        with transaction.atomic():
            application.save()
            HostChoice.objects.filter(application=application).delete()
            HostChoice.objects.bulk_create(
                HostChoice(application=application, rank=rank, host_id=host)
                for rank, host in enumerate(data["hosts"], start=1)
            )
    except IntegrityError as exc:  # the same municipality applied from another tab meanwhile
        raise _twice(municipality) from exc
    return application


def withdraw_application(application: Application, now: datetime) -> Application:
    with transaction.atomic():
        application = (
            Application.objects.select_for_update().select_related("call").get(pk=application.pk)
        )
        if application.withdrawn_at is not None:
            raise SchemeRefused(_("This application is already withdrawn."), code="state")
        if Match.objects.confirmed().filter(application=application).exists():
            raise SchemeRefused(
                _("This application has a confirmed match: ask the scheme office to cancel it."),
                code="matched",
            )
        require_open(application.call, now)
        application.withdrawn_at = now
        application.save(update_fields=["withdrawn_at", "updated_at"])
    return application
