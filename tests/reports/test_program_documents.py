"""The end-of-program documents as PDFs: what they say (text extracted from the PDF in
Python), the fonts they embed, and the bad input they meet. Each test here builds one real
PDF through the service and the task (eager here; a real worker in tests/integration)."""

import re

import pytest
from django.utils import timezone

from reports.fonts import MISSING
from reports.models import Report, ReportState
from reports.services import documents as services
from trainees.models import DailyReflection

from ..factories import ProgramFactory
from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(host, coordinator, trainee, other_trainee):
    return w.build(host, coordinator, trainee, other_trainee)


def built(request, django_capture_on_commit_callbacks) -> tuple[Report, bytes]:
    """Ask, let the task run after commit (eagerly here), and read the stored file."""
    with django_capture_on_commit_callbacks(execute=True):
        report = request()
    report.refresh_from_db()
    assert report.state == ReportState.DONE, report.error
    with report.file.open("rb") as handle:
        return report, handle.read()


def test_the_program_report_says_it_all_in_japanese_with_embedded_fonts(
    finished, coordinator, django_capture_on_commit_callbacks
):
    DailyReflection.objects.filter(
        enrollment=finished.first, date=finished.program.start_date
    ).update(questions="<script>alert('x')</script> & <b>太字</b>")
    report, pdf = built(
        lambda: services.request_program_report(
            finished.program, by=coordinator, today=timezone.localdate()
        ),
        django_capture_on_commit_callbacks,
    )
    text = w.pdf_text(pdf)
    compact = "".join(text.split())
    # Cover: the program, host, municipalities, both calendars, and the sign-off block.
    for expected in (
        "研修実施報告書",
        finished.program.title,
        "はたらくラボ株式会社",
        "田川市",
        "北見市",
        "2026年11月30日",
        "令和8年11月30日",
        "令和8年12月4日",
        "課長",
        "係長",
        "目次",
    ):
        assert expected in compact, expected
    # Aims, the week, the trip and its seminar with attendance and outcomes.
    for expected in (
        "クラウドソーシングを行政サービスに生かす",
        "地域で仕事の機会を広げる",
        "オリエンテーション",
        "地域企業向けセミナーの開催",
        "仕事を切り出して地域で頼む",
        "26（30）",
        "参加企業26社",
    ):
        assert expected in compact, expected
    # Each trainee: reflections (never a draft), the 復命書, the consented answer only.
    assert "意思決定の速さに驚いた" in compact
    assert "（期限後に提出）" in compact
    assert w.SECRET_DRAFT not in compact
    assert "地域の企業の関心の高さを感じた。" in compact
    assert w.CONSENTED_ANSWER in compact
    assert w.REFUSED_ANSWER not in compact
    assert "同意のない回答1件は載せていません。" in compact
    assert "提出された振り返りはありません。" in compact  # the second trainee wrote none
    # User text with HTML is printed as text, not read as markup.
    assert "<script>alert('x')</script>&<b>太字</b>" in compact
    # Page numbers in the footer and in the table of contents.
    pages = w.pdf_pages(pdf)
    assert len(pages) >= 6
    assert f"1 / {len(pages)}" in pages[0]
    assert f"{len(pages)} / {len(pages)}" in pages[-1]
    listed = {
        title: int(page)
        for title, page in re.findall(r"^\s*\d\.\s*(\S+)\s*\.{3,}\s*(\d+)\s*$", pages[1], re.M)
    }
    assert listed["研修の概要"] == 3
    assert "研修の概要" in "".join(pages[listed["研修の概要"] - 1].split())
    assert "研修生ごとの記録" in "".join(pages[listed["研修生ごとの記録"] - 1].split())
    # The survey chart is drawn with text (its labels are extractable) in the same font.
    assert "仕事の進め方は" in compact
    fonts = w.pdf_fonts(pdf)
    assert any("NotoSansCJK" in name.replace("-", "") for name in fonts), fonts
    assert all(fonts.values()), fonts  # every font embedded
    assert report.filename == "研修実施報告書_20261130_v1.pdf"
    # The stored hash is of what was drawn: asking again for the same data gives it back.
    assert (
        services.request_program_report(
            finished.program, by=coordinator, today=timezone.localdate()
        ).pk
        == report.pk
    )


def test_the_trainee_report_is_the_hr_form_with_its_attachments(
    finished, coordinator, django_capture_on_commit_callbacks
):
    report, pdf = built(
        lambda: services.request_trainee_report(
            finished.first, by=coordinator, today=timezone.localdate()
        ),
        django_capture_on_commit_callbacks,
    )
    compact = "".join(w.pdf_text(pdf).split())
    for label in ("研修報告書", "所属", "氏名", "研修名", "期間", "研修先", "内容", "所感"):
        assert label in compact, label
    assert "今後の業務への活用" in compact
    assert "田川市総務課" in compact
    assert finished.second.trainee.display_name.replace(" ", "") not in compact
    assert finished.first.trainee.display_name.replace(" ", "") in compact
    assert (
        "令和8年11月30日（2026年11月30日）〜令和8年12月4日（2026年12月4日）（研修日数5日）"
        in compact
    )
    assert "意思決定の速さに驚いた" in compact  # 所感 from the reflections
    assert "庁内の業務の切り出しを提案する。" in compact  # 活用 from the 復命書
    for attachment in ("別紙1研修日程表", "別紙2復命書（1件）", "別紙3振り返り（2日分）", "別紙4"):
        assert attachment in compact, attachment
    assert w.SECRET_DRAFT not in compact
    assert report.municipality_id == finished.first.municipality_id


def test_a_program_without_trainees_gets_a_report_that_says_so(
    host, coordinator, django_capture_on_commit_callbacks
):
    empty = ProgramFactory(host=host, title="研修生のいない研修")
    _report, pdf = built(
        lambda: services.request_program_report(empty, by=coordinator, today=timezone.localdate()),
        django_capture_on_commit_callbacks,
    )
    compact = "".join(w.pdf_text(pdf).split())
    assert "この研修には研修生がいません。" in compact
    assert "日程は登録されていません。" in compact
    assert "意識調査の回答はまだありません。" in compact


def test_huge_text_emoji_and_characters_no_font_has_print_without_boxes(
    finished, coordinator, django_capture_on_commit_callbacks
):
    unbroken = "あ" * 1000 + "x" * 1000  # the longest a section may be, with no break
    DailyReflection.objects.filter(
        enrollment=finished.first, date=finished.program.start_date
    ).update(did=unbroken, learned="よかった🙂👍", felt="吉野と𠮷田さん。象形文字𓀀と⿰")
    _report, pdf = built(
        lambda: services.request_trainee_report(
            finished.first, by=coordinator, today=timezone.localdate()
        ),
        django_capture_on_commit_callbacks,
    )
    compact = "".join(w.pdf_text(pdf).split())
    assert unbroken in compact  # wrapped, not cut off
    assert "𠮷田" in compact  # a rare kanji that Noto Sans CJK has
    assert "𓀀" not in compact and f"象形文字{MISSING}" in compact  # no font has it: 〓
    fonts = w.pdf_fonts(pdf)
    assert any("Emoji" in name for name in fonts), fonts  # the emoji font took the emoji
    assert all(fonts.values()), fonts


def test_the_fiscal_year_summary_counts_and_charts(
    finished, host, coordinator, django_capture_on_commit_callbacks
):
    ProgramFactory(host=host, title="前年度の研修", start_date=timezone.datetime(2026, 3, 2).date())
    _report, pdf = built(
        lambda: services.request_fiscal_year(2026, host=host, by=coordinator),
        django_capture_on_commit_callbacks,
    )
    compact = "".join(w.pdf_text(pdf).split())
    assert "年度研修実績令和8年度" in compact
    assert "研修1件" in compact  # the March program belongs to 2025
    assert "研修生延べ2名（2自治体、2都道府県）" in compact
    assert "セミナー2回、参加者26名（記録のある1回、予定30名）" in compact
    assert "福岡県" in compact and "北海道" in compact
    assert "前年度の研修" not in compact
    # The mean change per question (question 1: 2 → 4, question 2: 3 → 3), table and chart.
    assert "+2.00" in compact and "+0.00" in compact


def test_wareki():
    from datetime import date

    from reports.wareki import era_year, fiscal_year_label, wareki, wareki_month

    assert wareki(date(2026, 11, 30)) == "令和8年11月30日"
    assert wareki_month(date(2026, 11, 1)) == "令和8年11月"
    assert era_year(date(2019, 5, 1)) == "令和元年"
    assert wareki(date(2019, 4, 30)) == "平成31年4月30日"
    assert fiscal_year_label(2026) == "令和8年度"
    assert fiscal_year_label(2019) == "令和元年度"  # 令和 from 1 May 2019, as the state names it
    assert fiscal_year_label(1988) == "昭和63年度"
    assert fiscal_year_label(1989) == "平成元年度"
