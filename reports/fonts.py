"""The fonts the PDFs draw with, and what to print for a character none of them has.

The documents ask for Noto Sans CJK JP (Japanese, rare kanji such as 𠮷 included), then DejaVu
Sans (Latin, Greek, Cyrillic, symbols); emoji come from Noto Color Emoji through the font
fallback (naming it in the CSS would make it draw the digits too). The set-up installs all three.
A character none of them holds would come out blank or as a box; it is printed as 〓 (the
geta mark, the Japanese typesetter's sign for a character that could not be set) instead, so a
reader sees that something is there."""

import functools
import shutil
import subprocess
import unicodedata

FAMILIES = ("Noto Sans CJK JP", "DejaVu Sans", "Noto Color Emoji")
MISSING = "〓"
# Characters that draw nothing by themselves: controls, joiners, variation selectors, spaces,
# combining marks (a font's shaping handles them with their base character).
_INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"}


def font_file(family: str) -> str | None:
    """The file fontconfig uses for this family, if it is that family (fc-match falls back to
    another font when the family is not installed)."""
    command = shutil.which("fc-match")
    if command is None:
        return None
    result = subprocess.run(  # noqa: S603 (a fixed command; the family is one of ours)
        [command, "-f", "%{family}\n%{file}", family],
        capture_output=True,
        text=True,
        check=False,
        timeout=10,
    )
    lines = result.stdout.splitlines()
    if len(lines) < 2 or family not in lines[0].split(","):
        return None
    return lines[1]


@functools.cache
def covered() -> frozenset[int]:
    """Every code point one of the document fonts has a glyph for."""
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for family in FAMILIES:
        path = font_file(family)
        if path is None:
            continue
        font = TTFont(path, fontNumber=0, lazy=True)
        points.update(font.getBestCmap() or {})
        font.close()
    return frozenset(points)


def missing_in(text: str) -> set[str]:
    """The characters of `text` that no document font can draw."""
    have = covered()
    return {
        ch for ch in set(text) if ord(ch) not in have and unicodedata.category(ch) not in _INVISIBLE
    }


def printable(html: str) -> str:
    """The document's HTML with every character no font can draw replaced by 〓. When no
    font is found at all (a machine without the set-up), the text is left as it is."""
    if not covered():
        return html
    gone = missing_in(html)
    return html.translate({ord(ch): MISSING for ch in gone}) if gone else html
