"""The formats the trip pages share: dates and times as the Django templates printed them,
yen, and names from the columns of a `.values()` row."""

from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR

from programs.formats import money, separator, show, time_range


class Formats:
    """The formats of the Django templates these pages had, computed once per request: the
    `date` filter's "D" is a translated weekday, and choice labels are translations."""

    def __init__(self):
        self.weekdays = [str(WEEKDAYS_ABBR[i]) for i in range(7)]
        self.tz = timezone.get_current_timezone()
        japanese = separator("colon") == "："
        self.open, self.close = ("（", "）") if japanese else (" (", ")")
        self.sep, self.period = separator("sep"), separator("period")

    def month_day(self, day) -> str:
        """programs.formats' "day": `12/6（日）`"""
        return f"{day.month}/{day.day}{self.open}{self.weekdays[day.weekday()]}{self.close}"

    def full_date(self, day) -> str:
        """programs.formats' "day_long": `2026年12月6日（日）`"""
        return show(day, "day_long")

    def moment(self, value) -> str:
        """`date:"n/j H:i"` of an aware datetime, in the current time zone."""
        value = timezone.localtime(value, self.tz)
        return f"{value.month}/{value.day} {value:%H:%M}"


def display_name(family_name: str, given_name: str, email: str) -> str:
    """`User.display_name` from the three columns of a `.values()` row."""
    return f"{family_name} {given_name}".strip() or email


def yen(amount) -> str:
    return money(amount)


def seminar_when(fmt: Formats, s: dict) -> str:
    return f"{fmt.month_day(s['date'])} {time_range(s['start_time'], s['end_time'])}"


SEMINAR_FIELDS = ("pk", "title", "date", "start_time", "end_time", "kind", "venue")
