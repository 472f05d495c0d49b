"""The itinerary PDF (built by the task, versioned by content, Japanese text in an embedded
font, one A4 page per traveller) and the expenses CSV (UTF-8 with BOM, formulas
neutralised)."""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from reports import documents
from reports.models import Report
from seminars.services import expenses as expense_services
from seminars.services import legs as leg_services

from .conftest import leg_plan

pytestmark = pytest.mark.django_db


def poppler(tool: str, pdf: bytes, tmp_path) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} missing: poppler-utils is installed by `make install-test`")
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    args = [tool, str(path)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def request_pdf(client, trip):
    from django.test import TestCase

    # The view enqueues after commit; the test's transaction never commits, so run them.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("reports:itinerary_pdf", args=[trip.program.pk, trip.pk]))
    assert response.status_code == 302
    return Report.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_the_pdf_is_built_with_japanese_text_one_page_per_traveller(
    client, coordinator, trip, first_leg, seminar, tmp_path
):
    client.force_login(coordinator)
    report = request_pdf(client, trip)  # tasks run eagerly in unit tests
    assert (report.state, report.version, report.error) == ("done", 1, "")
    download = client.get(reverse("reports:report_download", args=[report.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''%E8%A1%8C%E7%A8%8B%E8%A1%A8" in download["Content-Disposition"]
    pdf = b"".join(download.streaming_content)
    assert pdf.startswith(b"%PDF-")
    text = poppler("pdftotext", pdf, tmp_path)
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) == 3  # two trainees and the staff member
    assert (
        "行程表" in pages[0] and "福岡空港" in pages[0] and "初心者ワーカー向け説明会" in pages[0]
    )
    assert re.search(r"1\s*/\s*3", pages[0])  # page numbers in the margin
    fonts = poppler("pdffonts", pdf, tmp_path)
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all("CJK" in row and " yes " in row for row in rows)  # all embedded


def test_unchanged_data_gets_the_same_version_and_a_change_a_new_one(
    client, coordinator, trip, first_leg
):
    client.force_login(coordinator)
    first = request_pdf(client, trip)
    assert request_pdf(client, trip) == first
    leg_services.save_leg(
        trip, leg_plan("12-02 18:00", "12-02 19:45", service="FDA 245"), by=coordinator
    )
    second = request_pdf(client, trip)
    assert (second.version, first.version) == (2, 1)
    # The old version stays downloadable.
    assert client.get(reverse("reports:report_download", args=[first.pk])).status_code == 200


def test_a_failed_build_says_why_and_can_be_retried(client, coordinator, trip, monkeypatch):
    client.force_login(coordinator)

    def broken(html):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(documents, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        request_pdf(client, trip)
    report = Report.objects.get()
    assert (report.state, report.error) == ("failed", "renderer crashed")
    page = client.get(reverse("reports:report_status", args=[report.pk])).content.decode()
    assert "renderer crashed" in page
    monkeypatch.undo()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("reports:report_retry", args=[report.pk]))
    report.refresh_from_db()
    assert report.state == "done"


def test_user_text_is_printed_as_text(trip, coordinator):
    leg_services.save_leg(
        trip,
        leg_plan("12-01 07:00", "12-01 08:40", destination="<b>羽田</b><script>x</script>"),
        by=coordinator,
    )
    html = documents.itinerary_html(trip)
    assert "<script>x</script>" not in html
    assert "&lt;b&gt;羽田&lt;/b&gt;" in html


def test_the_csv_is_excel_ready_and_neutralises_formulas(
    client, coordinator, trip, first_leg, enrollment
):
    expense_services.save_expense(
        trip,
        expense_services.ExpensePlan(
            f"e{enrollment.pk}", "other", 500, "municipality", '=HYPERLINK("http://x")'
        ),
        by=coordinator,
    )
    client.force_login(coordinator)
    response = client.get(reverse("reports:trip_expenses_csv", args=[trip.program.pk, trip.pk]))
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    lines = body.lstrip("\ufeff").splitlines()
    # The header, three fares, three allowances for the night (宿泊手当), the hand-typed line.
    assert len(lines) == 1 + 3 + 3 + 1
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body
    assert "38000" in body and "宿泊手当" in body


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1"])
def test_each_formula_start_is_neutralised(value):
    assert documents.safe_cell(value) == "'" + value
    assert documents.safe_cell("田川市") == "田川市"


def test_a_trainees_itinerary_has_only_their_seminars(
    trip, first_leg, seminar, coordinator, enrollment, second_enrollment
):
    from seminars.services import seminars as seminar_services

    seminar_services.set_roles(seminar, {second_enrollment.pk: None}, by=coordinator)
    pages = {p["person"]["key"]: p for p in documents.itinerary_context(trip)["pages"]}
    titles = {key: [row["what"] for row in page["rows"]] for key, page in pages.items()}
    assert "初心者ワーカー向け説明会" in titles[f"e{enrollment.pk}"]
    assert "初心者ワーカー向け説明会" not in titles[f"e{second_enrollment.pk}"]
    staff_key = next(key for key in titles if key.startswith("s"))
    assert "初心者ワーカー向け説明会" in titles[staff_key]  # the host's staff see them all


def test_a_build_whose_worker_died_is_taken_again_and_gives_up_after_three(
    trip, first_leg, coordinator, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from reports.tasks import MAX_ATTEMPTS, build_report

    report = Report.objects.create(
        kind="itinerary",
        program=trip.program,
        scope=f"trip:{trip.pk}",
        content_hash="x",
        filename="行程表.pdf",
        state="running",
        started_at=timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120),
        attempts=1,
    )
    assert report.is_stale
    assert build_report(report.pk) == "done"  # the redelivered task takes it again
    report.refresh_from_db()
    assert (report.state, report.attempts) == ("done", 2)
    # A live worker's row is left alone.
    Report.objects.filter(pk=report.pk).update(state="running", started_at=timezone.now())
    assert build_report(report.pk) == "skipped"
    assert Report.objects.get(pk=report.pk).state == "running"
    # Interrupted too often: failed, with the reason, and retried from its page.
    Report.objects.filter(pk=report.pk).update(
        started_at=timezone.now() - timedelta(days=1), attempts=MAX_ATTEMPTS
    )
    assert build_report(report.pk) == "skipped"
    report.refresh_from_db()
    assert report.state == "failed" and "interrupted" in report.error


def test_a_missing_file_answers_404(client, coordinator, trip, first_leg):
    from django.core.files.storage import default_storage

    client.force_login(coordinator)
    report = request_pdf(client, trip)
    default_storage.delete(report.file.name)
    assert client.get(reverse("reports:report_download", args=[report.pk])).status_code == 404
