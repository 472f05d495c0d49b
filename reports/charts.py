"""Charts drawn on the server as SVG, so the browser and the PDF show the same picture with
the same font (the engine draws SVG text with the page's fonts). Every label is escaped."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = "Noto Sans CJK JP, Noto Sans JP, sans-serif"
INK = "#1d2433"
MUTED = "#5a6478"
GRID = "#e3e7ee"
BLUE = "#0b5cad"
GREEN = "#18794e"
RED = "#b42318"
WIDTH = 640
LABEL_WIDTH = 250
ROW = 26


def _label(text: str, limit: int = 20) -> str:
    """Short enough for the label column at 11px (a Japanese character is 1em wide)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _svg(height: int, title: str, body: list[str]) -> SafeString:
    # Every label above went through escape(); numbers are ours.
    return mark_safe(  # noqa: S308
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" font-family="{FONT}" '
        f'font-size="13"><title>{escape(title)}</title>{"".join(body)}</svg>'
    )


def bars(items: list[tuple[str, int]], *, unit: str = "", title: str = "") -> SafeString | None:
    """Horizontal bars, one per (label, count), the count printed at the bar's end."""
    if not items:
        return None
    top = max(count for _label_text, count in items) or 1
    span = WIDTH - LABEL_WIDTH - 70
    body = []
    for index, (label, count) in enumerate(items):
        y = 8 + index * ROW
        length = round(span * count / top, 1)
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" fill="{INK}" '
            f'font-size="11">{escape(_label(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{max(length, 1)}" height="16" '
            f'fill="{BLUE}"/>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 15}" fill="{INK}">'
            f"{count}{escape(unit)}</text>"
        )
    return _svg(16 + len(items) * ROW, title or unit, body)


def diverging(items: list[tuple[str, float]], *, title: str = "") -> SafeString | None:
    """Bars to the right (up) or left (down) of zero, one per (label, mean change) on a
    scale of −2 to +2 points; the change printed beside each."""
    if not items:
        return None
    left = LABEL_WIDTH + 10
    right = WIDTH - 50
    zero = (left + right) / 2
    per_point = (right - left) / 4
    body = [f'<line x1="{zero}" x2="{zero}" y1="4" y2="{12 + len(items) * ROW}" stroke="{MUTED}"/>']
    for tick in (-2, -1, 1, 2):
        x = zero + tick * per_point
        body.append(
            f'<line x1="{x}" x2="{x}" y1="4" y2="{12 + len(items) * ROW}" stroke="{GRID}"/>'
            f'<text x="{x}" y="{24 + len(items) * ROW}" text-anchor="middle" fill="{MUTED}" '
            f'font-size="11">{tick:+d}</text>'
        )
    for index, (label, change) in enumerate(items):
        y = 8 + index * ROW
        clipped = max(-2.0, min(2.0, change))
        length = abs(clipped) * per_point
        x = zero if clipped >= 0 else zero - length
        colour = GREEN if clipped >= 0 else RED
        text_x = zero + length + 6 if clipped >= 0 else zero - length - 6
        anchor = "start" if clipped >= 0 else "end"
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" fill="{INK}" '
            f'font-size="11">{escape(_label(label))}</text>'
            f'<rect x="{round(x, 1)}" y="{y + 3}" width="{round(max(length, 1), 1)}" '
            f'height="16" fill="{colour}"/>'
            f'<text x="{round(text_x, 1)}" y="{y + 15}" text-anchor="{anchor}" fill="{INK}">'
            f"{change:+.1f}</text>"
        )
    return _svg(32 + len(items) * ROW, title, body)
