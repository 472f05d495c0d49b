"""The contact's pages (the supervisor of a municipality): the home table of their trainees
with its figures on a pinned day, its filters and its CSV, a trainee's page and the
documents page; each scoped (another municipality's contact and the host's outsiders get
404, anonymous people the login page) and each a fixed number of queries."""

import csv
import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from programs.models import Activity
from reports.models import Report, ReportKind, ReportState
from seminars.models import Expense, Trip, TripReport
from trainees.models import DailyReflection, ReflectionComment

from ..factories import (
    ProgramFactory,
    add_activity,
    at,
    count_queries,
    enrol,
    table_rows,
    trainee_of,
)

pytestmark = pytest.mark.django_db

# The fixture program runs Monday 11/30 to Friday 12/4 (2026): five training days. On
# Thursday 12/3, four are done; 11/30 to 12/2 are past, 12/3 is today (not yet missing).
TODAY = date(2026, 12, 3)
HOME = "reports:municipality_home"


@pytest.fixture
def world(program, trainee, other_trainee, coordinator):
    ours, theirs = enrol(program, trainee), enrol(program, other_trainee)
    now = at(TODAY, 9)
    DailyReflection.objects.create(
        enrollment=ours,
        date=date(2026, 11, 30),
        status="submitted",
        submitted_at=now,
        learned="意思決定の速さに驚いた",
    )
    late = DailyReflection.objects.create(
        enrollment=ours,
        date=date(2026, 12, 1),
        status="submitted",
        submitted_at=now,
        late=True,
        felt="現場の声が新鮮だった",
    )
    ReflectionComment.objects.create(reflection=late, author=coordinator, body="よい気づきです")
    DailyReflection.objects.create(
        enrollment=ours, date=date(2026, 12, 2), status="draft", learned="下書きの秘密"
    )
    DailyReflection.objects.create(
        enrollment=theirs, date=date(2026, 11, 30), status="submitted", submitted_at=now
    )
    trip = Trip.objects.create(
        program=program,
        purpose="説明会の開催",
        start_date=date(2026, 12, 1),
        end_date=date(2026, 12, 2),
    )
    trip.trainees.add(ours, theirs)
    cancelled = Trip.objects.create(
        program=program,
        purpose="中止",
        start_date=date(2026, 12, 2),
        end_date=date(2026, 12, 2),
        status="cancelled",
    )
    for line_trip, enrollment, amount, payer in (
        (trip, ours, 1000, "municipality"),
        (trip, ours, 2500, "municipality"),
        (trip, ours, 9999, "host"),  # the host pays: not the municipality's
        (trip, theirs, 5000, "municipality"),  # another municipality's trainee
        (cancelled, ours, 7000, "municipality"),  # a cancelled trip
    ):
        Expense.objects.create(
            trip=line_trip,
            enrollment=enrollment,
            kind="fare_rail",
            label="鉄道賃",
            amount=amount,
            payer=payer,
        )
    TripReport.objects.create(
        trip=trip, enrollment=ours, status="submitted", submitted_at=now, impressions="学びが多い"
    )
    return ours, theirs


def get(client, name, *args, **query):
    with time_machine.travel(at(TODAY, 10), tick=False):
        return client.get(reverse(name, args=args), query)


def test_home_shows_each_figure_on_the_pinned_day(client, supervisor, world):
    ours, theirs = world
    client.force_login(supervisor)
    html = get(client, HOME).content.decode()
    (row,) = table_rows(html)
    assert row[0].startswith(ours.trainee.display_name)
    assert "4 / 5 日" in row[2]
    assert row[3] == "提出 2・うち期限後 1・未提出 1"
    assert row[5] == "提出 1/1"
    assert row[7] == "3,500円"
    assert reverse("reports:contact_trainee", args=[ours.pk]) in html
    assert theirs.trainee.display_name not in html


def test_days_to_come_are_never_missing(client, supervisor, world):
    client.force_login(supervisor)
    with time_machine.travel(at(date(2026, 11, 30), 10), tick=False):
        (row,) = table_rows(client.get(reverse(HOME)).content)
    assert "1 / 5 日" in row[2] and "未提出" not in row[3]


def test_filters_by_year_and_program_and_keep_the_choice(client, supervisor, trainee, world):
    ours, _theirs = world
    earlier = ProgramFactory(
        host=ours.program.host,
        title="前年度の研修",
        start_date=date(2025, 10, 5),
        end_date=date(2025, 10, 9),
    )
    enrol(earlier, trainee)
    client.force_login(supervisor)
    assert len(table_rows(get(client, HOME).content)) == 2
    html = get(client, HOME, year=2025).content.decode()
    assert [r[1][:6] for r in table_rows(html)] == ["前年度の研修"]
    assert '<option value="2025" selected>' in html
    html = get(client, HOME, program=ours.program.pk).content.decode()
    assert len(table_rows(html)) == 1 and f'<option value="{ours.program.pk}" selected>' in html
    # A program of another year, or not theirs: every program of the chosen year.
    assert len(table_rows(get(client, HOME, year=2025, program=ours.program.pk).content)) == 1
    assert len(table_rows(get(client, HOME, year="x", program="-1").content)) == 2


def test_the_csv_is_the_same_table(client, supervisor, world):
    ours, theirs = world
    ours.trainee.family_name = "=cmd"
    ours.trainee.save()
    client.force_login(supervisor)
    response = get(client, "reports:municipality_home_csv", year=2026)
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert "2026" in response["Content-Disposition"]
    header, *rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert header[:4] == ["研修生", "自治体", "所属", "研修プログラム"]
    assert "自治体負担の旅費（円）" in header and "研修報告書" in header
    (row,) = rows
    line = dict(zip(header, row, strict=True))
    assert line["研修生"].startswith("'=cmd")  # neutralised as in every export
    assert line["開始"] == "2026-11-30"
    assert (line["研修日数（済）"], line["研修日数"]) == ("4", "5")
    assert (line["振り返り提出"], line["うち期限後に提出"], line["振り返り未提出"]) == (
        "2",
        "1",
        "1",
    )
    assert line["自治体負担の旅費（円）"] == "3500"
    assert theirs.trainee.display_name not in body.decode("utf-8-sig")


def test_the_trainee_page_shows_the_week_reflections_and_costs(client, supervisor, world, program):
    ours, _theirs = world
    add_activity(program, date(2026, 11, 30), "10:00", "12:00", "オリエンテーション")
    client.force_login(supervisor)
    html = get(client, "reports:contact_trainee", ours.pk).content.decode()
    assert "オリエンテーション" in html
    assert "意思決定の速さに驚いた" in html and "現場の声が新鮮だった" in html
    assert "よい気づきです" in html and "期限後に提出" in html
    assert "下書きの秘密" not in html
    assert "振り返り未提出" in html and "予定" in html  # 12/2 missing; 12/4 to come
    assert "学びが多い" in html  # the 復命書
    assert "合計" in html and "3,500円" in html
    assert 'id="training-report"' in html  # TRAINING_REPORT_BLOCK for the 研修報告書's 確認


def test_the_trainee_page_names_days_off(client, supervisor, trainee, host):
    program = ProgramFactory(host=host, start_date=date(2026, 11, 20), end_date=date(2026, 11, 24))
    enrollment = enrol(program, trainee)  # 11/23 is 勤労感謝の日, 11/21–22 a weekend
    client.force_login(supervisor)
    html = get(client, "reports:contact_trainee", enrollment.pk).content.decode()
    assert "勤労感謝の日" in html and "休日" in html


def test_documents_link_the_built_pdfs(client, supervisor, world, tagawa):
    ours, _theirs = world
    report = Report.objects.create(
        kind=ReportKind.TRAINEE,
        scope=f"enrollment:{ours.pk}",
        program=ours.program,
        municipality=tagawa,
        enrollment=ours,
        state=ReportState.DONE,
        filename="研修報告書.pdf",
    )
    client.force_login(supervisor)
    download = reverse("reports:report_download", args=[report.pk])
    assert download in get(client, "reports:contact_trainee", ours.pk).content.decode()
    assert download in get(client, "reports:contact_documents").content.decode()
    (row,) = table_rows(get(client, HOME).content)
    # What the trainee wrote (not started here), then the built document's state.
    assert row[8].startswith("未着手") and row[8].endswith("PDF：作成済み")


def test_scope(client, supervisor, other_supervisor, outsider, coordinator, trainee, world):
    ours, theirs = world
    trainee_page = reverse("reports:contact_trainee", args=[ours.pk])
    pages = [
        reverse(HOME),
        reverse("reports:municipality_home_csv"),
        trainee_page,
        reverse("reports:contact_documents"),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302 and "/accounts/login/" in response.url, page
    for user in (outsider, coordinator, trainee):
        client.force_login(user)
        for page in pages:
            assert client.get(page).status_code == 404, (user, page)
    client.force_login(other_supervisor)
    assert client.get(trainee_page).status_code == 404
    assert client.get(reverse("reports:contact_trainee", args=[theirs.pk])).status_code == 200
    client.force_login(supervisor)
    assert client.get(reverse("reports:contact_trainee", args=[theirs.pk])).status_code == 404


def test_a_draft_program_stays_with_the_host(client, supervisor, trainee, host):
    draft = ProgramFactory(host=host, status="draft")
    enrollment = enrol(draft, trainee)
    client.force_login(supervisor)
    assert table_rows(client.get(reverse(HOME)).content) == []
    url = reverse("reports:contact_trainee", args=[enrollment.pk])
    assert client.get(url).status_code == 404


def test_the_menu_says_what_it_opens(client, supervisor, world):
    client.force_login(supervisor)
    html = get(client, HOME).content.decode()
    nav = html[html.index('aria-label="メイン"') :]
    nav = nav[: nav.index("</nav>")]
    assert f'href="{reverse("reports:contact_documents")}">報告書<' in nav
    assert f'href="{reverse("reports:exports")}">CSV書き出し<' in nav


def _grow(program, tagawa, n, start):
    for i in range(start, start + n):
        enrollment = enrol(program, trainee_of(tagawa, f"t{i}@example.org"))
        DailyReflection.objects.create(
            enrollment=enrollment,
            date=date(2026, 11, 30),
            status="submitted",
            submitted_at=at(TODAY, 9),
        )
        trip = Trip.objects.create(
            program=program,
            purpose=f"出張{i}",
            start_date=date(2026, 12, 1),
            end_date=date(2026, 12, 1),
        )
        trip.trainees.add(enrollment)
        Expense.objects.create(
            trip=trip, enrollment=enrollment, kind="fare_rail", amount=100, payer="municipality"
        )


def test_home_and_csv_queries_do_not_grow_with_the_rows(client, supervisor, program, tagawa):
    client.force_login(supervisor)
    _grow(program, tagawa, 1, 0)
    urls = [
        reverse(HOME),
        reverse("reports:municipality_home_csv"),
        reverse("reports:contact_documents"),
    ]
    few = [count_queries(client, url)[0] for url in urls]
    _grow(program, tagawa, 19, 1)
    many = [count_queries(client, url)[0] for url in urls]
    assert few == many


def test_trainee_page_queries_do_not_grow_with_the_reflections(
    client, supervisor, program, trainee, coordinator
):
    enrollment = enrol(program, trainee)
    client.force_login(supervisor)
    url = reverse("reports:contact_trainee", args=[enrollment.pk])

    def write(day):
        reflection = DailyReflection.objects.create(
            enrollment=enrollment, date=day, status="submitted", submitted_at=at(day, 20)
        )
        ReflectionComment.objects.create(reflection=reflection, author=coordinator, body="了解")
        add_activity(program, day, "10:00", "11:00", f"活動{day.day}")

    write(date(2026, 11, 30))
    few, _ = count_queries(client, url)
    for day in (1, 2, 3, 4):
        write(date(2026, 12, day))
    many, ctx = count_queries(client, url)
    assert few == many, "\n".join(q["sql"] for q in ctx.captured_queries)
    assert Activity.objects.filter(program=program).count() == 5


def test_a_withdrawn_trainee_is_counted_up_to_the_withdrawal(client, supervisor, program, trainee):
    """Withdrawn on the program's second day, seen on its last: one day done, the day before
    it the only one that could be missed, and the days after it neither missed nor to come,
    on the table and on the trainee's page alike."""
    from datetime import timedelta

    from ..factories import at, enrol

    first = program.start_date
    days = list(program.days)
    e = enrol(program, trainee)
    DailyReflection.objects.create(
        enrollment=e, date=first, status="submitted", submitted_at=at(first, 18)
    )
    e.withdrawn_at = at(first + timedelta(days=1), 12)
    e.save(update_fields=["withdrawn_at"])
    client.force_login(supervisor)
    with time_machine.travel(at(days[-1], 10), tick=False):
        (row,) = table_rows(get(client, HOME).content)
        page = get(client, "reports:contact_trainee", e.pk).content.decode()
    assert f"1 / {len(days)} 日" in row
    assert "提出 1" in row and "未提出" not in " ".join(row)
    assert "振り返り未提出" not in page
    assert "辞退後" in page
