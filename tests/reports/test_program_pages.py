"""The program documents' pages and downloads, by who asks; the versioning rules; the report
a completed program gets by itself and the email that announces it.

Who may hold a document is who may see every part of it: the host's people all of them; a
supervisor the program report made for their municipality and their own trainees' 研修報告書;
a trainee their own 研修報告書. Everything else answers 404, never 403."""

from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.models import Membership, Notification, Program, Role
from programs.services import reminders as reminder_services
from reports import urls
from reports.models import Report, ReportKind, ReportState
from reports.services import documents as services
from reports.tasks import build_report, report_completed_programs
from reports.views import programs as program_views
from trainees.models import DailyReflection, Interview

from ..factories import (
    MunicipalityFactory,
    ProgramFactory,
    TraineeProfileFactory,
    UserFactory,
    add_activity,
    enrol,
)
from . import world as w

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% a stored document\n"


def stored(report: Report) -> Report:
    """A built document without drawing it (the drawing has its own tests)."""
    report.file.save("report.pdf", ContentFile(PDF), save=False)
    report.state = ReportState.DONE
    report.size = len(PDF)
    report.save()
    return report


@pytest.fixture
def world(host, coordinator, staff, supervisor, other_supervisor, trainee, other_trainee, outsider):
    built = w.build(host, coordinator, trainee, other_trainee)
    stranger_town = MunicipalityFactory(code="131016", name="千代田区", prefecture=13)
    stranger_supervisor = UserFactory(email="stranger-supervisor@example.org")
    Membership.objects.create(
        user=stranger_supervisor, role=Role.SUPERVISOR, municipality=stranger_town
    )
    loner = TraineeProfileFactory(
        user=UserFactory(email="loner@example.org"), municipality=stranger_town
    ).user
    program = built.program
    tagawa = built.first.municipality
    kitami = built.second.municipality
    whole = stored(
        services.request_program_report(program, by=coordinator, today=timezone.localdate())
    )
    for_tagawa = stored(
        services.request_program_report(
            program, by=coordinator, today=timezone.localdate(), municipality=tagawa
        )
    )
    first_report = stored(
        services.request_trainee_report(built.first, by=coordinator, today=timezone.localdate())
    )
    second_report = stored(
        services.request_trainee_report(built.second, by=coordinator, today=timezone.localdate())
    )
    summary = stored(services.request_fiscal_year(program.fiscal_year, host=host, by=coordinator))
    return SimpleNamespace(
        **vars(built),
        host=host,
        tagawa=tagawa,
        kitami=kitami,
        coordinator=coordinator,
        staff=staff,
        supervisor=supervisor,  # 田川市: the first trainee's
        other_supervisor=other_supervisor,  # 北見市: the second trainee's
        stranger_supervisor=stranger_supervisor,  # 千代田区: nobody's here
        trainee=trainee,
        other_trainee=other_trainee,
        loner=loner,
        outsider=outsider,  # another host's coordinator
        whole=whole,
        for_tagawa=for_tagawa,
        first_report=first_report,
        second_report=second_report,
        summary=summary,
    )


# Every URL of the program documents, and what to ask of it ---------------------------------

GET, POST = "get", "post"


def pages(x) -> dict:
    p = x.program.pk
    year = f"?year={x.program.fiscal_year}&host={x.host.pk}"
    return {
        "reports:program_documents": (reverse("reports:program_documents", args=[p]), GET),
        "reports:program_report_print": (reverse("reports:program_report_print", args=[p]), GET),
        "reports:program_report_pdf": (reverse("reports:program_report_pdf", args=[p]), POST),
        "reports:trainee_report_print": (
            reverse("reports:trainee_report_print", args=[p, x.first.pk]),
            GET,
        ),
        "reports:trainee_report_pdf": (
            reverse("reports:trainee_report_pdf", args=[p, x.first.pk]),
            POST,
        ),
        "reports:fiscal_year_print": (reverse("reports:fiscal_year_print") + year, GET),
        "reports:fiscal_year_pdf": (reverse("reports:fiscal_year_pdf") + year, POST),
    }


def documents(x) -> dict:
    return {
        "whole program report": x.whole,
        "田川市's program report": x.for_tagawa,
        "first trainee's 研修報告書": x.first_report,
        "second trainee's 研修報告書": x.second_report,
        "fiscal-year summary": x.summary,
    }


def ask(client, address: str, method: str):
    return client.get(address) if method == GET else client.post(address)


def test_the_table_names_every_url_of_the_program_documents():
    names = {
        f"reports:{p.name}"
        for p in urls.urlpatterns
        if p.callback.__module__ == program_views.__name__
    }
    assert names == set(pages(SimpleNamespace(**PLACEHOLDER)))


PLACEHOLDER = {
    "program": SimpleNamespace(pk=1, fiscal_year=2026),
    "host": SimpleNamespace(pk=1),
    "first": SimpleNamespace(pk=1),
}


def test_anonymous_is_sent_to_log_in_everywhere(client, world):
    before = Report.objects.count()
    for name, (address, method) in pages(world).items():
        response = ask(client, address, method)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("account_login")), name
    for label, report in documents(world).items():
        response = client.get(reverse("reports:report_download", args=[report.pk]))
        assert response.status_code == 302, label
    assert Report.objects.count() == before


@pytest.mark.parametrize("who", ["outsider", "stranger_supervisor", "loner"])
def test_people_with_no_part_in_the_program_get_404_everywhere(client, world, who):
    client.force_login(getattr(world, who))
    before = Report.objects.count()
    for name, (address, method) in pages(world).items():
        assert ask(client, address, method).status_code == 404, name
    for label, report in documents(world).items():
        for view in ("reports:report_status", "reports:report_download"):
            assert client.get(reverse(view, args=[report.pk])).status_code == 404, (label, view)
        assert client.post(reverse("reports:report_retry", args=[report.pk])).status_code == 404
    assert Report.objects.count() == before


@pytest.mark.parametrize("who", ["coordinator", "staff"])
def test_the_hosts_people_read_ask_for_and_download_everything(client, world, who):
    client.force_login(getattr(world, who))
    for name, (address, method) in pages(world).items():
        response = ask(client, address, method)
        assert response.status_code == (200 if method == GET else 302), name
    for label, report in documents(world).items():
        response = client.get(reverse("reports:report_download", args=[report.pk]))
        assert response.status_code == 200, label


def test_a_supervisor_holds_their_municipalitys_documents_and_nothing_else(client, world):
    client.force_login(world.supervisor)
    p = world.program.pk
    assert client.get(reverse("reports:program_documents", args=[p])).status_code == 200
    # The whole report holds 北見市's trainee too: not theirs.
    assert client.get(reverse("reports:program_report_print", args=[p])).status_code == 404
    assert client.post(reverse("reports:program_report_pdf", args=[p])).status_code == 404
    mine = f"?municipality={world.tagawa.pk}"
    theirs = f"?municipality={world.kitami.pk}"
    page = client.get(reverse("reports:program_report_print", args=[p]) + mine)
    assert page.status_code == 200
    html = page.content.decode()
    assert world.first.trainee.display_name in html
    assert world.second.trainee.display_name not in html
    assert client.get(reverse("reports:program_report_print", args=[p]) + theirs).status_code == 404
    assert client.post(reverse("reports:program_report_pdf", args=[p]) + theirs).status_code == 404
    assert (
        client.get(reverse("reports:trainee_report_print", args=[p, world.first.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("reports:trainee_report_print", args=[p, world.second.pk])).status_code
        == 404
    )
    assert client.get(reverse("reports:fiscal_year_print")).status_code == 404
    # Downloads: their trainee's 研修報告書 and their municipality's report, as PDFs named in
    # Japanese (RFC 6266 filename*); 404 on everything else.
    response = client.get(reverse("reports:report_download", args=[world.first_report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert f"filename*=utf-8''{quote(world.first_report.filename)}" in response[
        "Content-Disposition"
    ].replace("UTF-8", "utf-8")
    assert world.first_report.filename.startswith("研修報告書_")
    assert (
        client.get(reverse("reports:report_download", args=[world.for_tagawa.pk])).status_code
        == 200
    )
    for other in (world.second_report, world.whole, world.summary):
        assert client.get(reverse("reports:report_download", args=[other.pk])).status_code == 404


@pytest.mark.parametrize(
    ("who", "mine", "theirs"),
    [("supervisor", "first", "second"), ("other_supervisor", "second", "first")],
)
def test_a_municipalitys_report_holds_nothing_of_the_other_municipalitys_trainees(
    client, world, who, mine, theirs
):
    """Not their names in the seminars' roles, not their interview slots in the week, not
    the seminars only they took part in, not the host's follow-ups: what the app's pages
    show that supervisor."""
    client.force_login(getattr(world, who))
    municipality = getattr(world, mine).municipality
    page = client.get(
        reverse("reports:program_report_print", args=[world.program.pk])
        + f"?municipality={municipality.pk}"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert getattr(world, mine).trainee.display_name in html
    assert getattr(world, theirs).trainee.display_name not in html
    assert w.FOLLOW_UP not in html
    assert (w.KITAMI_SEMINAR in html) == (mine == "second")
    assert ("仕事を切り出して地域で頼む" in html) == (mine == "first")
    # The host's whole report has everything.
    client.force_login(world.coordinator)
    whole = client.get(
        reverse("reports:program_report_print", args=[world.program.pk])
    ).content.decode()
    for text in (world.first.trainee.display_name, world.second.trainee.display_name):
        assert text in whole
    assert w.FOLLOW_UP in whole and w.KITAMI_SEMINAR in whole


def test_a_program_taken_back_to_draft_takes_its_documents_with_it(client, world):
    Program.objects.filter(pk=world.program.pk).update(status="draft")
    for who, report in (
        ("supervisor", world.first_report),
        ("supervisor", world.for_tagawa),
        ("trainee", world.first_report),
    ):
        client.force_login(getattr(world, who))
        for view in ("reports:report_status", "reports:report_download"):
            assert client.get(reverse(view, args=[report.pk])).status_code == 404, (who, view)
    client.force_login(world.coordinator)
    assert (
        client.get(reverse("reports:report_download", args=[world.first_report.pk])).status_code
        == 200
    )


def test_the_other_municipalitys_supervisor_is_kept_to_their_own_trainee(client, world):
    client.force_login(world.other_supervisor)
    assert (
        client.get(reverse("reports:report_download", args=[world.second_report.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("reports:report_download", args=[world.first_report.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("reports:report_download", args=[world.for_tagawa.pk])).status_code
        == 404
    )


def test_a_trainee_holds_their_own_training_report_only(client, world):
    client.force_login(world.trainee)
    p = world.program.pk
    page = client.get(reverse("reports:program_documents", args=[p]))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("reports:trainee_report_print", args=[p, world.first.pk]) in html
    assert reverse("reports:trainee_report_print", args=[p, world.second.pk]) not in html
    assert reverse("reports:program_report_print", args=[p]) not in html
    assert (
        client.get(reverse("reports:trainee_report_print", args=[p, world.first.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("reports:report_download", args=[world.first_report.pk])).status_code
        == 200
    )
    for other in (world.second_report, world.whole, world.for_tagawa, world.summary):
        assert client.get(reverse("reports:report_download", args=[other.pk])).status_code == 404
    mine = f"?municipality={world.tagawa.pk}"
    assert client.get(reverse("reports:program_report_print", args=[p]) + mine).status_code == 404


def test_no_document_is_reached_by_its_storage_path(world):
    for report in documents(world).values():
        assert report.file.name.startswith("reports/")
        name = report.file.name.removeprefix("reports/").removesuffix(".pdf")
        assert len(name) == 32 and all(c in "0123456789abcdef" for c in name)


# Versions ----------------------------------------------------------------------------------


def test_unchanged_data_gets_the_version_there_and_a_change_a_new_one(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        again = services.request_program_report(
            world.program, by=world.coordinator, today=timezone.localdate()
        )
    assert again.pk == world.whole.pk and not queued  # nothing to build
    DailyReflection.objects.filter(enrollment=world.first).update(learned="書き直した学び")
    with django_capture_on_commit_callbacks() as queued:
        changed = services.request_program_report(
            world.program, by=world.coordinator, today=timezone.localdate()
        )
        same = services.request_program_report(
            world.program, by=world.coordinator, today=timezone.localdate()
        )
    assert changed.version == 2 and same.pk == changed.pk
    assert len(queued) == 1  # one job for the two requests
    assert Report.objects.get(pk=world.whole.pk).state == ReportState.DONE  # the old one stays
    # The municipality's report changed too (its trainee wrote it) but is its own series.
    tagawa = services.request_program_report(
        world.program, by=world.coordinator, today=timezone.localdate(), municipality=world.tagawa
    )
    assert tagawa.version == 2 and tagawa.scope.endswith(f":municipality:{world.tagawa.pk}")


def test_a_failed_version_is_not_given_again_and_can_be_retried(
    world, client, django_capture_on_commit_callbacks
):
    Report.objects.filter(pk=world.summary.pk).update(state=ReportState.FAILED, error="boom")
    again = services.request_fiscal_year(world.program.fiscal_year, host=world.host, by=None)
    assert again.pk != world.summary.pk and again.version == 2
    client.force_login(world.staff)
    page = client.get(reverse("reports:report_status", args=[world.summary.pk]))
    assert "boom" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report_retry", args=[world.summary.pk]))
    assert response.status_code == 302
    # The task ran after the commit (eagerly here): built again from today's data.
    retried = Report.objects.get(pk=world.summary.pk)
    assert retried.state == ReportState.DONE and retried.error == "" and retried.size > 1000


# Speed ---------------------------------------------------------------------------------------


def _queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(address).status_code == 200
    return len(ctx)


def test_the_documents_page_runs_the_same_queries_whatever_the_trainees(client, world):
    client.force_login(world.coordinator)
    address = reverse("reports:program_documents", args=[world.program.pk])
    client.get(address)
    few = _queries(client, address)
    for n in range(5):
        user = TraineeProfileFactory(
            user=UserFactory(email=f"more{n}@example.org"),
            municipality=MunicipalityFactory(code=f"40{n}001", name=f"町{n}", prefecture=40),
        ).user
        stored(
            services.request_trainee_report(
                enrol(world.program, user), by=None, today=timezone.localdate()
            )
        )
    client.get(address)  # enrolling changed the kept program and roles: read them again
    assert _queries(client, address) == few


def test_the_report_context_reads_the_same_queries_whatever_the_trainees(world):
    from reports.selectors.program_reports import program_context

    with CaptureQueriesContext(connection) as ctx:
        program_context(world.program, today=timezone.localdate())
    few = len(ctx)
    for n in range(4):
        user = TraineeProfileFactory(
            user=UserFactory(email=f"more{n}@example.org"), municipality=world.tagawa
        ).user
        enrollment = enrol(world.program, user)
        DailyReflection.objects.create(
            enrollment=enrollment, date=world.program.start_date, status="submitted"
        )
    with CaptureQueriesContext(connection) as ctx:
        context = program_context(world.program, today=timezone.localdate())
    assert len(context["trainees"]) == 6
    assert len(ctx) == few


# The report a completed program gets by itself -------------------------------------------------


def test_a_completed_program_gets_its_report_and_the_coordinator_an_email(
    host, coordinator, trainee, django_capture_on_commit_callbacks, settings
):
    today = timezone.localdate()
    ended = ProgramFactory(
        host=host,
        title="先週終わった研修",
        start_date=today - timedelta(days=8),
        created_by=coordinator,
    )
    add_activity(ended, ended.start_date, "10:00", "12:00", "オリエンテーション")
    enrol(ended, trainee)
    running = ProgramFactory(host=host, title="実施中の研修", start_date=today - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert report_completed_programs() == 1
    report = Report.objects.get(kind=ReportKind.PROGRAM, program=ended)
    assert report.automatic and report.state == ReportState.DONE and report.requested_by is None
    assert not Report.objects.filter(program=running).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert report_completed_programs() == 0  # once
    now = timezone.now()
    reminder_services.dispatch(now)
    row = Notification.objects.get(kind="program_report")
    assert row.recipient_id == coordinator.pk
    assert row.url == reverse("reports:report_status", args=[report.pk])
    reminder_services.dispatch(now)
    assert Notification.objects.filter(kind="program_report").count() == 1
    for ids in reminder_services.due_batches(now):
        reminder_services.send_batch(ids, now)
    (message,) = [m for m in mail.outbox if "先週終わった研修" in m.subject]
    assert message.to == [coordinator.email]
    assert settings.KENSHU_BASE_URL.rstrip("/") + row.url in message.body


def test_an_automatic_report_that_failed_is_tried_again_the_next_day_not_every_hour(
    host, coordinator, trainee, django_capture_on_commit_callbacks, monkeypatch
):
    today = timezone.localdate()
    ended = ProgramFactory(host=host, start_date=today - timedelta(days=8), created_by=coordinator)
    enrol(ended, trainee)

    def broken(report, today):
        raise ValueError("a template error")

    monkeypatch.setattr("reports.tasks.html_of", broken)
    # Eager here, the task's error reaches the caller; a worker keeps it on the row.
    with pytest.raises(ValueError), django_capture_on_commit_callbacks(execute=True):
        report_completed_programs()
    failed = Report.objects.get(program=ended)
    assert failed.state == ReportState.FAILED and failed.error == "a template error"
    assert report_completed_programs() == 0  # not again within the day
    Report.objects.filter(pk=failed.pk).update(
        created_at=timezone.now() - timedelta(days=1, hours=1)
    )
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert report_completed_programs() == 1
    assert Report.objects.get(program=ended, version=2).state == ReportState.DONE
    assert not Notification.objects.filter(kind="program_report", context__report=failed.pk)


def test_a_transient_error_puts_the_build_back_in_the_queue(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    from celery.exceptions import Retry
    from django.db import OperationalError

    from reports import tasks

    real = tasks.html_of
    calls = []

    def once_away(report, today):
        calls.append(report.pk)
        if len(calls) == 1:
            raise OperationalError("the database went away")
        return real(report, today)

    monkeypatch.setattr(tasks, "html_of", once_away)
    DailyReflection.objects.filter(enrollment=world.first).update(learned="もう一度")
    # Eager here, the caller hears of the retry that a worker would schedule in 30 s.
    with pytest.raises(Retry), django_capture_on_commit_callbacks(execute=True):
        services.request_trainee_report(
            world.first, by=world.coordinator, today=timezone.localdate()
        )
    report = Report.objects.get(kind=ReportKind.TRAINEE, version=2, enrollment=world.first)
    assert report.state == ReportState.QUEUED and "went away" in report.error
    build_report.apply(args=[report.pk])  # the retried message, delivered
    report.refresh_from_db()
    assert len(calls) == 2
    assert report.state == ReportState.DONE and report.attempts == 2


def test_an_operator_sums_up_the_year_across_hosts(client, world, other_host):
    from ..factories import UserFactory as Users

    ProgramFactory(host=other_host, title="北の研修", start_date=world.program.start_date)
    operator = Users(email="operator@example.org", is_superuser=True, is_staff=True)
    client.force_login(operator)
    year = world.program.fiscal_year
    page = client.get(reverse("reports:fiscal_year_print") + f"?year={year}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "全受入企業" in html and "北の研修" in html and world.program.title in html
    mine = client.get(reverse("reports:fiscal_year_print") + f"?year={year}&host={world.host.pk}")
    assert "北の研修" not in mine.content.decode()
    # A coordinator has their own host's summary only.
    client.force_login(world.coordinator)
    theirs = client.get(reverse("reports:fiscal_year_print") + f"?year={year}")
    assert "北の研修" not in theirs.content.decode()
    assert (
        client.get(reverse("reports:fiscal_year_print") + f"?host={other_host.pk}").status_code
        == 404
    )


WRITES = ("INSERT", "UPDATE", "DELETE")


def _every_get(world) -> dict[str, str]:
    """Each URL of reports/urls.py with the world's rows in it."""
    interview = Interview.objects.get(enrollment=world.first)
    found = {
        "pk": world.program.pk,
        "trip_pk": world.trip.pk,
        "enrollment_pk": world.first.pk,
    }
    addresses = {}
    for p in urls.urlpatterns:
        kwargs = {name: found[name] for name in p.pattern.converters}
        if str(p.pattern).startswith("interviews/"):
            kwargs = {"pk": interview.pk}
        elif str(p.pattern).startswith("documents/"):
            kwargs = {"pk": world.whole.pk}
        addresses[p.name] = reverse(f"reports:{p.name}", kwargs=kwargs)
    return addresses


@pytest.mark.parametrize("who", ["coordinator", "supervisor", "trainee"])
def test_no_get_of_reports_writes_a_row(client, world, who):
    """A GET reads only: the PDFs are asked for on POST (their GET redirects or answers 405),
    and no page or file creates or changes a row, whoever asks."""
    client.force_login(getattr(world, who))
    for name, address in _every_get(world).items():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(address)
            if response.streaming:
                b"".join(response.streaming_content)  # a CSV's rows are read as it streams
        writes = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().startswith(WRITES)]
        assert response.status_code in (200, 302, 404, 405, 409), name
        assert writes == [], name
