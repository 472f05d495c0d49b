"""The demo interview, in a browser: a coordinator holds it (answers saved as they type, a
follow-up question), the trainee consents to some answers and not others and chooses
initials, the supervisor approves, and the exported Markdown and HTML contain exactly the
consented answers under the chosen name."""

import importlib
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import expect

from programs.models import Program
from trainees.models import Interview, InterviewState

from .conftest import SCREENSHOTS, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEMO = "ITベンチャー研修（田川市・デモ）"
ANSWERS = [
    "兄がロゴを頼んでいたので、少しだけ知っていました。",
    "家族の事情は記事にしないでください。",
    "チームで始められる仕組みが心強いと感じました。",
]
FOLLOW_UP = ("一番驚いたことは？", "決めるのが速いことです。")
# The browser windows: an office screen that downloads, and a phone.
DESK = {"viewport": {"width": 1280, "height": 900}, "accept_downloads": True}
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True}


@pytest.fixture
def demo(db):
    # A flush after an earlier browser test removed the built-in week template.
    importlib.import_module("programs.migrations.0003_builtin_week_template").create(apps, None)
    call_command("seed_demo")
    program = Program.objects.get(title=DEMO)
    return {"program": program, "interview": Interview.objects.get(enrollment__program=program)}


def signed_in(browser, live_server, email, **context):
    """A new browser window with the demo's `email` logged in: the window and its page."""
    window = browser.new_context(**context)
    page = window.new_page()
    log_in(page, live_server, email, password="kenshu-demo")
    return window, page


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_the_demo_interview_from_holding_it_to_the_export(browser, live_server, demo, tmp_path):
    program = demo["program"]
    # 1. The coordinator holds it.
    desk, page = signed_in(browser, live_server, "coordinator@example.com", **DESK)
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    page.get_by_role("link", name="インタビュー", exact=True).click()
    page.get_by_role("link", name="田中 翔").click()
    answers = page.locator("textarea[name^=answer-]")
    for index, text in enumerate(ANSWERS):
        answers.nth(index).press_sequentially(text, delay=5)
    expect(page.locator("#save-status")).to_contain_text("保存しました", timeout=10_000)
    page.get_by_label("追加する質問").fill(FOLLOW_UP[0])
    page.get_by_label("追加する位置").select_option(index=0)  # after Q1
    page.get_by_role("button", name="追加").click()
    expect(page.get_by_text("質問を追加しました。")).to_be_visible()
    page.get_by_label(re.compile(re.escape(FOLLOW_UP[0]))).fill(FOLLOW_UP[1])
    expect(page.locator("#save-status")).to_contain_text("保存しました", timeout=10_000)
    shoot(page, "interview-conduct")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="インタビューを終了する").click()
    expect(page.get_by_text("インタビューを終了しました。")).to_be_visible()
    desk.close()

    # 2. The trainee, on a phone, consents to some answers and chooses initials.
    phone, page = signed_in(browser, live_server, "trainee1@example.com", **PHONE)
    page.goto(f"{live_server.url}/today/")
    page.get_by_role("link", name="インタビューを確認し、公開してよい回答を選ぶ").click()
    groups = page.get_by_role("radiogroup", name="この回答を公開してよいですか？")
    expect(groups).to_have_count(4)
    decisions = [
        "掲載してよい",
        "掲載してよい",
        "掲載しない",
        "掲載してよい",
    ]  # Q1, follow-up, Q2, Q3
    for index, label in enumerate(decisions):
        groups.nth(index).get_by_label(label).check()
    page.get_by_label("イニシャル").check()
    shoot(page, "interview-consent-360")
    page.get_by_role("button", name="回答と同意を送る").click()
    expect(page.get_by_text("回答と同意を保存しました。")).to_be_visible()
    phone.close()

    # 3. The supervisor approves.
    office, page = signed_in(browser, live_server, "supervisor@example.com", **DESK)
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    page.get_by_role("link", name="インタビュー", exact=True).click()
    page.get_by_role("link", name="田中 翔").click()
    expect(page.get_by_text(ANSWERS[0])).to_be_visible()
    expect(page.get_by_text(ANSWERS[1])).to_have_count(0)
    page.get_by_role("button", name="公開を承認する").click()
    expect(page.get_by_text("公開を承認しました。")).to_be_visible()
    shoot(page, "interview-article-approved")

    # 4. The exports: exactly the consented answers, under the initials.
    texts = {}
    for label in ("Markdown", "HTML"):
        with page.expect_download() as download:
            page.get_by_role("link", name=label).click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        texts[label] = path.read_text(encoding="utf-8")
    for text in texts.values():
        for answer in (ANSWERS[0], ANSWERS[2], FOLLOW_UP[1]):
            assert answer in text
        assert ANSWERS[1] not in text
        assert "田中" not in text
    assert "**S\\.T\\.さん**" in texts["Markdown"]  # S.T.さん, its dots escaped
    assert "<strong>S.T.さん</strong>" in texts["HTML"]
    assert texts["Markdown"].startswith("# ")
    assert "<article>" in texts["HTML"] and "<script" not in texts["HTML"]
    office.close()
    assert Interview.objects.get(pk=demo["interview"].pk).state == InterviewState.APPROVED
