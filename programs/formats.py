"""How dates, times and separators are written, in one place (docs/glossary.md, "Formats").

Japanese pages write `12/6（日）`, `2026年12月6日（日）`, periods with 〜 and labels with a
full-width colon; English pages keep English forms. Templates reach these through the
`kenshu_format` template library and the Jinja2 globals of the same names; Python code
calls them directly. ISO dates stay where a machine reads them: `<input type=date>`, URLs,
CSV files and keys."""

from datetime import date, datetime, time

from django.utils import formats, timezone, translation

# Named formats, in Django's `|date` letters, per language.
DATE_FORMATS = {
    "ja": {
        "day": "n/j（D）",  # 12/6（日）: the short form, the one used where space is tight
        "day_long": "Y年n月j日（D）",  # 2026年12月6日（日）
        "month_day": "n月j日（D）",  # 12月6日（日）: the long form without the year
        "date_long": "Y年n月j日",  # 2026年12月6日
        "month_date": "n月j日",  # 12月6日
        "short": "n/j",  # 12/6
        "moment": "n/j H:i",  # 12/6 13:30
        "moment_long": "Y年n月j日 H:i",  # 2026年12月6日 13:30
        "time": "H:i",
    },
    "en": {
        "day": "n/j (D)",
        "day_long": "Y-m-d (D)",
        "month_day": "n/j (D)",
        "date_long": "Y-m-d",
        "month_date": "n/j",
        "short": "n/j",
        "moment": "n/j H:i",
        "moment_long": "Y-m-d H:i",
        "time": "H:i",
    },
}

# Separators in running text, per language.
SEPARATORS = {
    "ja": {"sep": "・", "colon": "：", "names": "、", "period": "〜", "times": "〜"},
    "en": {"sep": " · ", "colon": ": ", "names": ", ", "period": " – ", "times": "–"},
}


def _lang() -> str:
    return "en" if (translation.get_language() or "ja").startswith("en") else "ja"


def _local(value):
    if isinstance(value, str):  # an ISO date kept in a document's JSON
        return date.fromisoformat(value)
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def show(value, name: str = "day") -> str:
    """`value` (a date, datetime or time) in the named format of the current language;
    "" for None."""
    if value is None or value == "":
        return ""
    return formats.date_format(_local(value), DATE_FORMATS[_lang()][name])


def show_time(value: time | datetime | None) -> str:
    if value is None:
        return ""
    return formats.time_format(_local(value), "H:i")


def separator(name: str = "sep") -> str:
    """`sep` between items of a line, `colon` after a label, `names` between names,
    `period` between two dates, `times` between two times."""
    return SEPARATORS[_lang()][name]


def period(start, end, name: str = "day") -> str:
    """Two dates as one period: `12/4（金）〜12/8（火）`; the long forms drop the end's year
    when it is the start's (`2026年12月4日（金）〜12月8日（火）`)."""
    same_year = _year(start) == _year(end)
    end_name = _WITHOUT_YEAR[_lang()].get(name, name) if same_year else name
    return f"{show(start, name)}{separator('period')}{show(end, end_name)}"


# The end of a period in the start's year is written without the year.
_WITHOUT_YEAR = {
    "ja": {"day_long": "month_day", "date_long": "month_date"},
    "en": {},
}


def _year(value) -> int:
    return _local(value).year


def time_range(start, end) -> str:
    """`13:30〜15:00` (`13:30–15:00` in English)."""
    return f"{show_time(start)}{separator('times')}{show_time(end)}"


def join_names(names) -> str:
    """`田中 翔、山本 彩花` (`田中 翔, 山本 彩花` in English)."""
    return separator("names").join(str(n) for n in names)


def join_items(items) -> str:
    """The items of a line, `・` between them (` · ` in English); empty ones left out."""
    return separator("sep").join(str(i) for i in items if i)


def labelled(label, value) -> str:
    """`場所：伊那松島` (`Place: …` in English)."""
    return f"{label}{separator('colon')}{value}"


def money(amount) -> str:
    """`12,000円` (`¥12,000` in English); whole yen."""
    if _lang() == "ja":
        return f"{int(amount):,}円"
    return f"¥{int(amount):,}"
