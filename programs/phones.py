"""Telephone numbers: what a number may hold, the form that takes one (the host's people
page), and the `tel:` address a phone dials.

A number is stored as typed (`090-1234-5678`, `+81 (90) 1234-5678`, full-width digits too);
it may hold digits, hyphens, spaces, parentheses and a leading +. The `tel:` address keeps
the digits and the leading + only (`tel:09012345678`, `tel:+819012345678`)."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .plain_text import PlainTextForm

# After NFKC (full-width ０９０－… becomes 090-…): the characters a typed number may hold. The
# Japanese long dash and the minus sign are hyphens as people type them.
_ALLOWED = re.compile(r"^\+?[0-9\-\u2010-\u2015\u2212\u30fc ()]+$")
MIN_DIGITS, MAX_DIGITS = 6, 15  # E.164: at most 15 digits


def _folded(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def validate_phone(value: str) -> None:
    """Refuses anything but digits, hyphens, spaces, parentheses and a leading +, and a
    number with too few or too many digits."""
    folded = _folded(value)
    if not _ALLOWED.match(folded):
        raise ValidationError(
            _("Use digits, hyphens (-), spaces, parentheses and a leading + only."),
            code="phone_characters",
        )
    digits = sum(c.isdigit() for c in folded)
    if not MIN_DIGITS <= digits <= MAX_DIGITS:
        raise ValidationError(
            _("A telephone number has %(min)d to %(max)d digits; this one has %(count)d.")
            % {"min": MIN_DIGITS, "max": MAX_DIGITS, "count": digits},
            code="phone_digits",
        )


class PhoneForm(PlainTextForm):
    """A host role's telephone number (電話番号), as typed."""

    phone = forms.CharField(
        label=_("Telephone number"),
        max_length=30,
        required=False,
        validators=[validate_phone],
        help_text=_(
            "A number to call during a trip, e.g. 090-1234-5678. Shown to the trip's "
            "travellers and the host's people only. Leave it empty to remove it."
        ),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )


def tel_href(value: str) -> str:
    """`tel:` and the number's digits (with its leading + if any); "" for no number."""
    folded = _folded(value or "")
    digits = "".join(c for c in folded if c.isdigit())
    if not digits:
        return ""
    return "tel:" + ("+" if folded.startswith("+") else "") + digits
