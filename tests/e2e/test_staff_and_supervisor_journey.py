"""Staff and supervisor, against a live server and a real Celery worker: a read-only member of
the host asks for a trainee's 研修報告書 in the browser, the worker builds it, it is
downloaded, then the program's CSV files are downloaded from the 報告書 page. The supervisor
of 田川市 sees only 田川市's trainee (home, program, documents, reflections, CSV) and gets
404 on every page of the 北見市 trainee: their reflection, 復命書, seminar, 研修報告書 (view,
PDF request, status, download).

Needs PostgreSQL and Redis (the worker is a separate process): CI runs it on both."""

import csv
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from playwright.sync_api import expect

from reports.models import Report, ReportState
from reports.selectors import exports
from reports.services import documents as services
from seminars.models import Seminar, TripReport
from seminars.models.trip_reports import TripReportStatus
from trainees.models import DailyReflection, ReflectionStatus

from ..reports import world as w
from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BOM = b"\xef\xbb\xbf"


@pytest.fixture
def scene(live_worker, host, coordinator, trainee, other_trainee):
    """The finished program of the document tests, with names that are not substrings of
    each other, and for the 北見市 trainee a submitted reflection and 復命書 and a 研修報告書
    already built (a stored file: only scoping can refuse it)."""
    for user, family, given in ((trainee, "田中", "一郎"), (other_trainee, "佐藤", "次郎")):
        user.family_name, user.given_name = family, given
        user.save(update_fields=["family_name", "given_name"])
    built = w.build(host, coordinator, trainee, other_trainee)
    second = built.second
    reflection = DailyReflection.objects.create(
        enrollment=second,
        date=built.program.start_date,
        status=ReflectionStatus.SUBMITTED,
        submitted_at=built.program.created_at,
        self_rating=3,
        did="北見での業務の整理",
        learned="北見の学び",
    )
    trip_report = TripReport.objects.create(
        trip=built.trip,
        enrollment=second,
        content="北見の企業と個別相談をした。",
        status=TripReportStatus.SUBMITTED,
        submitted_at=built.program.created_at,
    )
    # Marked done before the commit sends the job: the real worker leaves it alone.
    with transaction.atomic():
        theirs = services.request_trainee_report(second, by=coordinator, today=timezone.localdate())
        theirs.file.save("report.pdf", ContentFile(b"%PDF-1.7\n%theirs\n"), save=False)
        theirs.state = ReportState.DONE
        theirs.save()
    built.their_reflection = reflection
    built.their_trip_report = trip_report
    built.their_seminar = Seminar.objects.get(title=w.KITAMI_SEMINAR)
    built.their_document = theirs
    return built


def header_of(kind: str) -> list[str]:
    with translation.override("ja"):
        return [str(label) for label in exports.EXPORTS[kind][1]()]


def download_csv(page, link: str, kind: str) -> tuple[str, bytes, list[list[str]]]:
    """Download the CSV export behind `link`: its file name, its bytes (with the BOM Excel
    needs) and its rows, the first of them the export's header."""
    with page.expect_download() as info:
        page.get_by_role("link", name=link).click()
    data = info.value.path().read_bytes()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert data.startswith(BOM)
    assert rows[0] == header_of(kind)
    return info.value.suggested_filename, data, rows


def test_staff_export_and_the_supervisor_sees_only_their_municipality(
    page, live_server, shoot, scene, staff, supervisor
):
    program = scene.program
    mine, theirs = scene.first, scene.second
    my_name, their_name = mine.trainee.display_name, theirs.trainee.display_name
    url = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})

    # 1. Staff (read-only member of the host): a trainee's 研修報告書, built by the worker.
    log_in(page, live_server, staff.email)
    page.goto(f"{url}/programs/{program.pk}/")
    shoot("journey-staff-01-program")
    page.get_by_role("link", name="文書").click()
    expect(page.get_by_role("heading", name="文書", exact=True)).to_be_visible()
    shoot("journey-staff-02-documents")
    page.get_by_role("button", name=re.compile(rf"^PDFを作成\s*：{my_name}$")).click()
    expect(page.get_by_text("作成済み", exact=True)).to_be_visible(
        timeout=120_000
    )  # the page refreshes itself
    shoot("journey-staff-03-report-ready")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("ダウンロード")).first.click()
    assert (
        info.value.suggested_filename == f"研修報告書_田中一郎_{program.start_date:%Y%m%d}_v1.pdf"
    )
    text = "".join(w.pdf_text(info.value.path().read_bytes()).split())
    assert "研修報告書" in text and "田中一郎" in text and "田川市" in text
    assert "佐藤次郎" not in text and w.SECRET_DRAFT not in text
    mine_built = Report.objects.get(scope=f"enrollment:{mine.pk}", state=ReportState.DONE)
    # The host's people may hold the 北見市 trainee's document: it is there to be refused.
    held = page.request.get(f"{url}/documents/{scene.their_document.pk}/download/")
    assert held.status == 200 and held.body().startswith(b"%PDF")

    # 2. Staff: the CSV page in the top navigation (named for what it opens), the files.
    page.get_by_role("navigation", name="メイン").get_by_role("link", name="CSV書き出し").click()
    expect(page.get_by_role("heading", name="CSV書き出し")).to_be_visible()
    page.get_by_role("combobox", name="年度").select_option(str(program.fiscal_year))
    page.get_by_role("combobox", name="研修プログラム").select_option(label=program.title)
    page.get_by_role("button", name="表示").click()
    expect(page.get_by_role("heading", name=re.compile(re.escape(program.title)))).to_be_visible()
    shoot("journey-staff-04-exports")
    suffix = f"{program.fiscal_year}年度_{program.pk}.csv"
    name, data, rows = download_csv(page, "研修プログラム (CSV)", "programs")
    assert name == f"研修一覧_{suffix}"
    assert rows[0][0] == "年度"
    assert [row[2] for row in rows[1:]] == [program.title]
    assert set(rows[1][7].split("、")) == {"田川市", "北見市"}
    name, data, rows = download_csv(page, "日々の振り返り (CSV)", "reflections")
    assert name == f"振り返り_{suffix}"
    assert rows[0][0] == "日付"
    assert {row[1] for row in rows[1:]} == {program.title}
    assert {row[2] for row in rows[1:]} == {my_name, their_name}
    assert "意思決定の速さに驚いた" in data.decode("utf-8-sig")
    assert w.SECRET_DRAFT not in data.decode("utf-8-sig")  # a draft's text stays with its author

    # 3. The supervisor of 田川市: their own trainee everywhere, never the 北見市 one.
    page.context.clear_cookies()
    log_in(page, live_server, supervisor.email)
    expect(page).to_have_url(re.compile(r"/municipality/$"))
    body = page.locator("body")
    expect(page.get_by_text(my_name).first).to_be_visible()
    expect(body).not_to_contain_text(their_name)
    shoot("journey-supervisor-01-home")
    page.goto(f"{url}/programs/{program.pk}/")
    expect(page.get_by_text(my_name).first).to_be_visible()
    expect(body).not_to_contain_text(their_name)
    shoot("journey-supervisor-02-program")
    page.get_by_role("link", name="文書").click()
    expect(page.get_by_role("heading", name="文書", exact=True)).to_be_visible()
    expect(
        page.get_by_role("button", name=re.compile(rf"PDFを作り直す\s*：{my_name}$"))
    ).to_be_visible()
    expect(body).not_to_contain_text(their_name)
    for table in page.locator("table").all():  # the title names both municipalities
        expect(table).not_to_contain_text("北見市")
    shoot("journey-supervisor-03-documents")
    page.get_by_role("navigation", name="メイン").get_by_role("link", name="振り返り").click()
    expect(page.get_by_text(my_name).first).to_be_visible()
    expect(body).not_to_contain_text(their_name)
    shoot("journey-supervisor-04-reflections")
    enrolled = page.request.get(f"{url}/exports/enrollments.csv?program={program.pk}")
    assert enrolled.status == 200
    names = [row[1] for row in csv.reader(io.StringIO(enrolled.body().decode("utf-8-sig")))]
    assert names[1:] == [my_name]

    # 4. Each page of the 北見市 trainee answers 404; the same page of their own trainee 200.
    my_reflection = DailyReflection.objects.filter(
        enrollment=mine, status=ReflectionStatus.SUBMITTED
    ).first()
    my_trip_report = TripReport.objects.get(enrollment=mine)
    trip = f"/programs/{program.pk}/trips/{scene.trip.pk}"
    pairs = [
        (f"/reflections/{my_reflection.pk}/", f"/reflections/{scene.their_reflection.pk}/"),
        (
            f"/programs/{program.pk}/trainees/{mine.pk}/report/",
            f"/programs/{program.pk}/trainees/{theirs.pk}/report/",
        ),
        (f"/documents/{mine_built.pk}/", f"/documents/{scene.their_document.pk}/"),
        (
            f"/documents/{mine_built.pk}/download/",
            f"/documents/{scene.their_document.pk}/download/",
        ),
        (
            f"{trip}/reports/{my_trip_report.pk}/",
            f"{trip}/reports/{scene.their_trip_report.pk}/",
        ),
        (
            f"/programs/{program.pk}/seminars/{scene.seminar.pk}/",
            f"/programs/{program.pk}/seminars/{scene.their_seminar.pk}/",
        ),
    ]
    for own, other in pairs:
        assert page.request.get(url + own).status == 200, own
        response = page.request.get(url + other)
        assert response.status == 404, other
        assert their_name not in response.text(), other
    # Asking for the 北見市 trainee's PDF (a valid CSRF token) is refused too, and makes none.
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    asked = page.request.post(
        f"{url}/programs/{program.pk}/trainees/{theirs.pk}/report.pdf",
        headers={"X-CSRFToken": token, "Referer": f"{url}/programs/{program.pk}/documents/"},
    )
    assert asked.status == 404
    assert Report.objects.filter(scope=f"enrollment:{theirs.pk}").count() == 1
    response = page.goto(f"{url}/programs/{program.pk}/trainees/{theirs.pk}/report/")
    assert response.status == 404
    expect(body).not_to_contain_text(their_name)
    shoot("journey-supervisor-05-not-found")
