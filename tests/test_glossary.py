"""One word per concept and one way to write dates (docs/glossary.md).

The variants the glossary forbids are read from its table "Words we do not write". They
must not come back in a template, a Japanese message of the catalogue, a string of the
apps, a generated document or CSV, or a page of the demo crawled in Japanese. Japanese text
also carries no ISO date, no half-width `: ` or `, ` after a Japanese word, no `·`, and no
space before さん."""

import ast
import html
import re
from collections import deque
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[1]
APPS = ("programs", "trainees", "seminars", "reports", "config")
JAPANESE = r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]"
RULES = {
    "an ISO date in Japanese text": re.compile(rf"{JAPANESE}[^<>\n]*?\d{{4}}-\d\d-\d\d"),
    "an ISO date before Japanese text": re.compile(rf"\d{{4}}-\d\d-\d\d[^<>\n/]*?{JAPANESE}"),
    "a half-width colon or comma after a Japanese word": re.compile(rf"{JAPANESE}[:,] "),
    "a middle dot ·": re.compile(rf"{JAPANESE}[^<>\n]*·|·[^<>\n]*{JAPANESE}"),
    "a space before さん": re.compile(r"[^\s>「]\s+さん"),
    "a zero-padded date": re.compile(rf"(?<![\d/.-])(0\d/\d\d?|\d\d?/0\d)(?![\d/]).*{JAPANESE}"),
}


def forbidden_variants() -> dict[str, str]:
    """variant -> the word to write instead, from docs/glossary.md."""
    text = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    table = text.split("## Words we do not write", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip("|").split("|") for line in table.splitlines() if line.startswith("|")]
    variants = {v.strip(): instead.strip() for v, instead in rows[2:]}
    assert len(variants) > 10, "the glossary's table was not found"
    return variants


VARIANTS = forbidden_variants()


def problems(text: str, *, rules: bool = True) -> list[str]:
    """What in `text` the glossary forbids."""
    found = [f"{v!r} (write {instead})" for v, instead in VARIANTS.items() if v in text]
    if rules:
        for line in text.splitlines():
            found += [
                f"{why}: {line.strip()[:120]!r}" for why, r in RULES.items() if r.search(line)
            ]
    return found


def test_the_glossary_lists_the_variants_of_the_issue():
    for variant in (
        "日報",
        "疑問・不安",
        "全く",
        "完成",
        "辞退にする",
        "参加中",
        "研修前アンケート",
    ):
        assert variant in VARIANTS


def test_the_check_finds_a_variant_put_back():
    assert problems("提出された日報はありません。")
    assert problems("場所: 伊那松島")
    assert problems("佐藤 美咲, 鈴木 健太")
    assert problems("2026-12-06 (日)")
    assert problems("田中 翔 さん")
    assert problems("12/05から")
    assert not problems("田中 翔さん、12/6（日）〜12/8（火）・場所：伊那松島")


def template_files():
    for app in (*APPS, "templates"):
        for path in (ROOT / app).rglob("*"):
            if path.suffix in {".html", ".txt"} and (
                "templates" in path.parts or "jinja2" in path.parts
            ):
                yield path


@pytest.mark.parametrize("path", sorted(template_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_templates(path):
    text = path.read_text(encoding="utf-8")
    # Template tags are not text: `{% if a %}: ` says nothing of what is printed.
    text = re.sub(r"\{[{%#].*?[}%#]\}", "", text)
    assert not problems(text)


def catalogue_messages() -> list[str]:
    """The Japanese of each entry of locale/ja (msgstr, continuation lines joined)."""
    text = (ROOT / "locale/ja/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    messages = []
    for block in text.split("\n\n")[1:]:
        parts = re.findall(r'^(?:msgstr(?:\[\d\])? )?"(.*)"$', block.split("msgstr", 1)[-1], re.M)
        messages.append(ast.literal_eval('"' + "".join(parts) + '"'))
    return messages


def test_the_message_catalogue():
    found = [(m, p) for m in catalogue_messages() for p in problems(m)]
    assert not found


def app_strings():
    """(file, string) for each string literal of the apps, migrations left out."""
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                text = node.value if isinstance(node, ast.Constant) else None
                if isinstance(text, str) and is_japanese(text):
                    yield path.relative_to(ROOT), text


def is_japanese(text: str) -> bool:
    """Japanese text, not an English message that names a Japanese term (e.g. 復命書)."""
    return len(re.findall(JAPANESE, text)) > len(re.findall(r"[A-Za-z]", text))


def test_the_strings_of_the_apps():
    """CSV headings, PDF text and email text written in Python. Docstrings explain formats
    with the wrong form as an example, so only the variants are checked there."""
    found = [
        (str(path), text[:80], p)
        for path, text in app_strings()
        if path.name != "formats.py"
        for p in problems(text, rules="\n" not in text)
    ]
    assert not found


# --- the demo, crawled in Japanese -------------------------------------------------------------

SKIP = re.compile(r"logout|/admin/|download|\.pdf$|calendar|\.ics|/static/|feed|language|/off/")
PEOPLE = ("coordinator@example.com", "trainee1@example.com", "supervisor@example.com")


def page_text(body: str) -> str:
    """The text of a page, one text node a line (attributes left out)."""
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", body, flags=re.S)
    nodes = re.split(r"<[^>]+>", body)
    return "\n".join(html.unescape(n).strip() for n in nodes if n.strip())


def crawl(client, limit: int = 150) -> dict[str, str]:
    """url -> text of each HTML page reachable from home by GET, up to `limit` pages."""
    pages, seen, queue = {}, set(), deque(["/"])
    while queue and len(pages) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ja")
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            queue.append(response["Location"])
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        pages[url] = page_text(body)
        queue.extend(
            html.unescape(href)
            for href in re.findall(r'href="(/[^"#]*)"', body)
            if not SKIP.search(html.unescape(href))
        )
    return pages


@pytest.mark.django_db
@pytest.mark.parametrize("email", PEOPLE)
def test_the_demo_in_japanese_has_none_of_the_variants(client, email):
    call_command("seed_demo")
    assert client.login(email=email, password="kenshu-demo")
    client.cookies["django_language"] = "ja"
    pages = crawl(client)
    assert len(pages) > 15
    found = {url: p for url, text in pages.items() if (p := problems(text))}
    assert not found


@pytest.mark.django_db
def test_the_csv_exports_of_the_demo(client):
    call_command("seed_demo")
    assert client.login(email="coordinator@example.com", password="kenshu-demo")
    client.cookies["django_language"] = "ja"
    year = (
        timezone.localdate().year
        if timezone.localdate().month > 3
        else timezone.localdate().year - 1
    )
    for name in ("programs", "enrollments", "reflections", "seminars", "expenses"):
        response = client.get(f"/exports/{name}.csv?year={year}")
        assert response.status_code == 200, name
        text = b"".join(response.streaming_content if response.streaming else [response.content])
        # CSV keeps ISO dates (a machine reads them) and its own commas: the variants only.
        assert not problems(text.decode("utf-8-sig"), rules=False), name
