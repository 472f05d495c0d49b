from django import template

register = template.Library()


@register.filter
def yen(value) -> str:
    """12340 → "¥12,340" (whole yen)."""
    try:
        return f"¥{int(value):,}"
    except (TypeError, ValueError):
        return ""
