"""A call's weeks as people read them: 「5月11日（月）の週」."""

from django.utils.translation import gettext as _

from programs.formats import separator, show


def week_label(week) -> str:
    """One week, by its Monday (a date or an ISO date)."""
    return _("Week of %(day)s") % {"day": show(week, "month_day")}


def week_list(weeks) -> str:
    return separator("names").join(week_label(week) for week in sorted(weeks, key=str))


def week_choices(call) -> list[tuple[str, str]]:
    return [(week.isoformat(), week_label(week)) for week in call.weeks()]
