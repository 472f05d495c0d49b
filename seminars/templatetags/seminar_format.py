from datetime import date

from django import template

from programs.formats import money

register = template.Library()


@register.filter
def yen(value) -> str:
    """12340 → "12,340円" ("¥12,340" in English; programs.formats.money)."""
    try:
        return money(value)
    except (TypeError, ValueError):
        return ""


@register.filter
def iso_date(value):
    """ "2026-12-01" (as kept in a frozen report) → a date, for the `date` filter."""
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
