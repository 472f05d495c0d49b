"""A host's closed days: adding and removing them. No program of the host works on them
(programs/calendar_days.py); an activity already planned on one stays where it is."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from .. import date_range
from ..calendar_days import period_label
from ..models import ClosedDay, HostCompany, User
from ..plain_text import check_plain_text
from ..refusals import Refused
from .activity_log import record_activity

MAX_CLOSED_DAYS = 31  # one period at most; a longer closure is entered as several


class ClosedDayRefused(Refused):
    """A closed day the rules do not allow; `errors` names the field at fault."""


def _check(host: HostCompany, name: str, start: date, end: date) -> None:
    check_plain_text({"name": name}, refuse=ClosedDayRefused)
    if not name.strip():
        raise ClosedDayRefused(_("Give the closed days a name."), field="name")
    date_range.check_in_range(start, refuse=ClosedDayRefused, field="start_date")
    date_range.check_in_range(end, refuse=ClosedDayRefused, field="end_date")
    if end < start:
        raise ClosedDayRefused(_("The last closed day is before the first."), field="end_date")
    if (end - start).days + 1 > MAX_CLOSED_DAYS:
        raise ClosedDayRefused(
            _("At most %(days)s days at a time: enter a longer closure as several.")
            % {"days": MAX_CLOSED_DAYS},
            field="end_date",
        )
    clash = ClosedDay.objects.filter(host=host).overlapping(start, end).first()
    if clash is not None:
        raise ClosedDayRefused(
            _("These days overlap “%(name)s” (%(period)s).")
            % {"name": clash.name, "period": period_label(clash.start_date, clash.end_date)},
            field="start_date",
        )


def add_closed_days(
    host: HostCompany,
    *,
    name: str,
    start_date: date,
    end_date: date | None = None,
    by: User,
    ip: str | None = None,
) -> ClosedDay:
    """Close the host from `start_date` to `end_date` (one day when no end is given)."""
    name = name.strip()
    end_date = end_date or start_date
    with transaction.atomic():
        # One writer per host at a time, so two overlapping periods cannot both be added.
        HostCompany.objects.select_for_update().filter(pk=host.pk).exists()
        _check(host, name, start_date, end_date)
        closed = ClosedDay.objects.create(
            host=host, name=name, start_date=start_date, end_date=end_date
        )
        record_activity(by, "closed_days.added", closed, host_company=host, ip=ip)
    return closed


def remove_closed_days(closed: ClosedDay, *, by: User, ip: str | None = None) -> None:
    """The host works on these days again."""
    with transaction.atomic():
        record_activity(by, "closed_days.removed", closed, host_company=closed.host, ip=ip)
        closed.delete()
