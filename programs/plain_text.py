"""Plain text: the one definition of the characters typed text may not hold, for forms and
services alike.

Refused everywhere: the C0 control characters (U+0000–U+001F) but TAB, LF and CR; DEL (U+007F);
the C1 control characters (U+0080–U+009F); lone surrogates (U+D800–U+DFFF, which UTF-8 cannot
encode: a JSON body's "\\ud800" makes one); the noncharacters (U+FDD0–U+FDEF and the last two
code points of every plane, U+FFFE and U+FFFF among them); the bidi embeddings, overrides and
isolates (U+202A–U+202E, U+2066–U+2069). A single-line field refuses TAB, LF
and CR too; a multi-line one (a textarea) keeps them.

PostgreSQL refuses a NUL outright (the INSERT fails, a 500) where SQLite stores it: the checks
here make both refuse it before anything is written, with a message that says which character
and where, so the person can remove it (browsers show a NUL they are sent back as �)."""

import re
import sys
from collections.abc import Iterable, Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
    for plane in range(sys.maxunicode // 0x10000 + 1)
)
# The explicit bidi embeddings, overrides and isolates: typed nowhere on purpose, they turn
# what follows around on the screen (「見て\u202eください」 reads 「見ていさだく」), so a comment
# or a name can be made to show what it does not say. (LRM/RLM marks, U+200E/U+200F, stay.)
_BIDI = "\u202a-\u202e\u2066-\u2069"
_ALWAYS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff" + _BIDI + _NONCHARACTERS
MULTI_LINE_UNUSABLE = re.compile(f"[{_ALWAYS}]")
SINGLE_LINE_UNUSABLE = re.compile(f"[\t\n\r{_ALWAYS}]")

CODE = "unusable_character"


def unusable_characters(value: str, *, multiline: bool) -> list[tuple[int, str]]:
    """Each character the text may not hold, with its position (1 = the first character)."""
    pattern = MULTI_LINE_UNUSABLE if multiline else SINGLE_LINE_UNUSABLE
    return [(m.start() + 1, m.group()) for m in pattern.finditer(value)]


def first_unusable(value: str, *, multiline: bool) -> tuple[int, str] | None:
    pattern = MULTI_LINE_UNUSABLE if multiline else SINGLE_LINE_UNUSABLE
    match = pattern.search(value)
    return (match.start() + 1, match.group()) if match else None


def describe(position: int, char: str, count: int = 1) -> str:
    """What to remove and where, e.g.
    「制御文字（U+0000）は使えません（5文字目）。取り除いてください。」"""
    params = {"position": position, "code": f"U+{ord(char):04X}"}
    if char in "\n\r":
        message = _(
            "Line breaks cannot be used here (character %(position)s): write it on one line."
        )
    elif char == "\t":
        message = _(
            "A tab (%(code)s) cannot be used here (character %(position)s): replace it with a "
            "space."
        )
    elif ord(char) <= 0x9F:
        message = _(
            "The control character %(code)s cannot be used (character %(position)s): remove it."
        )
    else:
        message = _("The character %(code)s cannot be used (character %(position)s): remove it.")
    text = message % params
    if count > 1:
        text += _(" In all, %(count)s characters cannot be used.") % {"count": count}
    return text


def plain_text_error(value, *, multiline: bool) -> str | None:
    """The message for text holding a character it may not hold, or None. A list or tuple
    (the lines of a field) is read item by item, the position counted in the item."""
    items = value if isinstance(value, list | tuple) else [value]
    found = [
        hit
        for item in items
        if isinstance(item, str)
        for hit in unusable_characters(item, multiline=multiline)
    ]
    if not found:
        return None
    position, char = found[0]
    return describe(position, char, len(found))


def validate_plain_text(value, *, multiline: bool = False) -> None:
    message = plain_text_error(value, multiline=multiline)
    if message is not None:
        raise ValidationError(message, code=CODE)


def plain_text_errors(
    values: Mapping[str, object], *, multiline: Iterable[str] = ()
) -> dict[str, str]:
    """For a service: a message per field (in the mapping's order) whose text holds a
    character it may not hold. Fields named in `multiline` keep TAB, LF and CR."""
    multiline = set(multiline)
    errors = {}
    for name, value in values.items():
        message = plain_text_error(value, multiline=name in multiline)
        if message is not None:
            errors[name] = message
    return errors


class PlainTextValidator:
    """A form field's check (PlainTextFormMixin puts it on every text field)."""

    def __init__(self, *, multiline: bool):
        self.multiline = multiline

    def __call__(self, value) -> None:
        validate_plain_text(value, multiline=self.multiline)

    def __eq__(self, other) -> bool:
        return isinstance(other, PlainTextValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((PlainTextValidator, self.multiline))


def is_multiline(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.Textarea)


def add_plain_text_check(field: forms.Field) -> None:
    """Put the check on a text field (once), in place of Django's NUL-only check, whose
    message says neither where nor what to do. Email fields are left to their own check, and
    passwords to the password rules: a password is never shown nor stored as text (only its
    hash is), so whatever someone typed in it is theirs (Django still refuses a NUL)."""
    if not isinstance(field, forms.CharField) or isinstance(field, forms.EmailField):
        return
    if isinstance(field.widget, forms.PasswordInput):
        return
    if any(isinstance(v, PlainTextValidator) for v in field.validators):
        return
    field.validators = [
        PlainTextValidator(multiline=is_multiline(field)),
        *(v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)),
    ]


class PlainTextFormMixin:
    """Every text field of the form refuses what plain text may not hold: a single-line
    field (a text input) TAB and line breaks too, a Textarea keeps them. Fields added in a
    form's __init__ are covered as well (the check is put on when the form is cleaned)."""

    def full_clean(self):
        for field in self.fields.values():
            add_plain_text_check(field)
        super().full_clean()


class PlainTextForm(PlainTextFormMixin, forms.Form):
    pass


class PlainTextModelForm(PlainTextFormMixin, forms.ModelForm):
    pass


def check_plain_text(
    values: Mapping[str, object], *, multiline: Iterable[str] = (), refuse
) -> None:
    """For a service whose refusal names one field: raise `refuse(message, field=name)` for
    the first field holding a character it may not hold."""
    for name, message in plain_text_errors(values, multiline=multiline).items():
        raise refuse(message, field=name)
