"""The documents a municipality files: 旅費 in its words with totals, interim versions (中間版)
built before the last day with the days to come as 予定, the official form (和暦 first, 決裁欄,
its 文書番号 and addressee from the page its contact edits), and every kind of document as a
tagged PDF/UA-1 with its metadata."""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reports import documents, program_documents
from reports.models import Letterhead, Report, ReportKind, ReportState
from reports.selectors.program_reports import program_context, trainee_context
from seminars.models import Expense, Payer

from ..factories import at
from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(host, coordinator, staff, trainee, other_trainee):
    built = w.build(host, coordinator, trainee, other_trainee)
    trip = built.trip
    trip.staff.add(staff)

    def line(kind, label, amount, **who):
        payer = Payer.HOST if "staff" in who else Payer.MUNICIPALITY
        Expense.objects.create(trip=trip, kind=kind, label=label, amount=amount, payer=payer, **who)

    # 田川市 keeps the older words, 北見市 the revised ones, the host its own.
    line("fare_rail", "鉄道賃", 8550, enrollment=built.first)
    line("lodging", "宿泊料", 13100, enrollment=built.first)
    line("daily_allowance", "日当", 2200, enrollment=built.first)
    line("fare_rail", "交通費", 9100, enrollment=built.second)
    line("lodging", "宿泊費", 10000, enrollment=built.second)
    line("fare_rail", "交通費", 9100, staff=staff)
    built.mid = built.program.start_date + timedelta(days=2)  # 12/2, the third day
    built.after = built.program.end_date + timedelta(days=1)
    return built


def compact(text: str) -> str:
    return re.sub(r"<[^>]+>|\s", "", text)


# 旅費 -------------------------------------------------------------------------------------------


def test_the_municipality_report_carries_what_it_pays_in_its_words(finished, tagawa):
    for today in (finished.mid, finished.after):
        context = program_context(finished.program, tagawa, today=today)
        (table,) = context["travel"]["tables"]
        assert table["payer"] == "福岡県 田川市"
        assert table["categories"] == ["鉄道賃", "宿泊料", "日当"]
        assert table["total"] == 23850 == context["travel"]["municipal_total"]
        text = compact(program_documents.program_html(finished.program, tagawa, today=today))
        assert "4.旅費" in text and "田川市負担合計23,850円" in text
        assert "交通費" not in text and "9,100円" not in text  # 北見市's and the host's lines


def test_the_whole_report_carries_both_payers(finished):
    context = program_context(finished.program, today=finished.after)
    payers = [t["payer"] for t in context["travel"]["tables"]]
    assert payers == ["北海道 北見市", "福岡県 田川市", "はたらくラボ株式会社"]
    assert context["travel"]["total"] == 23850 + 19100 + 9100
    text = compact(program_documents.program_html(finished.program, today=finished.after))
    assert "合計52,050円（派遣元自治体42,950円・受入企業9,100円）" in text


def test_the_training_report_carries_the_trainees_own_costs(finished):
    for today in (finished.mid, finished.after):
        context = trainee_context(finished.first, today=today)
        assert context["travel"]["lines"] == [("鉄道賃", 8550), ("宿泊料", 13100), ("日当", 2200)]
        text = compact(program_documents.trainee_html(finished.first, today=today))
        assert "福岡県田川市負担合計23,850円（鉄道賃8,550円・宿泊料13,100円・日当2,200円）" in text
        assert re.search("別紙[0-9]旅費（派遣元自治体の負担分）", text)
    # The host pays nothing of a trainee's here: the other trainee's lines stay out.
    assert "9,100円" not in compact(
        program_documents.trainee_html(finished.first, today=finished.after)
    )


# Interim and final -------------------------------------------------------------------------------


def test_a_document_built_during_the_program_is_an_interim_one(finished, tagawa):
    context = program_context(finished.program, tagawa, today=finished.mid)
    assert context["interim"] and context["dated"] == finished.mid
    (part,) = context["trainees"]
    # 12/2's reflection is a draft and its deadline has not passed: neither missing nor done.
    assert part.planned == [finished.mid + timedelta(days=1), finished.program.end_date]
    assert part.missing == []
    text = compact(program_documents.program_html(finished.program, tagawa, today=finished.mid))
    assert "研修実施報告書（中間版）" in text
    assert "令和8年12月2日（2026年12月2日）" in text
    assert "予定（これからの日）：12/3（木）、12/4（金）" in text
    assert "未提出の日" not in text


def test_the_training_report_lists_the_days_to_come_as_planned(finished):
    text = compact(program_documents.trainee_html(finished.first, today=finished.mid))
    assert "研修報告書（中間版）" in text and "中間版（令和8年12月2日時点" in text
    assert "12月3日（木）（予定）" in text and "12月4日（金）（予定）" in text
    assert "12月1日（火）（予定）" not in text


def test_after_the_last_day_the_final_version(finished, tagawa):
    context = program_context(finished.program, tagawa, today=finished.after)
    assert not context["interim"] and context["dated"] == finished.program.end_date
    (part,) = context["trainees"]
    assert part.planned == []
    assert part.missing == [
        finished.mid,
        finished.mid + timedelta(days=1),
        finished.mid + timedelta(days=2),
    ]
    text = compact(program_documents.program_html(finished.program, tagawa, today=finished.after))
    assert "中間版" not in text and "予定（これからの日）" not in text
    assert "令和8年12月4日（2026年12月4日）" in text
    # The same content the day after: the same hash, so the version already built.
    later = program_documents.program_html(
        finished.program, tagawa, today=finished.after + timedelta(days=3)
    )
    assert documents.content_hash(later) == documents.content_hash(
        program_documents.program_html(finished.program, tagawa, today=finished.after)
    )


def test_the_build_reads_the_clock_once_and_marks_the_interim_version(
    finished, coordinator, django_capture_on_commit_callbacks
):
    from reports.services import documents as services

    with (
        time_machine.travel(at(finished.mid, 20), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report = services.request_trainee_report(
            finished.first, by=coordinator, today=timezone.localdate()
        )
    report.refresh_from_db()
    assert report.state == ReportState.DONE and report.interim
    with report.file.open("rb") as handle:
        pdf = handle.read()
    text = "".join(w.pdf_text(pdf).split())
    assert "中間版" in text and "令和8年12月2日（2026年12月2日）" in text
    assert "2026-12-02T20:00:00" in _xmp(PdfReader(io.BytesIO(pdf)))


def test_the_documents_page_says_interim_and_the_state_words(client, finished, coordinator):
    report = Report.objects.create(
        kind=ReportKind.TRAINEE,
        scope=f"enrollment:{finished.first.pk}",
        program=finished.program,
        enrollment=finished.first,
        state=ReportState.DONE,
        interim=True,
        filename="x.pdf",
    )
    client.force_login(coordinator)
    page = client.get(reverse("reports:program_documents", args=[finished.program.pk]))
    text = page.content.decode()
    assert "作成済み" in text and "中間版" in text and "完成" not in text
    status = client.get(reverse("reports:report_status", args=[report.pk])).content.decode()
    assert "作成済み" in status and "中間版" in status
    Report.objects.filter(pk=report.pk).update(state=ReportState.FAILED)
    status = client.get(reverse("reports:report_status", args=[report.pk])).content.decode()
    assert "作成失敗" in status


# Official form -----------------------------------------------------------------------------------


def test_the_official_form_and_the_municipalitys_letterhead(finished, tagawa, kitami):
    html = program_documents.trainee_html(finished.first, today=finished.after)
    assert 'aria-label="決裁欄"' in html
    assert "田川市長　様" in html  # the default addressee
    Letterhead.objects.create(
        municipality=tagawa, document_number="田人第123号", addressee="田川市長 田川 太郎 様"
    )
    for html in (
        program_documents.trainee_html(finished.first, today=finished.after),
        program_documents.program_html(finished.program, tagawa, today=finished.after),
    ):
        assert "田人第123号" in html and "田川市長 田川 太郎 様" in html
    # Not on another municipality's documents, nor on the host's whole report.
    assert "田人第123号" not in program_documents.trainee_html(
        finished.second, today=finished.after
    )
    assert "田人第123号" not in program_documents.program_html(
        finished.program, today=finished.after
    )


def test_one_persons_survey_chart_has_no_count(finished):
    context = trainee_context(finished.first, today=finished.after)
    chart = context["part"].survey_chart
    assert chart["single"]
    html = program_documents.trainee_html(finished.first, today=finished.after)
    assert "変化（人数）" not in html and "— (0)" not in html and "(1)" not in html


# The letterhead page -----------------------------------------------------------------------------


def test_the_contact_sets_the_letterhead_and_sees_errors_by_the_field(client, supervisor, tagawa):
    url = reverse("reports:letterhead_edit", args=[tagawa.pk])
    client.force_login(supervisor)
    assert client.get(url).status_code == 200
    response = client.post(url, {"document_number": "x" * 41, "addressee": "田川市長 様"})
    assert response.status_code == 200
    field = re.search(
        r'<div class="field field--error">.*?</div>\s*</div>', response.content.decode(), re.S
    )
    assert field and 'name="document_number"' in field.group(0)
    assert not Letterhead.objects.exists()
    response = client.post(url, {"document_number": " 田人第 1号 ", "addressee": "田川市長 様"})
    assert response.status_code == 302
    letterhead = Letterhead.objects.get(municipality=tagawa)
    assert (letterhead.document_number, letterhead.addressee) == ("田人第 1号", "田川市長 様")
    assert letterhead.updated_by == supervisor


def test_the_letterhead_page_is_the_contacts_alone(
    client, tagawa, other_supervisor, trainee, coordinator
):
    url = reverse("reports:letterhead_edit", args=[tagawa.pk])
    response = client.get(url)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    for outsider in (other_supervisor, trainee, coordinator):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"document_number": "x", "addressee": ""}).status_code == 404
    assert not Letterhead.objects.exists()


# Tagged PDFs -------------------------------------------------------------------------------------


def _xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()


def _tags(node, found: set) -> set:
    node = node.get_object()
    if isinstance(node, dict) or hasattr(node, "keys"):
        if "/S" in node:
            found.add(str(node["/S"]))
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, list) else [kids]:
                if hasattr(kid, "get_object"):
                    _tags(kid, found)
    elif isinstance(node, list):
        for kid in node:
            _tags(kid, found)
    return found


def test_every_kind_of_document_is_a_tagged_pdf_with_its_metadata(finished, tagawa):
    today = finished.after
    kinds = {
        "program": program_documents.program_html(finished.program, today=today),
        "program for a municipality": program_documents.program_html(
            finished.program, tagawa, today=today
        ),
        "training report": program_documents.trainee_html(finished.first, today=today),
        "fiscal year": program_documents.fiscal_year_html(
            finished.program.fiscal_year, finished.program.host
        ),
        "itinerary": documents.itinerary_html(finished.trip),
    }
    now = at(today, 9)
    for kind, html in kinds.items():
        reader = PdfReader(io.BytesIO(documents.render_pdf(documents.with_dates(html, now))))
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root, kind
        assert root["/MarkInfo"]["/Marked"] == True, kind  # noqa: E712 (a PDF boolean)
        assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True, kind  # noqa: E712
        assert root["/Lang"] == "ja", kind
        xmp = _xmp(reader)
        assert "pdfuaid:part" in xmp or "pdfuaid" in xmp, kind
        assert "<dc:title>" in xmp and "<dc:creator>" in xmp, kind
        assert "2026-12-05T09:00:00" in xmp and "ModifyDate" in xmp, kind
        tags = _tags(root["/StructTreeRoot"], set())
        assert {"/Table", "/TH", "/TD"} <= tags, (kind, tags)
        assert reader.metadata.title.startswith(("研修", "年度", "行程表")), kind
