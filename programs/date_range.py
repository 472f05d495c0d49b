"""The dates Kenshu accepts: 1 January 2000 to 31 December 2100, wherever a date enters (a
form, a service, a query parameter, an address). One definition, used by every app.

Forms add `validate_date_in_range` (or use `RangedDateField` / `RangedDateTimeField`); services
call `check_in_range` and refuse with their own exception; pages reading a date from the
query string use `query_date` (out of range or malformed: None, and the page falls back to its
default). Date arithmetic on stored dates uses `add_days`, which never overflows: rows written
before the range existed (year 9999, year 1) still draw their pages."""

from datetime import date, datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
# The 年度 (April to March) those dates fall in: January 2000 belongs to 1999年度.
FIRST_FISCAL_YEAR = EARLIEST.year - (EARLIEST.month < 4)
LAST_FISCAL_YEAR = LATEST.year - (LATEST.month < 4)

RANGE_MESSAGE = _("Enter a date from %(earliest)s to %(latest)s.")


def range_params() -> dict:
    """The two ends, written as dates are on pages in the active language (2000年1月1日)."""
    return {"earliest": formats.date_format(EARLIEST), "latest": formats.date_format(LATEST)}


def out_of_range_message() -> str:
    return gettext(RANGE_MESSAGE) % range_params()


def _day(value: date | datetime) -> date:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            try:
                value = timezone.localtime(value)
            except (OverflowError, ValueError):  # year 1 or 9999 in another zone
                return value.date()
        return value.date()
    return value


def in_range(value: date | datetime | None) -> bool:
    """Whether a date (or a datetime's day in Japan time) lies in the accepted range."""
    return value is not None and EARLIEST <= _day(value) <= LATEST


def validate_date_in_range(value) -> None:
    """A form field validator (dates and datetimes)."""
    if value is not None and not in_range(value):
        raise ValidationError(RANGE_MESSAGE, code="date_range", params=range_params())


def check_in_range(*values, refuse, field: str | None = None) -> None:
    """For services: `refuse(message, field=...)` builds the service's exception."""
    for value in values:
        if not in_range(value):
            raise refuse(out_of_range_message(), field=field)


def add_days(day: date, days: int) -> date:
    """`day + days`, held at date.min / date.max instead of raising OverflowError."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def query_date(raw: str | None) -> date | None:
    """A date from a query parameter (YYYY-MM-DD): None when missing, malformed or outside
    the range."""
    if not raw or len(raw) > 10 or not raw.isascii():
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None
    return day if in_range(day) else None


def input_bounds(field: forms.Field) -> dict[str, str]:
    """The input's min and max, so a browser's picker stays inside the range too."""
    if isinstance(field, forms.DateTimeField):
        return {"min": f"{EARLIEST.isoformat()}T00:00", "max": f"{LATEST.isoformat()}T23:59"}
    return {"min": EARLIEST.isoformat(), "max": LATEST.isoformat()}


def limit_date_field(field: forms.Field) -> forms.Field:
    """Give an existing form field (a ModelForm's) the range: validator and input bounds."""
    if validate_date_in_range not in field.validators:
        field.validators.append(validate_date_in_range)
    for name, value in input_bounds(field).items():
        field.widget.attrs.setdefault(name, value)
    return field


class RangedFieldMixin:
    default_validators = [validate_date_in_range]

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), **input_bounds(self)}


class RangedDateField(RangedFieldMixin, forms.DateField):
    pass


class RangedDateTimeField(RangedFieldMixin, forms.DateTimeField):
    pass
