"""Integers from requests: ids in addresses and query strings, choices in forms, counters.

A number the database cannot hold never reaches it. SQLite raises OverflowError for a Python
int beyond 2**63 - 1; PostgreSQL refuses a value beyond its column (DataError): `integer` for
IntegerField and PositiveIntegerField (2**31 - 1), `bigint` for every table's id (BigAutoField).
Django guards an exact lookup on an integer column, but not a foreign key's, not `__in` (a
ModelMultipleChoiceField), not a compiled query (programs.compiled), not a save. So:

- an address's id is `<id:pk>` (IdConverter): more than the id column holds is "not found";
- a query parameter goes through `int_param` / `id_param`: None for anything that is not plain
  ASCII digits in range ("1e5", " 12", "٣", "12abc", 2**70), and the page falls back to its
  default or answers 404 for an object named;
- a form's choice of a row is an IdChoiceField / IdMultipleChoiceField: an id out of range or
  not written in ASCII digits is the field's own "not one of the available choices";
- a form's number is an IntegerField with min_value and max_value that fit its column
  (`limit_integer_field` for a ModelForm's).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import register_converter
from django.urls.converters import get_converters

INT_MAX = 2**31 - 1  # PostgreSQL integer: IntegerField, PositiveIntegerField
SMALL_MAX = 2**15 - 1  # PostgreSQL smallint: SmallIntegerField, PositiveSmallIntegerField
ID_MAX = 2**63 - 1  # PostgreSQL bigint: every table's id here (DEFAULT_AUTO_FIELD)

_MAX_BY_TYPE = {
    "SmallIntegerField": SMALL_MAX,
    "PositiveSmallIntegerField": SMALL_MAX,
    "SmallAutoField": SMALL_MAX,
    "IntegerField": INT_MAX,
    "PositiveIntegerField": INT_MAX,
    "AutoField": INT_MAX,
}


def int_param(value, *, minimum: int = 1, maximum: int = INT_MAX) -> int | None:
    """The integer that `value` writes in plain ASCII digits, if it lies in [minimum,
    maximum]; None for anything else (None, "", a sign, a space, an exponent, other scripts'
    digits, more digits than `maximum` has)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif (
        isinstance(value, str)
        and 0 < len(value) <= len(str(maximum))
        and value.isascii()
        and value.isdigit()
    ):
        number = int(value)
    else:
        return None
    return number if minimum <= number <= maximum else None


def id_param(value) -> int | None:
    """A row's id from a query string or a posted field: as int_param, up to bigint."""
    return int_param(value, minimum=1, maximum=ID_MAX)


class IdConverter:
    """`<id:pk>` in an address: at most 19 ASCII digits and at most ID_MAX, else the address
    matches nothing (404). Django's `<int:pk>` passes any length, and the program and trip
    pages' compiled queries send the value to the database as it is."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > ID_MAX:
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(value)


if "id" not in get_converters():
    register_converter(IdConverter, "id")


def column_max(field: models.Field) -> int | None:
    """The largest value an integer model field's column holds on every database we run on
    (PostgreSQL's; SQLite holds more); None for a field that is not an integer."""
    if not isinstance(field, models.IntegerField):
        return None
    return _MAX_BY_TYPE.get(field.get_internal_type(), ID_MAX)


def _fits(field: forms.ModelChoiceField, value) -> bool:
    """Whether a submitted choice could name a row: for an integer key, ASCII digits that
    the column holds; other keys are left to the queryset."""
    if isinstance(value, field.queryset.model):
        return True
    model = field.queryset.model
    key = model._meta.get_field(field.to_field_name) if field.to_field_name else model._meta.pk
    maximum = column_max(key)
    if maximum is None:
        return True
    return (
        int_param(value if isinstance(value, int) else str(value), minimum=0, maximum=maximum)
        is not None
    )


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose out-of-range or oddly written id is refused with the field's
    own "not one of the available choices", before any query."""

    def to_python(self, value):
        if value not in self.empty_values and not _fits(self, value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField refusing, as IdChoiceField, each id it cannot look up
    (Django's `pk__in` query has no overflow guard)."""

    def _check_values(self, value):
        for item in value:
            if not _fits(self, item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)


def limit_integer_field(field: forms.IntegerField, *, minimum: int, maximum: int) -> None:
    """Give an existing form field (a ModelForm's, which has no max_value of its own) the
    bounds: its validators, its message, the input's min and max. Out of bounds, the value
    never reaches the instance (nor the database)."""
    field.min_value, field.max_value = minimum, maximum
    field.validators = [
        *(v for v in field.validators if not isinstance(v, MinValueValidator | MaxValueValidator)),
        MinValueValidator(minimum),
        MaxValueValidator(maximum),
    ]
    field.widget.attrs.update({"min": minimum, "max": maximum})
