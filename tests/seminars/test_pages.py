"""The pages of trips, seminars, trip reports (復命書) and trip documents, by who asks.

Every URL of seminars/urls.py and the trip part of reports/urls.py is walked as the people
who must not see it (404, never 403, and nothing changes), as the host's read-only member
(403 on a change, 200 on a read), as the trainee on the trip and their municipality's
supervisor; then the query counts of the two list pages, and forms that keep what was typed."""

import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports import urls as report_urls
from reports.models import Report, ReportKind, ReportState
from seminars import urls as seminar_urls
from seminars.models import (
    Expense,
    FollowUp,
    Leg,
    Material,
    Seminar,
    SeminarRole,
    Trip,
    TripReport,
    TripReportStatus,
)
from seminars.services import expenses as expense_services
from seminars.services import legs as leg_services
from seminars.services import seminars as seminar_services
from seminars.services import trip_reports as report_services
from seminars.services import trips as trip_services

from ..factories import ProgramFactory, TraineeProfileFactory, UserFactory, count_queries, enrol
from .conftest import leg_plan, plan, seminar_plan

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


# The world every page is asked about -------------------------------------------------------
#
# Built once for the module inside a transaction that is rolled back at its end; each test
# runs in a savepoint inside it (pytest-django's usual per-test rollback), so a test that
# changes something leaves the next one the same world. The people are those of
# tests/conftest.py and the trip that of tests/seminars/conftest.py, made the same way.


def _people():
    from programs.models import Role

    from ..factories import (
        HostCompanyFactory,
        MunicipalityFactory,
        host_member,
        supervisor_of,
        trainee_of,
    )

    tagawa = MunicipalityFactory(code="402061", name="田川市", prefecture=40)
    kitami = MunicipalityFactory(code="012084", name="北見市", prefecture=1)
    host = HostCompanyFactory(name="はたらくラボ株式会社")
    other_host = HostCompanyFactory(name="ノースベンチャーズ株式会社")
    return SimpleNamespace(
        tagawa=tagawa,
        kitami=kitami,
        host=host,
        other_host=other_host,
        coordinator=host_member(host, Role.COORDINATOR, "coordinator@example.org"),
        staff=host_member(host, Role.STAFF, "staff@example.org"),
        outsider=host_member(other_host, Role.COORDINATOR, "outsider@example.org"),
        supervisor=supervisor_of(tagawa, "supervisor@example.org"),
        other_supervisor=supervisor_of(kitami, "other-supervisor@example.org"),
        trainee=trainee_of(tagawa, "trainee@example.org"),
        second_trainee=trainee_of(tagawa, "trainee2@example.org"),
        other_trainee=trainee_of(kitami, "other-trainee@example.org"),
    )


def _build():
    """The program (11-30..12-04) of 田川市's two trainees, the trip (12-01..02) with both and
    the staff member, one leg, one typed expense, the seminar with a follow-up, the trainee's
    submitted report, the second trainee's draft, a built itinerary PDF; another host's
    program with the 北見市 trainee."""
    w = _people()
    w.program = ProgramFactory(host=w.host, title="ITベンチャー研修（田川市）")
    w.enrollment = enrol(w.program, w.trainee)
    w.second_enrollment = enrol(w.program, w.second_trainee)
    w.elsewhere = enrol(ProgramFactory(host=w.other_host, title="地域DX研修"), w.other_trainee)
    w.trip = trip_services.save_trip(
        w.program,
        plan(w.program, [w.enrollment, w.second_enrollment], [w.staff]),
        by=w.coordinator,
    )
    w.leg = leg_services.save_leg(w.trip, leg_plan("12-01 07:00", "12-01 08:40"), by=w.coordinator)
    w.seminar = seminar_services.save_seminar(
        w.program, seminar_plan(lead=w.staff), trip=w.trip, by=w.coordinator
    )
    w.expense = expense_services.save_expense(
        w.trip,
        expense_services.ExpensePlan(
            participant=f"e{w.enrollment.pk}", kind="other", amount=4400, payer="municipality"
        ),
        by=w.coordinator,
    )
    w.follow_up = seminar_services.add_follow_up(
        w.seminar, "お礼状を送る", w.staff, date(2026, 12, 10), by=w.coordinator
    )
    w.material = seminar_services.add_material(
        w.seminar,
        SimpleUploadedFile("資料.pdf", PDF, content_type="application/pdf"),
        by=w.coordinator,
    )
    w.report = report_services.submit(
        report_services.report_for(w.trip, w.enrollment),
        report_services.ReportText(content="説明会を開催した。", impressions="手応えがあった。"),
        by=w.trainee,
    )
    w.draft = report_services.report_for(w.trip, w.second_enrollment)
    report_services.save_report(
        w.draft, report_services.ReportText(content="下書き：まだ途中"), by=w.second_trainee
    )
    w.document = Report(
        kind=ReportKind.ITINERARY,
        program=w.program,
        scope=f"trip:{w.trip.pk}",
        version=1,
        state=ReportState.DONE,
        content_hash="0" * 64,
        filename=f"行程表_{w.trip.start_date:%Y%m%d}_v1.pdf",
        requested_by=w.coordinator,
        size=len(PDF),
    )
    w.document.file.save("itinerary.pdf", ContentFile(PDF), save=False)
    w.document.save()
    return w


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def world(shared):
    """The shared world, its material's file back in the storage (a test that removes the
    material removes its file, which the rollback does not bring back)."""
    name = shared.material.file.name
    if not default_storage.exists(name):
        assert default_storage.save(name, ContentFile(PDF)) == name
    return shared


def program_kw(w):
    return {"pk": w.program.pk}


def trip_kw(w):
    return {"pk": w.program.pk, "trip_pk": w.trip.pk}


def leg_kw(w):
    return {**trip_kw(w), "leg_pk": w.leg.pk}


def expense_kw(w):
    return {**trip_kw(w), "expense_pk": w.expense.pk}


def report_kw(w):
    return {**trip_kw(w), "report_pk": w.report.pk}


def draft_kw(w):
    return {**trip_kw(w), "report_pk": w.draft.pk}


def seminar_kw(w):
    return {"pk": w.program.pk, "seminar_pk": w.seminar.pk}


def follow_up_kw(w):
    return {**seminar_kw(w), "follow_up_pk": w.follow_up.pk}


def material_kw(w):
    return {**seminar_kw(w), "material_pk": w.material.pk}


def document_kw(w):
    return {"pk": w.document.pk}


def trip_form(w, **changes):
    data = {
        "purpose": "地域ワーカー向け説明会の開催",
        "start_date": "2026-12-01",
        "end_date": "2026-12-02",
        "places": "東京（乗継）",
        "trainees": [w.enrollment.pk, w.second_enrollment.pk],
        "staff": [w.staff.pk],
        "lodging": "伊那市内のホテル",
        "lodging_cost": "",
        "trainees_paid_by": "municipality",
        "status": "planned",
    }
    return {**data, **changes}


def leg_form(w, **changes):
    data = {
        "mode": "bus",
        "origin_place": "羽田空港",
        "destination": "伊那市",
        "depart_at": "2026-12-01T09:30",
        "arrive_at": "2026-12-01T12:30",
        "service": "高速バス",
        "fare": "4000",
        "notes": "",
    }
    return {**data, **changes}


def expense_form(w, **changes):
    data = {
        "participant": f"e{w.enrollment.pk}",
        "kind": "lodging",
        "label": "",
        "amount": "9800",
        "payer": "municipality",
        "note": "",
    }
    return {**data, **changes}


def seminar_form(w, **changes):
    data = {
        "kind": "business_seminar",
        "title": "企業向けセミナー",
        "date": "2026-12-02",
        "start_time": "10:00",
        "end_time": "11:30",
        "venue": "伊那商工会議所",
        "address": "",
        "partner": "",
        "lead": w.staff.pk,
        "expected_attendance": "15",
        "actual_attendance": "",
        "outcomes": "",
    }
    return {**data, **changes}


def no_data(w):
    return {}


# What a POST to each view would change if it were let through (so a refusal can be checked
# to have changed nothing).
POST_DATA = {
    "seminars:trip_new": lambda w: trip_form(
        w, purpose="もう一つの出張", start_date="2026-12-03", end_date="2026-12-04"
    ),
    "seminars:trip_edit": lambda w: trip_form(w, purpose="変更された用務"),
    "seminars:leg_new": leg_form,
    "seminars:leg_edit": lambda w: leg_form(
        w, depart_at="2026-12-01T06:30", arrive_at="2026-12-01T08:10"
    ),
    "seminars:leg_table": lambda w: {
        "rows": "1",
        **{f"row-0-{k}": v for k, v in leg_form(w, depart_at="2026-12-02T16:00").items()},
        "row-0-arrive_at": "2026-12-02T18:00",
    },
    "seminars:seminar_table": lambda w: {
        "rows": "1",
        "row-0-include": "on",
        **{
            f"row-0-{k}": v
            for k, v in seminar_form(w, date="2026-12-02", start_time="14:00").items()
            if k in ("kind", "title", "date", "start_time", "end_time", "venue")
        },
        "row-0-end_time": "15:00",
    },
    "seminars:expense_new": expense_form,
    "seminars:expense_edit": lambda w: expense_form(w, kind="other", amount="1"),
    "seminars:trip_report_write": lambda w: {
        "content": "書き換え",
        "impressions": "書き換え",
        "submit": "1",
    },
    "seminars:trip_report_autosave": lambda w: {
        "content": "下書き：電車で続き",
        "client_id": "page-1",
        "client_seq": "1",
        "base_revision": "1",
    },
    "seminars:seminar_new": seminar_form,
    "seminars:seminar_edit": lambda w: seminar_form(w, date="2026-12-01", title="変更された題名"),
    "seminars:seminar_roles": lambda w: {
        f"role_{w.enrollment.pk}": "presenter",
        f"role_{w.second_enrollment.pk}": "",
    },
    "seminars:follow_up_add": lambda w: {
        "action": "報告書を送る",
        "owner": w.staff.pk,
        "due_date": "2026-12-11",
    },
    "seminars:follow_up_done": lambda w: {"done": "1"},
    "seminars:material_upload": lambda w: {
        "file": SimpleUploadedFile("追加資料.pdf", PDF, content_type="application/pdf")
    },
}

# A document already built is not built again: its retry changes nothing.
# Removing the placeholders left changes the week only (the world has none).
UNCHANGED_BY_A_GOOD_POST = {
    "reports:report_retry",
    "seminars:expenses_recompute",
    "seminars:placeholders_remove",
}

GET, POST = "get", "post"
BOTH = (GET, POST)

# name -> (kwargs builder, methods the view answers, kind)
# kind: "program" (asks only for the program), "object" (an object inside it), "document"
SEMINAR_URLS = {
    "seminars:trip_list": (program_kw, (GET,), "program"),
    "seminars:trip_new": (program_kw, BOTH, "program"),
    "seminars:trip_detail": (trip_kw, (GET,), "object"),
    "seminars:trip_expenses": (trip_kw, (GET,), "object"),
    "seminars:trip_edit": (trip_kw, BOTH, "object"),
    "seminars:leg_new": (trip_kw, BOTH, "object"),
    "seminars:leg_edit": (leg_kw, BOTH, "object"),
    "seminars:leg_delete": (leg_kw, (POST,), "object"),
    "seminars:leg_table": (trip_kw, BOTH, "object"),
    "seminars:seminar_table": (trip_kw, BOTH, "object"),
    "seminars:placeholders_remove": (trip_kw, (POST,), "object"),
    "seminars:expense_new": (trip_kw, BOTH, "object"),
    "seminars:expense_edit": (expense_kw, BOTH, "object"),
    "seminars:expense_delete": (expense_kw, (POST,), "object"),
    "seminars:expenses_recompute": (trip_kw, (POST,), "object"),
    "seminars:trip_report_write": (trip_kw, BOTH, "object"),
    "seminars:trip_report_autosave": (trip_kw, (POST,), "object"),
    "seminars:trip_report_detail": (report_kw, (GET,), "object"),
    "seminars:trip_report_acknowledge": (report_kw, (POST,), "object"),
    "seminars:trip_report_confirm": (report_kw, (POST,), "object"),
    "seminars:seminar_new": (program_kw, BOTH, "program"),
    "seminars:seminar_detail": (seminar_kw, (GET,), "object"),
    "seminars:seminar_edit": (seminar_kw, BOTH, "object"),
    "seminars:seminar_delete": (seminar_kw, (POST,), "object"),
    "seminars:seminar_roles": (seminar_kw, (POST,), "object"),
    "seminars:follow_up_add": (seminar_kw, (POST,), "object"),
    "seminars:follow_up_done": (follow_up_kw, (POST,), "object"),
    "seminars:material_upload": (seminar_kw, (POST,), "object"),
    "seminars:material_download": (material_kw, (GET,), "object"),
    "seminars:material_delete": (material_kw, (POST,), "object"),
}
TRIP_DOCUMENT_URLS = {
    "reports:itinerary_print": (trip_kw, (GET,), "object"),
    "reports:itinerary_pdf": (trip_kw, (POST,), "object"),
    "reports:trip_expenses_csv": (trip_kw, (GET,), "object"),
    "reports:report_status": (document_kw, (GET,), "document"),
    "reports:report_retry": (document_kw, (POST,), "document"),
    "reports:report_download": (document_kw, (GET,), "document"),
}
URLS = {**SEMINAR_URLS, **TRIP_DOCUMENT_URLS}
# (url name, kwargs builder, method) for every view and every method it answers.
CASES = [(name, kw, method) for name, (kw, methods, _kind) in URLS.items() for method in methods]
CASE_IDS = [f"{method.upper()} {name}" for name, _kw, method in CASES]

WRITE_VIEWS = [
    "seminars:trip_new",
    "seminars:trip_edit",
    "seminars:leg_new",
    "seminars:leg_edit",
    "seminars:leg_delete",
    "seminars:leg_table",
    "seminars:seminar_table",
    "seminars:placeholders_remove",
    "seminars:expense_new",
    "seminars:expense_edit",
    "seminars:expense_delete",
    "seminars:expenses_recompute",
    "seminars:seminar_new",
    "seminars:seminar_edit",
    "seminars:seminar_delete",
    "seminars:seminar_roles",
    "seminars:follow_up_add",
    "seminars:follow_up_done",
    "seminars:material_upload",
    "seminars:material_delete",
    "seminars:trip_report_acknowledge",
    "seminars:trip_report_confirm",
]
READ_VIEWS = [
    "seminars:trip_list",
    "seminars:trip_detail",
    "seminars:trip_expenses",
    "seminars:seminar_detail",
    "seminars:material_download",
    "reports:itinerary_print",
    "reports:trip_expenses_csv",
    "seminars:trip_report_detail",
    "reports:report_status",
    "reports:report_download",
]


def url_of(name, w, kw=None):
    return reverse(name, kwargs=(kw or URLS[name][0])(w))


def ask(client, method, name, w, kw=None):
    url = url_of(name, w, kw)
    if method == GET:
        return client.get(url)
    return client.post(url, POST_DATA.get(name, no_data)(w))


def snapshot():
    """Everything a POST of these pages could change."""
    return (
        list(Trip.objects.order_by("pk").values_list("pk", "purpose", "start_date", "status")),
        list(Leg.objects.order_by("pk").values_list("pk", "depart_at", "arrive_at", "fare")),
        list(Expense.objects.order_by("pk").values_list("pk", "kind", "label", "amount", "payer")),
        list(Seminar.objects.order_by("pk").values_list("pk", "title", "date", "start_time")),
        list(SeminarRole.objects.order_by("pk").values_list("pk", "enrollment", "role")),
        list(FollowUp.objects.order_by("pk").values_list("pk", "action", "done_at")),
        list(Material.objects.order_by("pk").values_list("pk", "name")),
        list(
            TripReport.objects.order_by("pk").values_list(
                "pk", "status", "content", "municipality_confirmed_at"
            )
        ),
        list(Report.objects.order_by("pk").values_list("pk", "state", "version")),
    )


def fake_today(monkeypatch, day: date) -> None:
    """`timezone.localdate()` (no argument: today) answers `day`; with a value, as before."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return day if value is None else real(value, timezone)

    monkeypatch.setattr("seminars.services.trip_reports.timezone.localdate", localdate)


def field_errors(html: str, field: str) -> str:
    """The error block rendered next to one field of the form ("" when there is none)."""
    found = re.search(rf'id="id_{field}_error">(.*?)</div>', html, re.S)
    return found.group(1) if found else ""


# The tables cover every URL --------------------------------------------------------------


def test_the_tables_name_every_url_of_trips_seminars_and_trip_documents():
    # The travel rules belong to no program: their own table is in test_travel_rules_pages.py.
    seminar_names = {
        f"seminars:{p.name}"
        for p in seminar_urls.urlpatterns
        if p.callback.__module__ != "seminars.views.travel_rules"
    }
    # The interview articles, the program documents and the exports of reports/urls.py
    # have their own tables (tests/reports).
    trip_document_names = {
        f"reports:{p.name}"
        for p in report_urls.urlpatterns
        if p.callback.__module__ in ("reports.views.trips", "reports.views.documents")
    }
    assert set(SEMINAR_URLS) == seminar_names
    assert set(TRIP_DOCUMENT_URLS) == trip_document_names
    assert set(WRITE_VIEWS) | set(READ_VIEWS) <= set(URLS)


@pytest.mark.parametrize(("name", "kw", "method"), CASES, ids=CASE_IDS)
def test_the_people_it_is_for_reach_every_page(client, world, monkeypatch, name, kw, method):
    """So that the 404s below are about who asks: the host's coordinator (for their own
    report, the trainee on the trip) gets the page, or is sent on after a change."""
    fake_today(monkeypatch, date(2026, 12, 1))
    # The trip report's author writes it (the second trainee's is still a draft, saved as
    # typed); the contact of their municipality confirms it.
    person = {
        "seminars:trip_report_write": world.trainee,
        "seminars:trip_report_autosave": world.second_trainee,
        "seminars:trip_report_confirm": world.supervisor,
    }.get(name, world.coordinator)
    client.force_login(person)
    before = snapshot()
    response = ask(client, method, name, world, kw)
    if method == GET:
        assert response.status_code == 200
    elif name == "seminars:trip_report_autosave":
        # The page's automatic save answers JSON, and never moves the page on.
        assert response.status_code == 200 and response.json()["applied"], response.content
        assert snapshot() != before
    else:
        # The data of POST_DATA is accepted: a refusal to the others is not the form's.
        assert response.status_code == 302, response.content.decode()[-3000:]
        assert snapshot() != before or name in UNCHANGED_BY_A_GOOD_POST, name


# Outside the scope: 404, and nothing changes ----------------------------------------------


@pytest.mark.parametrize(("name", "kw", "method"), CASES, ids=CASE_IDS)
def test_other_host_and_other_municipality_get_404(client, world, name, kw, method):
    """Another host's coordinator, another host's trainee (北見市), and the supervisor of 北見市
    never learn that any of it exists."""
    before = snapshot()
    for person in (world.outsider, world.other_trainee, world.other_supervisor):
        client.force_login(person)
        response = ask(client, method, name, world, kw)
        assert response.status_code == 404, (person.email, response.status_code)
    assert snapshot() == before


def neighbour(w):
    """A 北見市 trainee in the same program who is not on the trip (nor in its seminar): they
    and the supervisor of 北見市 now read the program."""
    user = TraineeProfileFactory(
        user=UserFactory(email="neighbour@example.org"), municipality=w.kitami
    ).user
    enrol(w.program, user)
    return user


# The changes of a trip's objects: looked up in the person's scope before the coordinator's
# right is checked, so a reader of the program who is not concerned gets 404 too.
CHANGES_OF_OBJECTS = {
    name for name in SEMINAR_URLS if name in WRITE_VIEWS and URLS[name][2] == "object"
}
READ_INSIDE_CASES = [(name, kw, method) for name, kw, method in CASES if URLS[name][2] != "program"]


@pytest.mark.parametrize(
    ("name", "kw", "method"),
    READ_INSIDE_CASES,
    ids=[f"{method.upper()} {name}" for name, _kw, method in READ_INSIDE_CASES],
)
def test_same_program_but_not_on_the_trip_gets_404(client, world, name, kw, method):
    """The trip, its seminar, its reports and its documents answer 404 to readers of the
    program who are not concerned by the trip."""
    person = neighbour(world)
    before = snapshot()
    for who in (person, world.other_supervisor):
        client.force_login(who)
        response = ask(client, method, name, world, kw)
        assert response.status_code == 404, (who.email, response.status_code)
    assert snapshot() == before


def test_same_program_but_not_on_the_trip_changes_nothing_and_learns_nothing(client, world):
    """On a change, a reader of the program gets the same answer for the trip's objects as
    for objects that do not exist: nothing tells them the trip is there; nothing changes."""
    person = neighbour(world)
    missing = SimpleNamespace(**vars(world))
    for name in ("trip", "leg", "expense", "report", "seminar", "follow_up", "material"):
        setattr(missing, name, SimpleNamespace(pk=999_999))
    before = snapshot()
    for who in (person, world.other_supervisor):
        client.force_login(who)
        for name in sorted(CHANGES_OF_OBJECTS):
            real = ask(client, POST, name, world).status_code
            assert real == 404, (who.email, name, real)
            assert real == ask(client, POST, name, missing).status_code, (who.email, name)
    assert snapshot() == before


def test_same_program_but_not_on_the_trip_gets_404_on_a_change(client, world):
    person = neighbour(world)
    client.force_login(person)
    assert ask(client, POST, "seminars:trip_edit", world).status_code == 404
    assert ask(client, POST, "seminars:seminar_delete", world).status_code == 404


def test_same_program_but_not_on_the_trip_sees_no_trip_in_the_list(client, world):
    person = neighbour(world)
    for who in (person, world.other_supervisor):
        client.force_login(who)
        response = client.get(url_of("seminars:trip_list", world))
        assert response.status_code == 200
        html = response.content.decode()
        assert world.trip.purpose not in html
        assert world.seminar.title not in html
        # A reader of the program who tries to plan something: 403.
        for name in ("seminars:trip_new", "seminars:seminar_new"):
            assert ask(client, GET, name, world).status_code == 403
            assert ask(client, POST, name, world).status_code == 403


ANONYMOUS_CASES = [
    ("seminars:trip_list", GET),
    ("seminars:trip_detail", GET),
    ("seminars:trip_expenses", GET),
    ("seminars:leg_new", POST),
    ("seminars:leg_delete", POST),
    ("seminars:seminar_detail", GET),
    ("seminars:follow_up_done", POST),
    ("seminars:material_download", GET),
    ("seminars:trip_report_write", POST),
    ("seminars:trip_report_autosave", POST),
    ("seminars:trip_report_confirm", POST),
    ("reports:itinerary_pdf", POST),
    ("reports:report_download", GET),
]


@pytest.mark.parametrize(
    ("name", "method"), ANONYMOUS_CASES, ids=[f"{m.upper()} {n}" for n, m in ANONYMOUS_CASES]
)
def test_anonymous_is_sent_to_login(client, world, name, method):
    before = snapshot()
    response = ask(client, method, name, world)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert snapshot() == before


# The host's read-only member ---------------------------------------------------------------

STAFF_CHANGES = [(name, method) for name in WRITE_VIEWS for method in URLS[name][1]]


@pytest.mark.parametrize(
    ("name", "method"), STAFF_CHANGES, ids=[f"{m.upper()} {n}" for n, m in STAFF_CHANGES]
)
def test_staff_gets_403_on_every_change(client, world, name, method):
    client.force_login(world.staff)
    before = snapshot()
    assert ask(client, method, name, world).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("name", READ_VIEWS)
def test_staff_reads_every_page(client, world, name):
    client.force_login(world.staff)
    response = client.get(url_of(name, world))
    assert response.status_code == 200
    if name == "seminars:trip_detail":
        html = response.content.decode()
        assert world.trip.purpose in html
        # A reader is offered no change.
        assert reverse("seminars:trip_edit", kwargs=trip_kw(world)) not in html
        assert reverse("seminars:leg_new", kwargs=trip_kw(world)) not in html
    elif name == "reports:trip_expenses_csv":
        body = b"".join(response.streaming_content).decode("utf-8")
        assert "4400" in body
    elif name in ("seminars:material_download", "reports:report_download"):
        assert b"".join(response.streaming_content) == PDF


def test_staff_may_retry_a_failed_build_as_they_may_ask_for_the_pdf(client, world):
    """The host's read-only people export documents (they may ask for the itinerary PDF), so
    they may also build a failed one again."""
    Report.objects.filter(pk=world.document.pk).update(state=ReportState.FAILED)
    client.force_login(world.staff)
    response = client.post(url_of("reports:report_retry", world))
    assert response.status_code == 302
    assert Report.objects.get(pk=world.document.pk).state == ReportState.QUEUED


# The trainee on the trip --------------------------------------------------------------------


def test_trainee_on_the_trip_reads_the_trip_and_its_seminar(client, world):
    client.force_login(world.trainee)
    response = client.get(url_of("seminars:trip_detail", world))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.trip.purpose in html
    assert world.trainee.display_name in html
    # The other trainee's expense lines and name are not the trainee's business.
    assert world.second_trainee.display_name not in html
    assert client.get(url_of("seminars:seminar_detail", world)).status_code == 200
    assert client.get(url_of("seminars:material_download", world)).status_code == 200


def test_the_lines_page_lists_each_line_the_reader_may_see(client, world):
    """The trip page sums the lines and links to them; the lines page lists every line for
    the host's people (the coordinator may open each), the trainee's own for the trainee."""
    lines = Expense.objects.filter(trip=world.trip)
    everyone = lines.count()
    assert everyone > 2  # the leg's fare and the night's allowance for each, and a typed line
    client.force_login(world.coordinator)
    trip_page = client.get(url_of("seminars:trip_detail", world)).content.decode()
    assert (
        f'href="{url_of("seminars:trip_expenses", world)}">明細 {everyone}行をすべて見る'
        in trip_page
    )
    page = client.get(url_of("seminars:trip_expenses", world)).content.decode()
    assert page.count('<tr id="line-') == everyone
    for line in lines:
        # A typed line may be opened; a computed one follows the trip and the rules.
        edit = reverse("seminars:expense_edit", kwargs={**trip_kw(world), "expense_pk": line.pk})
        assert f'<tr id="line-{line.pk}">' in page
        assert (f'href="{edit}"' in page) != line.generated
    assert world.second_trainee.display_name in page and "4,400円" in page
    client.force_login(world.staff)
    page = client.get(url_of("seminars:trip_expenses", world)).content.decode()
    assert page.count('<tr id="line-') == everyone and "/expenses/" + str(world.expense.pk) not in (
        page
    )
    client.force_login(world.trainee)
    page = client.get(url_of("seminars:trip_expenses", world)).content.decode()
    own = lines.filter(enrollment=world.enrollment).count()
    assert 0 < own < everyone and page.count('<tr id="line-') == own
    assert world.second_trainee.display_name not in page


def test_a_changed_line_goes_back_to_the_lines_page_a_new_one_to_the_trip(client, world):
    client.force_login(world.coordinator)
    kw = {**trip_kw(world), "expense_pk": world.expense.pk}
    response = client.post(
        reverse("seminars:expense_edit", kwargs=kw), POST_DATA["seminars:expense_edit"](world)
    )
    assert (
        response["Location"] == f"{url_of('seminars:trip_expenses', world)}#line-{world.expense.pk}"
    )
    response = client.post(
        url_of("seminars:expense_new", world), POST_DATA["seminars:expense_new"](world)
    )
    assert response["Location"] == f"{url_of('seminars:trip_detail', world)}#expenses"
    response = client.post(reverse("seminars:expense_delete", kwargs=kw))
    assert response["Location"] == url_of("seminars:trip_expenses", world)


@pytest.mark.parametrize("asks_for", ["own", "other"])
def test_trainee_itinerary_shows_only_their_own_page(client, world, asks_for):
    """Asking for another traveller's page (?who=) still gives one's own."""
    client.force_login(world.trainee)
    url = url_of("reports:itinerary_print", world)
    if asks_for == "other":
        url += f"?who=e{world.second_enrollment.pk}"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="itinerary__page"') == 1
    assert f'aria-label="{world.trainee.display_name}"' in html
    assert world.second_trainee.display_name not in html
    assert world.staff.display_name not in html
    assert url_of("reports:itinerary_pdf", world) not in html  # no PDF button


def test_host_itinerary_shows_every_traveller(client, world):
    client.force_login(world.staff)
    html = client.get(url_of("reports:itinerary_print", world)).content.decode()
    assert html.count('class="itinerary__page"') == 3
    for person in (world.trainee, world.second_trainee, world.staff):
        assert f'aria-label="{person.display_name}"' in html
    one = client.get(
        url_of("reports:itinerary_print", world) + f"?who=e{world.second_enrollment.pk}"
    )
    assert one.content.decode().count('class="itinerary__page"') == 1


def test_trainee_cannot_write_the_report_before_the_trip(client, world, monkeypatch):
    fake_today(monkeypatch, date(2026, 11, 30))
    client.force_login(world.second_trainee)
    url = url_of("seminars:trip_report_write", world)
    response = client.get(url, follow=True)
    assert response.redirect_chain == [(url_of("seminars:trip_detail", world), 302)]
    assert "復命書は出張の初日から書けます。" in response.content.decode()
    before = snapshot()
    response = client.post(url, {"content": "早すぎる", "impressions": "早すぎる", "submit": "1"})
    assert response.status_code == 302
    assert response["Location"] == url_of("seminars:trip_detail", world)
    assert snapshot() == before


def test_trainee_writes_and_submits_the_report_from_the_first_day(client, world, monkeypatch):
    fake_today(monkeypatch, date(2026, 12, 1))
    client.force_login(world.second_trainee)
    url = url_of("seminars:trip_report_write", world)
    response = client.get(url)
    assert response.status_code == 200
    assert "下書き：まだ途中" in response.content.decode()
    response = client.post(
        url,
        {"content": "企業向けセミナーで説明した。", "impressions": "関心が高い。", "submit": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == url
    report = TripReport.objects.get(pk=world.draft.pk)
    assert report.status == TripReportStatus.SUBMITTED
    assert report.content == "企業向けセミナーで説明した。"


def writes(queries) -> list[str]:
    """The statements among `queries` that change a row."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_opening_the_report_page_writes_nothing(client, world, monkeypatch):
    """A trainee who has not written their report yet opens its page: the empty form, and no
    row (a GET never writes). The POST that saves the draft makes the row; a refused one
    leaves none."""
    fake_today(monkeypatch, date(2026, 12, 1))
    TripReport.objects.filter(pk=world.draft.pk).delete()
    mine = TripReport.objects.filter(trip=world.trip, enrollment=world.second_enrollment)
    client.force_login(world.second_trainee)
    url = url_of("seminars:trip_report_write", world)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert writes(queries) == []
    assert not mine.exists()
    html = response.content.decode()
    assert 'name="save"' in html  # a draft's buttons: save, or submit
    assert world.second_trainee.display_name in html  # the header, from the trip

    response = client.post(url, {"content": "書いた", "impressions": "", "submit": "1"})
    assert response.status_code == 200
    assert field_errors(response.content.decode(), "impressions")
    assert not mine.exists()  # refused: no row left behind

    response = client.post(url, {"content": "下書き", "save": "1"})
    assert response.status_code == 302
    assert response["Location"] == url
    report = mine.get()
    assert (report.status, report.content) == (TripReportStatus.DRAFT, "下書き")


SEMINAR_GETS = [
    *(name for name, (_kw, methods, _kind) in SEMINAR_URLS.items() if GET in methods),
    # POST-only forms of the seminar's page: a GET (a reload) is sent back to it.
    "seminars:seminar_roles",
    "seminars:follow_up_add",
    "seminars:material_upload",
]


@pytest.mark.parametrize("name", SEMINAR_GETS)
def test_no_page_of_trips_and_seminars_writes_on_a_get(client, world, monkeypatch, name):
    fake_today(monkeypatch, date(2026, 12, 1))
    # The trip report's author writes it (the second trainee's is still a draft, saved as
    # typed); the contact of their municipality confirms it.
    person = {
        "seminars:trip_report_write": world.trainee,
        "seminars:trip_report_autosave": world.second_trainee,
        "seminars:trip_report_confirm": world.supervisor,
    }.get(name, world.coordinator)
    client.force_login(person)
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        response = ask(client, GET, name, world)
    assert response.status_code in (200, 302)
    assert writes(queries) == []
    assert snapshot() == before


TRAINEE_NOT_FOR_THEM = [
    ("reports:trip_expenses_csv", GET),
    ("reports:itinerary_pdf", POST),
    ("reports:report_status", GET),
    ("reports:report_download", GET),
    ("reports:report_retry", POST),
]


@pytest.mark.parametrize(
    ("name", "method"),
    TRAINEE_NOT_FOR_THEM,
    ids=[f"{m.upper()} {n}" for n, m in TRAINEE_NOT_FOR_THEM],
)
def test_trainee_on_the_trip_gets_404_on_the_hosts_documents(client, world, name, method):
    client.force_login(world.trainee)
    before = snapshot()
    assert ask(client, method, name, world).status_code == 404
    assert snapshot() == before


def test_trainee_on_the_trip_gets_403_on_a_change(client, world):
    """The trip is theirs to read, not to change."""
    client.force_login(world.trainee)
    before = snapshot()
    for name, method in STAFF_CHANGES:
        assert ask(client, method, name, world).status_code == 403, (name, method)
    assert snapshot() == before


def test_trainee_gets_404_on_another_trainees_report(client, world):
    client.force_login(world.trainee)
    # The second trainee's draft: 404.
    assert (
        client.get(reverse("seminars:trip_report_detail", kwargs=draft_kw(world))).status_code
        == 404
    )
    # Their own submitted report: 200.
    assert client.get(url_of("seminars:trip_report_detail", world)).status_code == 200
    # A submitted report is not for the other trainee on the trip either.
    client.force_login(world.second_trainee)
    assert client.get(url_of("seminars:trip_report_detail", world)).status_code == 404
    # A draft is its author's: the host does not see it yet.
    for person in (world.coordinator, world.staff):
        client.force_login(person)
        assert (
            client.get(reverse("seminars:trip_report_detail", kwargs=draft_kw(world))).status_code
            == 404
        )


# The supervisor of 田川市 ------------------------------------------------------------------


def test_supervisor_reads_the_trip_and_submitted_reports_only(client, world):
    client.force_login(world.supervisor)
    response = client.get(url_of("seminars:trip_detail", world))
    assert response.status_code == 200
    assert world.trip.purpose in response.content.decode()
    response = client.get(url_of("seminars:trip_report_detail", world))
    assert response.status_code == 200
    assert "説明会を開催した。" in response.content.decode()
    assert (
        client.get(reverse("seminars:trip_report_detail", kwargs=draft_kw(world))).status_code
        == 404
    )
    assert client.get(url_of("seminars:seminar_detail", world)).status_code == 200


SUPERVISOR_NOT_FOR_THEM = [
    ("reports:itinerary_print", GET),
    ("reports:trip_expenses_csv", GET),
    ("reports:itinerary_pdf", POST),
    ("reports:report_status", GET),
    ("seminars:trip_report_write", GET),
]


@pytest.mark.parametrize(
    ("name", "method"),
    SUPERVISOR_NOT_FOR_THEM,
    ids=[f"{m.upper()} {n}" for n, m in SUPERVISOR_NOT_FOR_THEM],
)
def test_supervisor_gets_404_on_what_is_for_the_host_or_the_traveller(
    client, world, monkeypatch, name, method
):
    fake_today(monkeypatch, date(2026, 12, 1))
    client.force_login(world.supervisor)
    assert ask(client, method, name, world).status_code == 404


# The PDF --------------------------------------------------------------------------------------


def test_coordinator_asks_for_the_itinerary_pdf_and_downloads_it(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    """The request makes a row, the worker (eager in tests, once the request's transaction
    commits) builds it, the host downloads it; asking again for unchanged data gives the same
    version. WeasyPrint itself is left out (its first run takes seconds): the worker is given
    the HTML of the itinerary and returns a stand-in PDF."""
    rendered = []

    def render_pdf(html):
        rendered.append(html)
        return PDF

    monkeypatch.setattr("reports.documents.render_pdf", render_pdf)
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url_of("reports:itinerary_pdf", world))
    assert response.status_code == 302
    built = Report.objects.exclude(pk=world.document.pk).get()
    assert response["Location"] == reverse("reports:report_status", args=[built.pk])
    assert built.state == ReportState.DONE, built.error
    assert built.version == 2
    assert len(rendered) == 1
    assert world.trainee.display_name in rendered[0]
    assert world.second_trainee.display_name in rendered[0]
    assert client.get(response["Location"]).status_code == 200
    download = client.get(reverse("reports:report_download", args=[built.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    again = client.post(url_of("reports:itinerary_pdf", world))
    assert again["Location"] == reverse("reports:report_status", args=[built.pk])
    assert Report.objects.count() == 2
    # The documents stay with the host: the trainee on the trip gets 404.
    client.force_login(world.trainee)
    assert client.get(reverse("reports:report_download", args=[built.pk])).status_code == 404


# Query counts ------------------------------------------------------------------------------


def add_legs(w, n, *, day="12-02", first="11:00"):
    """n legs, 30 minutes each, 40 minutes apart."""
    hours, minutes = map(int, first.split(":"))
    start = hours * 60 + minutes
    for i in range(n):
        depart, arrive = start + 40 * i, start + 40 * i + 30
        leg_services.save_leg(
            w.trip,
            leg_plan(
                f"{day} {depart // 60:02d}:{depart % 60:02d}",
                f"{day} {arrive // 60:02d}:{arrive % 60:02d}",
                mode="rail",
                service=f"普通 {i}",
                fare=300 + i,
            ),
            by=w.coordinator,
        )


def add_seminars(w, n, *, day="12-01", first_hour=15, trip=True):
    """n seminars, 45 minutes each, an hour apart (on the trip, or local ones)."""
    for i in range(n):
        hour = first_hour + i
        seminar_services.save_seminar(
            w.program,
            seminar_plan(
                day, f"{hour:02d}:00", f"{hour:02d}:45", title=f"説明会 {day} {hour}", lead=w.staff
            ),
            trip=w.trip if trip else None,
            by=w.coordinator,
        )


def add_expenses(w, kinds):
    for e in (w.enrollment, w.second_enrollment):
        for kind in kinds:
            expense_services.save_expense(
                w.trip,
                expense_services.ExpensePlan(
                    participant=f"e{e.pk}", kind=kind, amount=1000, payer="municipality"
                ),
                by=w.coordinator,
            )
    expense_services.save_expense(
        w.trip,
        expense_services.ExpensePlan(
            participant=f"s{w.staff.pk}", kind="other", amount=2000, payer="host"
        ),
        by=w.coordinator,
    )


def add_trips(w, n):
    """More trips (without legs, so nothing clashes), to every municipality."""
    from programs.models import Municipality

    for i in range(n):
        trip_services.save_trip(
            w.program,
            plan(
                w.program,
                [w.enrollment, w.second_enrollment],
                [w.staff],
                purpose=f"視察 {i}",
                start_date=date(2026, 12, 3),
                end_date=date(2026, 12, 4),
                municipalities=list(Municipality.objects.all()),
            ),
            by=w.coordinator,
        )


@pytest.fixture
def small(world):
    """2 legs, 2 seminars, a few expenses (the leg fares and one typed line), one trip, one
    local seminar."""
    add_legs(world, 1, day="12-01", first="09:00")
    add_seminars(world, 1, day="12-02", first_hour=9)
    add_seminars(world, 1, day="11-30", first_hour=10, trip=False)
    assert world.trip.legs.count() == 2
    assert Seminar.objects.filter(trip=world.trip).count() == 2
    return world


def grow(w):
    """To 10 legs, 10 seminars, many expenses; more trips and local seminars."""
    add_legs(w, 8)
    add_seminars(w, 8)
    add_seminars(w, 5, day="12-04", first_hour=9, trip=False)
    add_expenses(w, ["lodging", "other", "lodging_allowance"])
    add_trips(w, 3)
    assert w.trip.legs.count() == 10
    assert Seminar.objects.filter(trip=w.trip).count() == 10
    assert Expense.objects.filter(trip=w.trip).count() > 30


def test_trip_pages_run_as_many_queries_with_ten_legs_as_with_two(client, small):
    """For the host, the trainee on the trip and the supervisor of 田川市 (each reads the
    trip through another scoped query)."""
    urls = {
        "seminars:trip_list": reverse("seminars:trip_list", args=[small.program.pk]),
        "seminars:trip_detail": reverse(
            "seminars:trip_detail", args=[small.program.pk, small.trip.pk]
        ),
    }
    personas = ("coordinator", "trainee", "supervisor")

    def counts():
        found = {}
        for persona in personas:
            client.force_login(getattr(small, persona))
            for name, url in urls.items():
                found[persona, name] = count_queries(client, url)
        return found

    few = counts()
    grow(small)
    many = counts()
    grew = {
        key: f"{few[key][0]} → {many[key][0]}\n"
        + "\n".join(q["sql"] for q in many[key][1].captured_queries)
        for key in few
        if few[key][0] != many[key][0]
    }
    assert not grew, "\n\n".join(f"{key}: {text}" for key, text in grew.items())


# Forms keep what was typed, and say what is wrong next to the field -----------------------


def test_leg_arriving_before_it_departs_is_refused_next_to_the_arrival(client, world):
    client.force_login(world.coordinator)
    before = snapshot()
    typed = leg_form(
        world,
        origin_place="伊那市駅",
        destination="箕輪町",
        depart_at="2026-12-01T10:00",
        arrive_at="2026-12-01T09:00",
        service="飯田線 123M",
        fare="1,200",
    )
    response = client.post(url_of("seminars:leg_new", world), typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert "到着は出発より後にしてください。" in field_errors(html, "arrive_at")
    assert field_errors(html, "depart_at") == ""
    for value in ("伊那市駅", "箕輪町", "2026-12-01T10:00", "2026-12-01T09:00", "飯田線 123M"):
        assert f'value="{value}"' in html, value
    assert snapshot() == before


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("12.5", "円単位の整数で入力してください（小数は使えません）。"),
        ("-3", "金額はマイナスにできません。"),
    ],
)
def test_expense_amount_must_be_whole_non_negative_yen(client, world, amount, message):
    client.force_login(world.coordinator)
    before = snapshot()
    response = client.post(
        url_of("seminars:expense_new", world), expense_form(world, amount=amount, note="タクシー代")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in field_errors(html, "amount")
    assert f'value="{amount}"' in html
    assert 'value="タクシー代"' in html
    assert f'value="e{world.enrollment.pk}" selected' in html
    assert snapshot() == before


def test_a_trip_asked_for_under_another_program_of_its_host_is_not_found(client, world):
    """The trip page asks for the program and the trip together for the host's people: the
    trip must be the program's, whichever program of the host is in the address."""
    other = ProgramFactory(host=world.host, title="同じホストの別の研修")
    client.force_login(world.coordinator)
    for name in ("seminars:trip_detail", "seminars:trip_expenses"):
        url = reverse(name, kwargs={"pk": other.pk, "trip_pk": world.trip.pk})
        assert client.get(url).status_code == 404
        assert client.get(url_of(name, world)).status_code == 200
