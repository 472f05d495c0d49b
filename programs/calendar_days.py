"""Which days a program works: the one definition every app uses.

A working day is a Monday to Friday that is neither a national holiday (祝日, from the
`holidays` package, never a list typed here) nor one of the host's closed days (ClosedDay,
such as 12/29〜1/3). The other days are days off.

A training day (研修日) is a working day of the program, or a day off that has an activity
(a Saturday visit, a seminar on a holiday) or a placeholder of one (予定枠: a trip over a
weekend is a training day before its legs are planned, and stays one after). Reflections
are written on training days, the reminders follow them, and every count of a program's
days (研修日数) counts them.

Days off are found for a whole range at once: the holidays are computed (no query), and the
closed days of any number of hosts are read in one query. The labels at the end name a day
or a period as the closed-days page and its messages write them."""

import functools
from collections.abc import Iterable
from datetime import date, timedelta

import holidays
from django.utils import formats, translation

from . import date_range

SATURDAY = 5


@functools.lru_cache(maxsize=512)
def _holidays_of_year(year: int, language: str) -> dict[date, str]:
    """The year's national holidays by date, named in `language` ("ja" or "en_US")."""
    if not date_range.EARLIEST.year <= year <= date_range.LATEST.year:
        return {}  # rows written before the accepted range existed (year 1, year 9999)
    found = holidays.country_holidays("JP", years=year, language=language)
    return {day: found[day] for day in sorted(found)}


def _holiday_language() -> str:
    """Japanese names on Japanese pages, English names on English ones."""
    return "en_US" if (translation.get_language() or "ja").startswith("en") else "ja"


def national_holidays(start: date, end: date) -> dict[date, str]:
    """The national holidays from `start` to `end`, by date, named in the active language."""
    language = _holiday_language()
    found = {}
    for year in range(start.year, end.year + 1):
        for day, name in _holidays_of_year(year, language).items():
            if start <= day <= end:
                found[day] = name
    return found


def closed_days(host_ids: Iterable[int], start: date, end: date) -> dict[int, dict[date, str]]:
    """The hosts' closed days from `start` to `end`, by host and date, in one query."""
    from .models import ClosedDay

    found: dict[int, dict[date, str]] = {}
    rows = (
        ClosedDay.objects.filter(host_id__in=set(host_ids))
        .overlapping(start, end)
        .values_list("host_id", "start_date", "end_date", "name")
    )
    for host_id, first, last, name in rows:
        days = found.setdefault(host_id, {})
        first, last = max(first, start), min(last, end)
        for i in range((last - first).days + 1):  # never past `last`: no overflow at date.max
            days.setdefault(first + timedelta(days=i), name)
    return found


def merge_days_off(start: date, end: date, closed: dict[date, str]) -> dict[date, str]:
    """The days off from `start` to `end` but weekends: the national holidays, then the
    host's `closed` days (a holiday keeps its own name)."""
    off = {day: name for day, name in closed.items() if start <= day <= end}
    off.update(national_holidays(start, end))
    return dict(sorted(off.items()))


def days_off(host_id: int | None, start: date, end: date) -> dict[date, str]:
    """The named days off of one host from `start` to `end` (one query)."""
    closed = closed_days([host_id], start, end).get(host_id, {}) if host_id else {}
    return merge_days_off(start, end, closed)


def days_off_by_program(programs) -> dict[int, dict[date, str]]:
    """The named days off of each program (rows with pk, host_id, start_date, end_date), in
    one query whatever the number of programs."""
    programs = [p for p in programs if p.start_date <= p.end_date]
    if not programs:
        return {}
    closed = closed_days(
        {p.host_id for p in programs},
        min(p.start_date for p in programs),
        max(p.end_date for p in programs),
    )
    return {
        p.pk: merge_days_off(p.start_date, p.end_date, closed.get(p.host_id, {})) for p in programs
    }


def days_off_of(program) -> dict[date, str]:
    """The named days off of one program (one query)."""
    return days_off(program.host_id, program.start_date, program.end_date)


def is_working_day(day: date, off: dict[date, str]) -> bool:
    """Monday to Friday, and not one of `off` (holidays and closed days)."""
    return day.weekday() < SATURDAY and day not in off


def working_days(days: Iterable[date], off: dict[date, str]) -> list[date]:
    return [day for day in days if is_working_day(day, off)]


def training_days(days: Iterable[date], off: dict[date, str], activity_dates) -> list[date]:
    """研修日: the working days, and the days off that have an activity."""
    return [day for day in days if is_working_day(day, off) or day in activity_dates]


def day_off_name(day: date, off: dict[date, str]) -> str:
    """The holiday's or closed day's name; "" for a working day or a plain weekend."""
    return off.get(day, "")


def training_days_by_program(programs) -> dict[int, list[date]]:
    """The 研修日 of each program (rows with pk, host_id, start_date, end_date), in two
    queries whatever the number of programs."""
    from .models import Activity

    programs = list(programs)
    activity_dates: dict[int, set[date]] = {}
    rows = Activity.objects.on_the_grid().filter(program__in=[p.pk for p in programs])
    for program_id, day in rows.values_list("program_id", "date").distinct():
        activity_dates.setdefault(program_id, set()).add(day)
    off = days_off_by_program(programs)
    return {
        p.pk: training_days(p.days, off.get(p.pk, {}), activity_dates.get(p.pk, set()))
        for p in programs
    }


def day_label(day: date, *, with_year: bool = True) -> str:
    """2026年12月29日（火） on Japanese pages, Tue, Dec. 29, 2026 on English ones."""
    if (translation.get_language() or "ja").startswith("ja"):
        text = f"{day.year}年" if with_year else ""
        return text + f"{day.month}月{day.day}日（{formats.date_format(day, 'D')}）"
    return formats.date_format(day, "D, N j, Y" if with_year else "D, N j")


def period_label(start: date, end: date) -> str:
    """One day, or first〜last (the year written once when both share it)."""
    if start == end:
        return day_label(start)
    return f"{day_label(start)}〜{day_label(end, with_year=end.year != start.year)}"
