"""How a trainee's name appears in a published article, as they chose: full name, family
name + さん, initials (romanised from the reading of their name) or anonymous."""

from django.utils.translation import gettext as _

# The first letter of each kana in Hepburn romanisation, for initials.
_ROWS = {
    "k": "かきくけこカキクケコ",
    "g": "がぎぐげごガギグゲゴ",
    "s": "さすせそサスセソしシ",
    "z": "ざずぜぞづザズゼゾヅ",
    "j": "じぢジヂ",
    "t": "たてとタテト",
    "c": "ちチ",
    "ts": "つツ",
    "d": "だでどダデド",
    "n": "なにぬねのナニヌネノ",
    "h": "はひへほハヒヘホ",
    "f": "ふフ",
    "b": "ばびぶべぼバビブベボ",
    "p": "ぱぴぷぺぽパピプペポ",
    "m": "まみむめもマミムメモ",
    "y": "やゆよヤユヨ",
    "r": "らりるれろラリルレロ",
    "w": "わをワヲ",
}
_VOWELS = dict(zip("あいうえおアイウエオ", "aiueoaiueo", strict=True))


def _initial(kana: str, fallback: str) -> str:
    """The romanised initial of a name from its reading (kana), else of the name itself
    when it is written in Latin letters; "" when neither tells."""
    first = (kana or "").strip()[:1]
    if first in _VOWELS:
        return _VOWELS[first].upper()
    for letters, chars in _ROWS.items():
        if first and first in chars:
            return letters[0].upper()
    name = (fallback or "").strip()
    return name[:1].upper() if name[:1].isascii() and name[:1].isalpha() else ""


def initials_known(user) -> bool:
    return bool(
        _initial(user.given_name_kana, user.given_name)
        and _initial(user.family_name_kana, user.family_name)
    )


def trainee_name(interview) -> str:
    """How the trainee appears, as they chose when consenting."""
    user = interview.enrollment.trainee
    form = interview.name_form or "anonymous"
    if form == "full":
        return f"{user.family_name} {user.given_name}".strip() or _("The trainee")
    if form == "family_san":
        return f"{user.family_name}さん" if user.family_name else _("The trainee")
    if form == "initials":
        given = _initial(user.given_name_kana, user.given_name)
        family = _initial(user.family_name_kana, user.family_name)
        if given and family:
            return f"{given}.{family}.さん"
    return _("A trainee from %(municipality)s") % {
        "municipality": interview.enrollment.municipality.name
    }
