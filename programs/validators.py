"""Validation of Japanese public identifiers and of email addresses as they will be sent."""

import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail.message import sanitize_address
from django.core.validators import validate_email
from django.utils.encoding import punycode
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


# Characters that are invisible or reorder what is shown (bidi overrides and isolates, the
# zero-width characters, the byte order mark, soft hyphen: Unicode "format"), control
# characters, line and paragraph separators, spaces, surrogates and private use. An address
# holding one either cannot be sent (the domain's IDNA encoding refuses it) or is sent to an
# address other than the one shown.
UNSENDABLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp", "Zs"})
MAX_EMAIL_LENGTH = 254  # RFC 5321 path limit, as Django's EmailField


def _unsendable_characters(value: str) -> list[str]:
    found = []
    for char in value:
        if unicodedata.category(char) in UNSENDABLE_CATEGORIES and char not in found:
            found.append(char)
    return found


def visible_characters(value: str) -> str:
    """The text with each invisible or control character written as <U+202E>, so that a
    page shows what an address really holds (a bidi override would reorder it otherwise).
    Ordinary spaces stay."""
    return "".join(
        f"<U+{ord(c):04X}>" if c != " " and unicodedata.category(c) in UNSENDABLE_CATEGORIES else c
        for c in value
    )


def validate_sendable_email(value: str) -> None:
    """Refuse an address that Django's mail sending would refuse or change.

    Checked in the order a person can act on: invisible or control characters (named by code
    point), a non-ASCII part before the @, Django's own syntax check, then the domain encoded
    with the IDNA codec that django.core.mail.message.sanitize_address uses when sending.

    A non-ASCII local part is refused: Django's SMTP backend does not speak SMTPUTF8, and
    sanitize_address turns such a local part into an RFC 2047 encoded word
    (``=?utf-8?b?…?=@example.jp``), a different mailbox, so the mail would be lost."""
    _check_characters(value)
    local, _at, domain = value.rpartition("@")
    validate_email(value)
    sent_domain = _sent_domain(domain)
    if sent_domain.lower() != domain.lower():
        # Python's IDNA 2003 codec maps some characters away or to others (full-width
        # letters, ligatures, variation selectors): the mail would go to another address.
        shown = _decoded(sent_domain)
        if shown.lower() != domain.lower():
            raise ValidationError(
                _(
                    "The domain “%(domain)s” would be sent as “%(sent)s”: type it in "
                    "half-width characters."
                ),
                code="domain_changes",
                params={"domain": domain, "sent": shown},
            )
    if len(local) + 1 + len(sent_domain) > MAX_EMAIL_LENGTH:
        raise ValidationError(
            _(
                "This email address is too long to send once its domain is encoded "
                "(%(length)s characters; at most %(max)s)."
            ),
            code="too_long",
            params={"length": len(local) + 1 + len(sent_domain), "max": MAX_EMAIL_LENGTH},
        )
    try:
        # The very call Django makes for each recipient when it sends.
        sanitize_address(("", value), settings.DEFAULT_CHARSET)
        sanitize_address(("", value.lower()), settings.DEFAULT_CHARSET)  # as stored
    except ValueError as exc:  # UnicodeError is a ValueError
        raise ValidationError(
            _("This email address cannot be sent to (%(reason)s)."),
            code="unsendable",
            params={"reason": exc},
        ) from exc


def _check_characters(value: str) -> None:
    """No invisible or control character, and only ASCII before the @."""
    bad = _unsendable_characters(value)
    if bad:
        raise ValidationError(
            _("This email address contains a character that cannot be sent (%(codepoints)s)."),
            code="unsendable_character",
            params={"codepoints": "、".join(f"U+{ord(c):04X}" for c in bad)},
        )
    local, at, _domain = value.rpartition("@")
    if at and local and not local.isascii():
        raise ValidationError(
            _(
                "Type the part before @ in half-width letters, digits and symbols: mail "
                "cannot be delivered to “%(local)s”."
            ),
            code="non_ascii_local_part",
            params={"local": local},
        )


def _sent_domain(domain: str) -> str:
    """The domain as Django sends it (django.utils.encoding.punycode, from
    sanitize_address), or a ValidationError saying it cannot be encoded."""
    try:
        sent = punycode(domain)
        punycode(domain.lower())  # the address is stored lower-cased
    except UnicodeError as exc:
        raise ValidationError(
            _(
                "Mail cannot be sent to the domain “%(domain)s”: each part between the dots "
                "must be 1 to 63 characters of letters, digits and hyphens (or a valid "
                "Japanese domain name)."
            ),
            code="domain_encoding",
            params={"domain": domain},
        ) from exc
    return sent


def _decoded(domain: str) -> str:
    try:
        return domain.encode("ascii").decode("idna")
    except UnicodeError:
        return domain


class SendableEmailField(forms.EmailField):
    """An email field checked the way the address will be sent (validate_sendable_email,
    which includes Django's validate_email)."""

    default_validators = [validate_sendable_email]
