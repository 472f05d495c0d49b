"""Finding a local government as people write it: its code (six digits, or the first five),
its name (with or without its prefecture or 郡), or its reading in hiragana or katakana.

One resolver serves every place a municipality is chosen: the invitation forms, the roster's
自治体コード column, a trip's destinations and the search-as-you-type endpoint."""

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils.translation import gettext as _

from ..models import Municipality

SEARCH_LIMIT = 20

_CODE_IN_LABEL = re.compile(r"\((\d{6})\)\s*$")
_GUN = re.compile(r"^.+?郡(?P<name>.+[町村])$")
_CURRENT_FIRST = F("abolished_on").asc(nulls_first=True)


def normalize(text: str) -> str:
    """Full-width digits and letters to ASCII, half-width kana to full width (NFKC), hiragana
    to katakana, spaces gone."""
    text = unicodedata.normalize("NFKC", text or "")
    # Control and format characters (a NUL, a bidi override) are never part of a name.
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C")
    text = "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)
    return re.sub(r"\s+", "", text)


_PREFECTURES: dict[str, int] = {}


def _prefecture_names() -> dict[str, int]:
    """Each prefecture's Japanese name (北海道, 東京都 …) to its number, read from the registry's
    prefecture rows once per process (the 47 never change; every keystroke of a chooser asks)."""
    if not _PREFECTURES:
        _PREFECTURES.update(
            Municipality.objects.filter(kind="prefecture").values_list("name", "prefecture")
        )
    return _PREFECTURES


@dataclass
class Resolved:
    municipality: Municipality | None
    error: str = ""


def _split_prefecture(text: str, prefectures: dict[str, int]) -> tuple[int | None, str]:
    for name, number in prefectures.items():
        if text.startswith(name) and len(text) > len(name):
            return number, text[len(name) :]
    return None, text


def _listing(found) -> str:
    return "、".join(m.label for m in found)


def _by_code(digits: str, *, allow_abolished: bool) -> Resolved:
    from ..validators import local_government_check_digit

    if len(digits) == 6 and int(digits[5]) != local_government_check_digit(digits[:5]):
        return Resolved(
            None,
            _("The check digit of %(code)s is wrong: please check the code.") % {"code": digits},
        )
    code = digits if len(digits) == 6 else digits + str(local_government_check_digit(digits))
    found = Municipality.objects.filter(code=code).first()
    if found is None:
        return Resolved(
            None, _("No municipality has the code %(code)s in the registry.") % {"code": code}
        )
    if found.is_abolished and not allow_abolished:
        return Resolved(None, abolished_message(found))
    return Resolved(found)


def abolished_message(found: Municipality) -> str:
    return _(
        "%(municipality)s was abolished (a merger) and cannot be chosen for something new."
    ) % {"municipality": found.label}


def resolve(text: str, *, allow_abolished: bool = False, keep=()) -> Resolved:
    """The one municipality `text` names, or why not (not found, several, abolished).
    `keep` are ids already chosen: an abolished one among them stays acceptable."""
    raw = normalize(text)
    if not raw:
        return Resolved(None, _("Enter a municipality: its name, reading or code."))
    in_label = _CODE_IN_LABEL.search(raw)
    digits = in_label.group(1) if in_label else raw
    if digits.isascii() and digits.isdigit():
        if len(digits) not in (5, 6):
            return Resolved(None, _("Enter the six-digit local government code (e.g. 402061)."))
        resolved = _by_code(digits, allow_abolished=True)
        found = resolved.municipality
        if found and found.is_abolished and not allow_abolished and found.pk not in keep:
            return Resolved(None, abolished_message(found))
        return resolved
    return _by_name(raw, allow_abolished=allow_abolished, keep=keep)


def _by_name(raw: str, *, allow_abolished: bool, keep) -> Resolved:
    number, rest = _split_prefecture(raw, _prefecture_names())
    gun = _GUN.match(rest)
    names = {rest, gun.group("name")} if gun else {rest}
    matches = Q(name__in=names) | Q(kana=rest)
    if number is None:
        matches |= Q(kind="prefecture", name=raw)
    candidates = Municipality.objects.filter(matches)
    if number is not None:
        candidates = candidates.filter(prefecture=number).exclude(kind="prefecture")
    found = list(candidates.order_by(_CURRENT_FIRST, "code"))
    current = [m for m in found if not m.is_abolished or m.pk in keep or allow_abolished]
    if not found:
        return Resolved(
            None,
            _("No municipality is called “%(text)s”: try its code or another spelling.")
            % {"text": raw},
        )
    if not current:
        return Resolved(None, abolished_message(found[0]))
    if len(current) > 1:
        return Resolved(
            None,
            _("Several municipalities are called “%(text)s”: %(listing)s. Enter the code.")
            % {"text": raw, "listing": _listing(current[:6])},
        )
    return Resolved(current[0])


def search(text: str, *, limit: int = SEARCH_LIMIT) -> list[Municipality]:
    """What a chooser suggests while someone types: codes that start with the digits, names
    and readings that start with the text, then names that contain it; current ones first."""
    raw = normalize(text)
    if not raw:
        return []
    if raw.isascii() and raw.isdigit():
        wanted = Q(code__startswith=raw[:6])
        rank = Value(0)
    else:
        number, rest = _split_prefecture(raw, _prefecture_names())
        starts = Q(name__startswith=rest) | Q(kana__startswith=rest)
        wanted = starts | Q(name__contains=rest)
        if number is not None:
            wanted = Q(wanted, prefecture=number)
        elif rest == raw:
            wanted |= Q(kind="prefecture", name__startswith=raw)
        rank = Case(When(starts, then=Value(0)), default=Value(1), output_field=IntegerField())
    return list(
        Municipality.objects.filter(wanted)
        .annotate(rank=rank)
        .order_by(_CURRENT_FIRST, "rank", "code")[:limit]
    )
