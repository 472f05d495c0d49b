from django import template

from .. import wareki as _wareki

register = template.Library()


@register.filter
def wareki(day) -> str:
    """令和8年11月30日."""
    return _wareki.wareki(day) if day else ""


@register.filter
def wareki_full(day) -> str:
    """令和8年12月4日（2026年12月4日）."""
    return _wareki.wareki_full(day) if day else ""


@register.filter
def wareki_month(day) -> str:
    """令和8年11月."""
    return _wareki.wareki_month(day) if day else ""


@register.filter
def fiscal_year_label(year) -> str:
    """令和8年度."""
    return _wareki.fiscal_year_label(int(year)) if year else ""


@register.filter
def attr_of(obj, name: str):
    """A field of an object by name (the reflection's sections in a loop)."""
    return getattr(obj, name, "")
