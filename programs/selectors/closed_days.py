"""What the closed-days page of a host reads: its closed days (one query) and the national
holidays of the coming year (computed, no query)."""

from datetime import date

from .. import calendar_days, date_range
from ..calendar_days import day_label, period_label
from ..models import ClosedDay

COMING_DAYS = 365


def closed_days_context(host, today: date) -> dict:
    """The host's closed days, the past ones last, and the national holidays ahead."""
    rows = list(ClosedDay.objects.filter(host=host).order_by("start_date", "pk"))
    coming = [c for c in rows if c.end_date >= today]
    past = [c for c in rows if c.end_date < today][::-1]
    until = date_range.add_days(today, COMING_DAYS)
    return {
        "coming": [(c, period_label(c.start_date, c.end_date)) for c in coming],
        "past": [(c, period_label(c.start_date, c.end_date)) for c in past],
        "holidays": [
            (day_label(day), name)
            for day, name in calendar_days.national_holidays(today, until).items()
        ],
    }
