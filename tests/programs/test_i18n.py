"""Japanese first: every message has a Japanese translation, and pages speak Japanese."""

import ast
import re
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[2] / "locale/ja/LC_MESSAGES/django.po"


def entries():
    text = CATALOGUE.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if "#, fuzzy" in block:
            yield "fuzzy", block
        ids = re.findall(r'^msgid ((?:".*"\n?)+)', block, re.M)
        strs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        if not ids:
            continue
        msgid = "".join(ast.literal_eval(p) for p in ids[0].split("\n") if p)
        msgstrs = ["".join(ast.literal_eval(p) for p in s.split("\n") if p) for s in strs]
        yield msgid, msgstrs


def test_every_message_is_translated_to_japanese():
    untranslated = []
    for msgid, msgstrs in entries():
        assert msgid != "fuzzy", f"fuzzy entry in the catalogue: {msgstrs}"
        if msgid and not all(msgstrs):
            untranslated.append(msgid)
    assert untranslated == []


def test_the_catalogue_is_compiled_and_used(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert "新規登録はありません" in page


def test_every_string_of_the_jinja2_templates_is_in_the_catalogue():
    """The Jinja2 fragments translate with `_("…")` at render time: a string missing from
    the catalogue would show in English on a Japanese page."""
    root = CATALOGUE.parents[3]
    translated = {msgid for msgid, msgstrs in entries() if msgid != "fuzzy" and all(msgstrs)}
    used = set()
    templates = [*root.glob("templates/jinja2/**/*.html"), *root.glob("*/jinja2/**/*.html")]
    for template in templates:
        text = template.read_text(encoding="utf-8")
        used |= {a or b for a, b in re.findall(r"""_\(\s*(?:"([^"]+)"|'([^']+)')""", text)}
    assert len(used) > 120
    assert sorted(used - translated) == []
