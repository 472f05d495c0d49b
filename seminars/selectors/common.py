"""The formats the trip pages share: dates and times as the Django templates printed them,
yen, and names from the columns of a `.values()` row."""

from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR


class Formats:
    """The formats of the Django templates these pages had, computed once per request: the
    `date` filter's "D" is a translated weekday, and choice labels are translations."""

    def __init__(self):
        self.weekdays = [str(WEEKDAYS_ABBR[i]) for i in range(7)]
        self.tz = timezone.get_current_timezone()

    def month_day(self, day) -> str:
        """`date:"n/j (D)"`"""
        return f"{day.month}/{day.day} ({self.weekdays[day.weekday()]})"

    def full_date(self, day) -> str:
        """`date:"Y-m-d (D)"`"""
        return f"{day:%Y-%m-%d} ({self.weekdays[day.weekday()]})"

    def moment(self, value) -> str:
        """`date:"n/j H:i"` of an aware datetime, in the current time zone."""
        value = timezone.localtime(value, self.tz)
        return f"{value.month}/{value.day} {value:%H:%M}"


def display_name(family_name: str, given_name: str, email: str) -> str:
    """`User.display_name` from the three columns of a `.values()` row."""
    return f"{family_name} {given_name}".strip() or email


def yen(amount) -> str:
    return f"¥{amount:,}"


def seminar_when(fmt: Formats, s: dict) -> str:
    return f"{fmt.month_day(s['date'])} {s['start_time']:%H:%M}–{s['end_time']:%H:%M}"


SEMINAR_FIELDS = ("pk", "title", "date", "start_time", "end_time", "kind", "venue")
