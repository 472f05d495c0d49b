"""CSV exports of a fiscal year: UTF-8 with BOM and Japanese file names, streamed, formula
cells neutralised, drafts' text never exported, each person's scope (supervisors: their own
municipality only; outsiders and trainees: 404), and a query count that does not grow with
the number of rows."""

import csv
import io
from datetime import date, time, timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from programs.models import fiscal_year_of
from reports.documents import safe_cell
from reports.selectors import exports
from seminars.models import Expense, Seminar, SeminarRole, Trip
from trainees.models import DailyReflection

from ..factories import ProgramFactory, TraineeProfileFactory, UserFactory, at, enrol

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"
FORMULA = '=HYPERLINK("http://evil.example/","詳細")'
EXPORTS = ["programs", "enrollments", "reflections", "seminars", "expenses"]
FOR_SUPERVISORS = [kind for kind in EXPORTS if kind != "seminars"]


def url(kind: str, **query) -> str:
    address = reverse(f"reports:export_{kind}")
    if query:
        address += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return address


def body_of(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response.streaming
    return b"".join(response.streaming_content)


def table(response) -> list[list[str]]:
    body = body_of(response)
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body[len(BOM) :].decode("utf-8"))))


def download(client, user, kind: str, **query) -> list[list[str]]:
    client.force_login(user)
    return table(client.get(url(kind, **query)))


def named(user, family: str, given: str):
    user.family_name, user.given_name = family, given
    user.save(update_fields=["family_name", "given_name"])
    return user


@pytest.fixture
def ours(program, trainee, staff):
    """A trainee of 田川市 in the program, the staff member as mentor."""
    named(trainee, "田川", "一郎")
    enrollment = enrol(program, trainee)
    enrollment.mentor = staff
    enrollment.save(update_fields=["mentor"])
    return enrollment


@pytest.fixture
def theirs(program, other_trainee):
    """A trainee of 北見市 in the same program."""
    return enrol(program, named(other_trainee, "北見", "二郎"))


@pytest.fixture
def reflections(ours, theirs):
    """Monday submitted, Tuesday a draft (ours); Monday submitted (theirs)."""
    now = timezone.now()
    DailyReflection.objects.create(
        enrollment=ours,
        date=date(2026, 11, 30),
        status="submitted",
        submitted_at=now,
        late=True,
        self_rating=4,
        did="サービス体験",
        learned="提出した学び",
    )
    DailyReflection.objects.create(
        enrollment=ours, date=date(2026, 12, 1), status="draft", learned="下書きの秘密"
    )
    DailyReflection.objects.create(
        enrollment=theirs,
        date=date(2026, 11, 30),
        status="submitted",
        submitted_at=now,
        learned="北見の学び",
    )


@pytest.fixture
def trip(program, ours, theirs, staff):
    """A trip with a line for each trainee and one for the host's staff member."""
    trip = Trip.objects.create(
        program=program,
        purpose="地域ワーカー向け説明会の開催",
        start_date=date(2026, 12, 1),
        end_date=date(2026, 12, 2),
    )
    trip.trainees.add(ours, theirs)
    trip.staff.add(staff)
    Expense.objects.create(
        trip=trip,
        enrollment=ours,
        kind="fare_rail",
        label="鉄道賃",
        amount=38000,
        payer="municipality",
    )
    Expense.objects.create(
        trip=trip,
        enrollment=theirs,
        kind="fare_rail",
        label="鉄道賃",
        amount=41000,
        payer="municipality",
    )
    Expense.objects.create(
        trip=trip, staff=staff, kind="lodging", label="宿泊費", amount=9000, payer="host"
    )
    return trip


@pytest.fixture
def seminar(program, ours):
    seminar = Seminar.objects.create(
        program=program,
        kind="worker_briefing",
        title="初心者ワーカー向け説明会",
        date=date(2026, 12, 1),
        start_time=time(13, 30),
        end_time=time(15, 0),
        venue="箕輪町地域交流センター",
        partner="地域のワーカーチーム",
        expected_attendance=20,
        actual_attendance=18,
        outcomes="参加者の半数が登録",
    )
    SeminarRole.objects.create(seminar=seminar, enrollment=ours)
    return seminar


# The file ------------------------------------------------------------------------------------


def test_programs_csv_is_utf8_with_bom_a_japanese_header_and_file_name(
    client, coordinator, program, ours, theirs, reflections, seminar
):
    client.force_login(coordinator)
    # The state column is the program's state on the day of the export: pinned to its third day.
    with time_machine.travel(at(date(2026, 12, 2), 10), tick=False):
        response = client.get(url("programs", year=2026))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''" + quote("研修一覧_2026年度.csv")
    )
    rows = table(response)
    # In Japanese, the default language (two labels are new and not translated yet).
    with translation.override("ja"):
        assert rows[0] == [str(label) for label in exports.program_header()]
    assert rows[0][:6] == ["年度", "受入企業", "タイトル", "開始日", "終了日", "状態"]
    assert rows[0][7] == "自治体" and rows[0][9] == "提出された振り返り"
    # Two active trainees from two municipalities, one seminar, two submitted reflections
    # (the draft does not count).
    assert rows[1:] == [
        [
            "2026",
            "はたらくラボ株式会社",
            "ITベンチャー研修（田川市）",
            "2026-11-30",
            "2026-12-04",
            "実施中",
            "2",
            "北見市、田川市",
            "1",
            "2",
        ]
    ]


def test_each_export_is_streamed_with_its_own_file_name(client, coordinator, program):
    client.force_login(coordinator)
    names = {
        "programs": "研修一覧",
        "enrollments": "参加者一覧",
        "reflections": "振り返り",
        "seminars": "セミナー",
        "expenses": "旅費",
    }
    for kind, stem in names.items():
        response = client.get(url(kind, year=2026, program=program.pk))
        assert response.streaming
        assert response["Content-Disposition"].endswith(quote(f"{stem}_2026年度_{program.pk}.csv"))
        assert body_of(response).startswith(BOM)


def test_a_formula_typed_by_a_user_is_neutralised(client, coordinator, program, trainee, staff):
    profile = trainee.trainee_profile
    profile.department = FORMULA
    profile.save(update_fields=["department"])
    enrol(program, trainee)
    rows = download(client, coordinator, "enrollments", year=2026)
    cells = [cell for row in rows for cell in row]
    assert safe_cell(FORMULA) in cells
    assert safe_cell(FORMULA) == "'" + FORMULA
    assert FORMULA not in cells


def test_enrollments_columns(client, coordinator, ours):
    ours.trainee.family_name_kana, ours.trainee.given_name_kana = "たがわ", "いちろう"
    ours.trainee.save()
    rows = download(client, coordinator, "enrollments", year=2026)
    assert rows[0][:2] == ["研修プログラム", "研修生"]
    program, name, *kana, municipality, prefecture, department, position, mentor, status, at = rows[
        1
    ]
    assert (program, name, *kana, municipality, department, position, status) == (
        "ITベンチャー研修（田川市）",
        "田川 一郎",
        "たがわ",
        "いちろう",
        "田川市",
        "総務課",
        "主事",
        "参加登録済み",
    )
    assert prefecture == "福岡県"
    assert mentor == ours.mentor.display_name
    assert at.startswith(timezone.localtime(ours.created_at).strftime("%Y-%m-%d"))


# Drafts and scope ------------------------------------------------------------------------------


def test_a_draft_shows_its_state_to_the_host_but_never_its_text(
    client, coordinator, ours, reflections
):
    rows = download(client, coordinator, "reflections", year=2026)
    text = "\n".join(",".join(row) for row in rows)
    assert "下書きの秘密" not in text
    assert "提出した学び" in text
    header, mine = rows[0], [row for row in rows[1:] if row[2] == "田川 一郎"]
    assert header[4] == "状態"
    assert len(mine) == 5  # every weekday of the program
    monday, tuesday = mine[0], mine[1]
    assert monday[0] == "2026-11-30" and monday[4] == "提出済み" and monday[5] == "遅れ"
    assert monday[6] == "4" and monday[7:9] == ["サービス体験", "提出した学び"]
    assert tuesday[0] == "2026-12-01" and tuesday[4] == "下書き"
    assert tuesday[5:] == [""] * 7
    assert mine[2][4] == "未提出"


def test_a_supervisor_sees_neither_a_draft_nor_its_state(client, supervisor, ours, reflections):
    rows = download(client, supervisor, "reflections", year=2026)
    assert "下書きの秘密" not in str(rows)
    tuesday = next(row for row in rows if row[0] == "2026-12-01")
    assert tuesday[4] == "未提出"


@pytest.mark.parametrize("kind", ["enrollments", "reflections", "expenses"])
def test_a_supervisor_gets_their_own_municipalitys_trainees_only(
    client, supervisor, other_supervisor, coordinator, kind, reflections, trip
):
    everyone = str(download(client, coordinator, kind, year=2026))
    assert "田川 一郎" in everyone and "北見 二郎" in everyone
    mine = str(download(client, supervisor, kind, year=2026))
    assert "田川 一郎" in mine
    assert "北見 二郎" not in mine and "北見の学び" not in mine
    theirs = str(download(client, other_supervisor, kind, year=2026))
    assert "北見 二郎" in theirs and "田川 一郎" not in theirs


def test_a_supervisor_gets_no_staff_expenses_and_counts_of_their_own(
    client, supervisor, coordinator, staff, trip, reflections
):
    staff_name = named(staff, "社員", "三郎").display_name
    assert staff_name in str(download(client, coordinator, "expenses", year=2026))
    lines = download(client, supervisor, "expenses", year=2026)
    assert [row[4] for row in lines[1:]] == ["田川 一郎"]
    assert lines[1][3] == "地域ワーカー向け説明会の開催" and lines[1][7] == "38000"
    programs = download(client, supervisor, "programs", year=2026)
    assert programs[1][6:] == ["1", "田川市", "0", "1"]


def test_seminars_are_for_the_hosts_people(client, staff, supervisor, seminar):
    rows = download(client, staff, "seminars", year=2026)
    assert rows[1] == [
        "ITベンチャー研修（田川市）",
        "2026-12-01",
        "13:30〜15:00",
        rows[1][3],
        "初心者ワーカー向け説明会",
        "箕輪町地域交流センター",
        "地域のワーカーチーム",
        "20",
        "18",
        "1",
        "参加者の半数が登録",
    ]
    assert rows[1][3] != "worker_briefing"
    client.force_login(supervisor)
    assert client.get(url("seminars", year=2026)).status_code == 404


@pytest.mark.parametrize("kind", EXPORTS)
def test_a_program_outside_ones_scope_answers_404(
    client, coordinator, outsider, other_supervisor, program, ours, kind
):
    client.force_login(coordinator)
    assert client.get(url(kind, program=program.pk)).status_code == 200
    for person in (outsider, other_supervisor):
        client.force_login(person)
        assert client.get(url(kind, program=program.pk)).status_code == 404
    client.force_login(coordinator)
    assert client.get(url(kind, program=999999)).status_code == 404


@pytest.mark.parametrize("kind", [*EXPORTS, None])
def test_a_trainee_has_no_exports(client, trainee, ours, kind):
    client.force_login(trainee)
    address = url(kind, program=ours.program_id) if kind else reverse("reports:exports")
    assert client.get(address).status_code == 404
    if kind:
        assert client.get(url(kind)).status_code == 404


@pytest.mark.parametrize("kind", EXPORTS)
def test_anonymous_is_sent_to_the_login(client, kind):
    response = client.get(url(kind))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# Fiscal year -----------------------------------------------------------------------------------


def test_the_fiscal_year_runs_from_april_to_march(client, coordinator, host, program):
    ProgramFactory(host=host, title="前年度3月", start_date=date(2026, 3, 23))
    ProgramFactory(host=host, title="今年度1月", start_date=date(2027, 1, 11))
    ProgramFactory(host=host, title="次年度4月", start_date=date(2027, 4, 5))
    titles = [row[2] for row in download(client, coordinator, "programs", year=2026)[1:]]
    assert titles == ["ITベンチャー研修（田川市）", "今年度1月"]
    titles = [row[2] for row in download(client, coordinator, "programs", year=2025)[1:]]
    assert titles == ["前年度3月"]


def test_the_current_fiscal_year_by_default(client, coordinator, host):
    today = timezone.localdate()
    ProgramFactory(host=host, title="今年度", start_date=today)
    ProgramFactory(host=host, title="昨年度", start_date=today - timedelta(days=366))
    client.force_login(coordinator)
    response = client.get(url("programs"))
    assert response["Content-Disposition"].endswith(quote(f"_{fiscal_year_of(today)}年度.csv"))
    assert [row[2] for row in table(response)[1:]] == ["今年度"]


def test_a_malformed_year_is_refused(client, coordinator):
    client.force_login(coordinator)
    assert client.get(url("programs", year="abc")).status_code == 400


# Queries ---------------------------------------------------------------------------------------


def grow(host, tagawa, numbers: range) -> None:
    """A program for each number, each with a trainee of 田川市 who wrote a reflection,
    takes part in a seminar and has a travel expense."""
    for n in numbers:
        program = ProgramFactory(host=host, title=f"研修{n}")
        trainee = TraineeProfileFactory(
            user=UserFactory(email=f"grown{n}@example.org"), municipality=tagawa
        ).user
        enrollment = enrol(program, trainee)
        DailyReflection.objects.create(
            enrollment=enrollment, date=program.start_date, status="submitted", learned="学び"
        )
        seminar = Seminar.objects.create(
            program=program,
            kind="workshop",
            title="ワークショップ",
            date=program.start_date,
            start_time=time(10),
            end_time=time(12),
        )
        SeminarRole.objects.create(seminar=seminar, enrollment=enrollment)
        trip = Trip.objects.create(
            program=program,
            purpose="出張",
            start_date=program.start_date,
            end_date=program.end_date,
        )
        trip.trainees.add(enrollment)
        Expense.objects.create(
            trip=trip,
            enrollment=enrollment,
            kind="fare_rail",
            label="鉄道賃",
            amount=1000,
            payer="municipality",
        )


def measure(client, user, kind: str) -> tuple[int, int]:
    """(queries, rows) of one download, the roles cache cold each time."""
    cache.clear()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        rows = table(client.get(url(kind, year=2026)))
    return len(queries), len(rows) - 1


@pytest.mark.parametrize(
    "kind, who",
    [(kind, "coordinator") for kind in EXPORTS]
    + [(kind, "supervisor") for kind in FOR_SUPERVISORS],
)
def test_the_query_count_does_not_grow_with_the_rows(client, host, tagawa, kind, who, request):
    user = request.getfixturevalue(who)
    grow(host, tagawa, range(1))
    few_queries, few_rows = measure(client, user, kind)
    grow(host, tagawa, range(1, 5))
    many_queries, many_rows = measure(client, user, kind)
    assert many_rows >= few_rows * 5 > 0
    assert many_queries == few_queries


# The page ------------------------------------------------------------------------------------


def test_the_page_links_each_export_the_person_may_download(
    client, coordinator, supervisor, program, ours
):
    client.force_login(coordinator)
    page = client.get(reverse("reports:exports"), {"year": 2026}).content.decode()
    for kind in EXPORTS:
        assert url(kind) + "?year=2026" in page
    assert '<option value="2026" selected>' in page
    client.force_login(supervisor)
    page = client.get(
        reverse("reports:exports"), {"year": 2026, "program": program.pk}
    ).content.decode()
    for kind in FOR_SUPERVISORS:
        assert f"{url(kind)}?year=2026&amp;program={program.pk}" in page
    assert url("seminars") not in page


def test_the_first_fiscal_year_of_the_date_range_is_exported(client, coordinator, host):
    """A program in January 2000 (the first dates Kenshu accepts) belongs to 1999年度: its
    year's export answers; a year before any date Kenshu accepts is refused."""
    from datetime import date

    from ..factories import ProgramFactory

    ProgramFactory(host=host, title="最初の研修", start_date=date(2000, 1, 4))
    rows = download(client, coordinator, "programs", year=1999)
    assert [row for row in rows if "最初の研修" in row]
    assert client.get(url("programs", year=1998)).status_code == 400
