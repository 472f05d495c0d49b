"""The scheme office's year (年度): every program of the scheme at every host with its
figures and the documents hosts share with the office; the 年度 report across hosts as CSV
and as a PDF built by the worker. The office only: everyone else gets 404, and the office
never holds a trainee's own document or anything outside the scheme."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import Report, ReportKind, ReportState, fiscal_year_scope

from ..factories import ProgramFactory, count_queries, enrol, table_rows, trainee_of
from . import office_world as ow
from . import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(host, other_host, coordinator, trainee, other_trainee, supervisor, outsider):
    return ow.build(host, other_host, coordinator, trainee, other_trainee, timezone.localdate())


def page_url(y) -> str:
    return reverse("reports:office_year") + f"?year={y.year}"


def csv_url(y) -> str:
    return reverse("reports:office_year_csv") + f"?year={y.year}"


def across_hosts(y) -> Report:
    return Report.objects.create(
        kind=ReportKind.FISCAL_YEAR,
        scope=fiscal_year_scope(y.year, None),
        fiscal_year=y.year,
        content_hash="x",
        filename="年度研修実績.pdf",
    )


# Who may read what ------------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, year):
    report = across_hosts(year)
    for address in (
        page_url(year),
        csv_url(year),
        reverse("reports:report_download", args=[year.shared.pk]),
        reverse("reports:report_status", args=[report.pk]),
    ):
        response = client.get(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith(reverse("account_login")), address
    response = client.post(reverse("reports:fiscal_year_pdf") + f"?year={year.year}")
    assert response.status_code == 302
    assert Report.objects.filter(kind=ReportKind.FISCAL_YEAR).count() == 1


@pytest.mark.parametrize("who", ["coordinator", "supervisor", "trainee", "outsider"])
def test_nobody_but_the_office_reads_the_year(client, year, who, request):
    client.force_login(request.getfixturevalue(who))
    report = across_hosts(year)
    assert client.get(page_url(year)).status_code == 404
    assert client.get(csv_url(year)).status_code == 404
    for view in ("reports:report_status", "reports:report_download"):
        assert client.get(reverse(view, args=[report.pk])).status_code == 404, view
    # The summary's print view and PDF: a host's own at most, never the one across hosts.
    page = client.get(reverse("reports:fiscal_year_print") + f"?year={year.year}")
    assert page.status_code in (200, 404)
    html = page.content.decode()
    assert not (year.theirs.title in html and year.ours.title in html)
    before = Report.objects.count()
    client.post(reverse("reports:fiscal_year_pdf") + f"?year={year.year}")
    assert not Report.objects.filter(
        kind=ReportKind.FISCAL_YEAR, host__isnull=True, pk__gt=report.pk
    ).exists()
    assert Report.objects.count() - before in (0, 1)  # a host's own summary


def test_the_office_holds_the_shared_reports_and_nothing_else(client, year):
    client.force_login(year.office)
    response = client.get(reverse("reports:report_download", args=[year.shared.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == ow.PDF
    status = client.get(reverse("reports:report_status", args=[year.shared.pk]))
    assert status.status_code == 200
    assert page_url(year) in status.content.decode()  # back to the year, not the program
    for other in (year.for_tagawa, year.training_report, year.outside_report, year.not_shared):
        for view in ("reports:report_status", "reports:report_download"):
            assert client.get(reverse(view, args=[other.pk])).status_code == 404, (other, view)
    # The program's own pages stay the host's.
    for name in ("reports:program_documents", "reports:program_report_print"):
        assert client.get(reverse(name, args=[year.ours.pk])).status_code == 404
    assert client.get(reverse("programs:program_detail", args=[year.ours.pk])).status_code == 404
    # A host's summary holds its programs outside the scheme: not the office's.
    host_summary = (
        reverse("reports:fiscal_year_print") + f"?year={year.year}&host={year.ours.host_id}"
    )
    assert client.get(host_summary).status_code == 404


def test_a_report_being_built_is_not_shared_yet(client, year):
    Report.objects.filter(pk=year.shared.pk).update(state=ReportState.RUNNING)
    client.force_login(year.office)
    assert client.get(reverse("reports:report_status", args=[year.shared.pk])).status_code == 404


def test_the_office_lands_on_its_links(client, year):
    client.force_login(year.office)
    html = client.get(page_url(year)).content.decode()
    assert reverse("reports:office_year") in html  # the header's link 「年度の研修」
    assert "年度の研修" in html


# The page's figures -----------------------------------------------------------------------------


def test_the_year_lists_every_program_of_the_scheme_with_its_figures(client, year):
    client.force_login(year.office)
    response = client.get(page_url(year))
    assert response.status_code == 200
    html = response.content.decode()
    rows = {row[1].split("\n")[0].strip(): row for row in table_rows(html) if len(row) == 8}
    titles = {title for title in rows if title}
    assert any(year.ours.title in t for t in titles)
    assert any(year.theirs.title in t for t in titles)
    assert any(year.draft.title in t for t in titles)
    assert year.outside.title not in html  # outside the scheme
    assert year.hosts_draft.title not in html  # a host's own draft stays with the host
    ours = next(row for t, row in rows.items() if year.ours.title in t)
    assert ours[0] == "はたらくラボ株式会社"
    assert "北見市" in ours[2] and "田川市" in ours[2]
    assert ours[3] == "終了"
    assert ours[4:7] == ["2", "40%", "+0.33"]
    assert "研修実施報告書" in ours[7] or "v1" in ours[7]
    theirs = next(row for t, row in rows.items() if year.theirs.title in t)
    assert theirs[2] == "松本市" and theirs[4:7] == ["1", "100%", "—"]
    draft = next(row for t, row in rows.items() if year.draft.title in t)
    assert draft[2] == "箕輪町"  # from the match, before anyone is enrolled
    assert draft[3] == "下書き" and draft[4:7] == ["0", "—", "—"]
    assert ow.SECRET_DRAFT not in html
    # The call's figures, and the shared report's download.
    assert "受入枠" in html and "マッチング確定" in html
    assert reverse("reports:report_download", args=[year.shared.pk]) in html
    for other in (year.for_tagawa, year.training_report, year.outside_report):
        assert reverse("reports:report_download", args=[other.pk]) not in html


def test_the_year_switcher_offers_the_years_and_keeps_an_empty_one(client, year):
    client.force_login(year.office)
    html = client.get(page_url(year)).content.decode()
    assert f'<option value="{year.year}" selected>' in html
    empty = client.get(reverse("reports:office_year") + f"?year={year.year - 3}")
    assert empty.status_code == 200
    assert year.ours.title not in empty.content.decode()
    assert "この年度の研修事業の研修はまだありません" in empty.content.decode()


def test_the_pages_queries_do_not_grow_with_the_programs(client, year, host, tagawa):
    client.force_login(year.office)

    def add(count):
        for n in range(count):
            program = ProgramFactory(host=host, start_date=year.ours.start_date)
            enrolment = enrol(program, trainee_of(tagawa, f"t{count}-{n}@example.org"))
            ow.reflect(enrolment, [0])

    add(2)
    few, _ = count_queries(client, page_url(year))
    add(45)
    many, ctx = count_queries(client, page_url(year))
    assert few == many, [q["sql"][:120] for q in ctx.captured_queries]


# The 年度 report: CSV and PDF -------------------------------------------------------------------


def test_the_csv_sums_up_per_host_and_in_total(client, year, other_host):
    other_host.name = '=HYPERLINK("http://evil") ノース'
    other_host.save()
    client.force_login(year.office)
    response = client.get(csv_url(year))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    assert "filename*=utf-8''" in response["Content-Disposition"].replace("UTF-8", "utf-8")
    lines = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert lines[0][0] == "受入企業" and lines[0][-2] == "振り返り提出率（%）"
    by_host = {line[0]: line[1:] for line in lines[1:] if line}
    assert by_host["はたらくラボ株式会社"] == ["1", "2", "2", "4", "10", "40.0", "0.33"]
    # The formula is text: an apostrophe before it.
    assert by_host['\'=HYPERLINK("http://evil") ノース'] == ["1", "1", "1", "5", "5", "100.0", ""]
    assert by_host["合計"] == ["2", "3", "3", "9", "15", "60.0", "0.33"]
    assert by_host["申込"] == ["2"] and by_host["派遣職員（申込）"] == ["3"]
    assert by_host["マッチング確定"] == ["1"] and by_host["派遣職員（確定）"] == ["2"]
    assert by_host["受入枠"] == ["1"] and by_host["受入枠（延べ人・週）"] == ["6"]


def test_the_office_builds_the_pdf_through_the_worker(
    client, year, django_capture_on_commit_callbacks, tmp_path
):
    client.force_login(year.office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:fiscal_year_pdf") + f"?year={year.year}")
    report = Report.objects.get(kind=ReportKind.FISCAL_YEAR, host__isnull=True)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:report_status", args=[report.pk])
    assert report.state == ReportState.DONE and report.scope == f"fiscal_year:{year.year}:all"
    # The page shows the version and its link; the office downloads it.
    html = client.get(page_url(year)).content.decode()
    assert reverse("reports:report_status", args=[report.pk]) in html
    download = client.get(reverse("reports:report_download", args=[report.pk]))
    assert download.status_code == 200
    pdf = b"".join(download.streaming_content)
    compact = "".join(w.pdf_text(pdf).split())
    assert "受入企業別の実績" in compact
    assert "はたらくラボ株式会社1件2名240%+0.33" in compact
    assert "合計2件3名360%+0.33" in compact
    assert "募集の状況" in compact and "申込2自治体（派遣職員3名）" in compact
    assert year.outside.title not in compact and year.draft.title not in compact
    assert ow.SECRET_DRAFT not in compact
    assert all(w.pdf_fonts(pdf).values())  # the fonts are embedded
    (tmp_path / "year.pdf").write_bytes(pdf)
    # Asking again for the same content gives the same version.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:fiscal_year_pdf") + f"?year={year.year}")
    assert Report.objects.filter(kind=ReportKind.FISCAL_YEAR).count() == 1


def test_the_page_and_the_csv_read_in_english_too(client, year):
    year.office.language = "en"
    year.office.save(update_fields=["language"])
    client.force_login(year.office)
    html = client.get(page_url(year)).content.decode()
    assert "The year&#x27;s programs" in html or "The year's programs" in html
    assert "Reflection rate" in html and "40%" in html
    body = b"".join(client.get(csv_url(year)).streaming_content).decode("utf-8")
    assert body.lstrip("\ufeff").startswith("Host company,")
    assert "\nTotal,2,3,3,9,15,60.0,0.33" in body.replace("\r\n", "\n")


def test_the_hosts_coordinator_shares_a_version_with_the_office(
    client, year, coordinator, staff, outsider, supervisor
):
    """The whole report holds the trainees' own writing: it reaches the office only when the
    host's coordinator shares that version, and leaves when they take it back."""
    share = reverse("reports:report_share", args=[year.not_shared.pk])
    download = reverse("reports:report_download", args=[year.not_shared.pk])
    client.force_login(year.office)
    assert client.get(download).status_code == 404
    assert client.post(share, {"share": "1"}).status_code == 404  # not the office's to share
    for stranger in (outsider, supervisor):  # another host's coordinator, a contact
        client.force_login(stranger)
        assert client.post(share, {"share": "1"}).status_code == 404
    client.force_login(staff)
    assert client.post(share, {"share": "1"}).status_code == 403  # staff read, never share
    client.force_login(coordinator)
    page = client.get(reverse("reports:report_status", args=[year.not_shared.pk]))
    assert "事務局と共有する" in page.content.decode()
    response = client.post(share, {"share": "1"}, follow=True)
    assert "事務局と共有しました" in response.content.decode()
    client.force_login(year.office)
    assert client.get(download).status_code == 200
    client.force_login(coordinator)
    client.post(share, {"share": "0"})
    client.force_login(year.office)
    assert client.get(download).status_code == 404


def test_a_report_outside_the_scheme_cannot_be_shared(client, year, coordinator):
    client.force_login(coordinator)
    share = reverse("reports:report_share", args=[year.outside_report.pk])
    assert client.post(share, {"share": "1"}).status_code == 403
    year.outside_report.refresh_from_db()
    assert year.outside_report.shared_with_office_at is None


def test_anonymous_is_sent_to_log_in_from_sharing(client, year):
    response = client.post(reverse("reports:report_share", args=[year.shared.pk]), {"share": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
