"""Japanese era dates (和暦) for official documents: 令和8年11月30日 beside 2026年11月30日."""

from datetime import date

# (first day, era name), newest first.
ERAS = (
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
    (date(1912, 7, 30), "大正"),
    (date(1868, 10, 23), "明治"),
)


def era_year(day: date) -> str:
    """令和8年; the first year of an era is 元年 (令和元年)."""
    for first, name in ERAS:
        if day >= first:
            year = day.year - first.year + 1
            return f"{name}{'元' if year == 1 else year}年"
    return f"{day.year}年"


def wareki(day: date) -> str:
    return f"{era_year(day)}{day.month}月{day.day}日"


def wareki_full(day: date) -> str:
    """The official form: 和暦 first, the Gregorian date beside it,
    令和8年12月4日（2026年12月4日）."""
    return f"{wareki(day)}（{day.year}年{day.month}月{day.day}日）"


def wareki_month(day: date) -> str:
    return f"{era_year(day)}{day.month}月"


def fiscal_year_label(year: int) -> str:
    """年度 from April: 令和8年度 (2026年度). A fiscal year is named by the era in effect for
    most of it: the one starting April 2019 is 令和元年度 (令和 began on 1 May), the one
    starting April 1988 昭和63年度 and the next 平成元年度 (平成 began in January 1989)."""
    return f"{era_year(date(year, 5, 1))}度"
