"""Validation of Japanese public identifiers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LOCAL_GOVERNMENT_CODE_WEIGHTS = (6, 5, 4, 3, 2)


def local_government_check_digit(first_five: str) -> int:
    """The check digit of a 全国地方公共団体コード: 11 minus the weighted sum mod 11, ones digit."""
    total = sum(int(d) * w for d, w in zip(first_five, LOCAL_GOVERNMENT_CODE_WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def validate_local_government_code(value: str) -> None:
    if len(value) != 6 or not value.isascii() or not value.isdigit():
        raise ValidationError(
            _("Enter the six-digit local government code (e.g. 402061)."), code="format"
        )
    if int(value[5]) != local_government_check_digit(value[:5]):
        raise ValidationError(
            _("The check digit of %(code)s is wrong: please check the code."),
            code="check_digit",
            params={"code": value},
        )
    if not 1 <= int(value[:2]) <= 47:
        raise ValidationError(
            _("The first two digits must be a prefecture number from 01 to 47."),
            code="prefecture",
        )
