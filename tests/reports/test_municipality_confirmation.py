"""The municipality's 確認 of a filed 復命書, the host's list of what still waits for it, the
selector the contact's pages read (constant queries), and the 研修報告書's PDF printing
exactly what the trainee submitted."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports.program_documents import trainee_html
from reports.selectors.confirmations import awaiting_confirmation, municipality_confirmations
from seminars.models import TripReport, TripReportStatus
from trainees.models import TrainingReport, TrainingReportStatus

from ..factories import count_queries, enrol, trainee_of
from . import world as w
from .test_program_documents import built

pytestmark = pytest.mark.django_db

IMPRESSIONS = "一週間で、働く＝出勤ではないと気づいた。\n自分の言葉で書いた所感。"
APPLICATION = "企画課の業務を一件、外部に頼んでみる。"


@pytest.fixture
def finished(host, coordinator, trainee, other_trainee):
    return w.build(host, coordinator, trainee, other_trainee)


def file_training_report(enrollment, **extra):
    extra.setdefault("submitted_at", timezone.now())
    return TrainingReport.objects.create(
        enrollment=enrollment,
        impressions=IMPRESSIONS,
        application=APPLICATION,
        status=TrainingReportStatus.SUBMITTED,
        **extra,
    )


def trip_report_urls(report):
    args = [report.trip.program_id, report.trip_id, report.pk]
    return (
        reverse("seminars:trip_report_detail", args=args),
        reverse("seminars:trip_report_confirm", args=args),
    )


def test_the_contact_confirms_a_trip_report_and_nobody_else_can(
    client, finished, trainee, coordinator, supervisor, other_supervisor
):
    report = TripReport.objects.get(enrollment=finished.first)
    detail, confirm = trip_report_urls(report)
    client.force_login(supervisor)
    page = client.get(detail).content.decode()
    assert "自治体確認待ち" in page and "確認する" in page
    for person, status in ((coordinator, 403), (trainee, 403), (other_supervisor, 404)):
        client.force_login(person)
        assert client.post(confirm).status_code == status, person
    client.logout()
    assert "/login/" in client.post(confirm)["Location"]
    client.force_login(supervisor)
    assert client.post(confirm, {"next": "/municipality/"})["Location"] == "/municipality/"
    report.refresh_from_db()
    assert report.municipality_confirmed_by == supervisor and report.municipality_confirmed_at
    # The coordinator's own acknowledgement (確認済み) is a different thing and still to do.
    assert report.status == TripReportStatus.SUBMITTED
    moment = timezone.localtime(report.municipality_confirmed_at)
    label = f"自治体確認済み（{moment.month}月{moment.day}日 {supervisor.display_name}）"
    client.force_login(coordinator)
    assert label in client.get(detail).content.decode()
    client.force_login(trainee)
    write = reverse("seminars:trip_report_write", args=[finished.program.pk, finished.trip.pk])
    page = client.get(write).content.decode()
    assert label in page and "自治体が確認したため" in page


def test_the_host_sees_what_still_waits_for_the_municipality(
    client, finished, coordinator, supervisor, trainee, outsider
):
    file_training_report(finished.first)
    file_training_report(finished.second)
    url = reverse("reports:awaiting_confirmation", args=[finished.program.pk])
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert page.count("研修報告書") >= 2 and "復命書（地域企業向けセミナーの開催）" in page
    assert "田川市" in page and "北見市" in page
    program_page = client.get(reverse("programs:program_detail", args=[finished.program.pk]))
    assert "3件" in program_page.content.decode()
    TrainingReport.objects.filter(enrollment=finished.first).update(
        municipality_confirmed_at=timezone.now(), municipality_confirmed_by=supervisor
    )
    TripReport.objects.update(
        municipality_confirmed_at=timezone.now(), municipality_confirmed_by=supervisor
    )
    rows = awaiting_confirmation(finished.program)
    assert [(r.kind, r.municipality) for r in rows] == [("training_report", "北見市")]
    for person in (supervisor, trainee, outsider):
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.logout()
    assert "/login/" in client.get(url)["Location"]


def test_the_waiting_list_costs_the_same_queries_whatever_its_rows(
    client, finished, coordinator, tagawa
):
    url = reverse("reports:awaiting_confirmation", args=[finished.program.pk])
    file_training_report(finished.first)
    client.force_login(coordinator)
    few, _ctx = count_queries(client, url)
    for n in range(3):
        file_training_report(enrol(finished.program, trainee_of(tagawa, f"t{n}@example.org")))
    many, _ctx = count_queries(client, url)
    assert few == many


def test_the_contacts_selector_gives_each_state_in_constant_queries(finished, supervisor, tagawa):
    first, second = finished.first, finished.second
    file_training_report(
        first, municipality_confirmed_at=timezone.now(), municipality_confirmed_by=supervisor
    )

    def read(ids):
        with CaptureQueriesContext(connection) as ctx:
            found = municipality_confirmations(ids, supervisor)
        return found, len(ctx.captured_queries)

    found, two = read([first.pk, second.pk])
    assert found[first.pk].training_report.state == "confirmed"
    assert found[first.pk].training_report.label.startswith("自治体確認済み（")
    assert found[first.pk].can_confirm and not found[second.pk].can_confirm
    assert found[second.pk].training_report.state == "none"
    (trip,) = found[first.pk].trip_reports
    assert trip.confirmation.state == "waiting" and trip.confirm_url.endswith("/confirm/")
    assert found[second.pk].trip_reports == []
    more = [enrol(finished.program, trainee_of(tagawa, f"s{n}@example.org")) for n in range(4)]
    TrainingReport.objects.create(enrollment=more[0])  # a draft
    found, six = read([first.pk, second.pk, *(e.pk for e in more)])
    assert two == six == 4
    assert found[more[0].pk].training_report.state == "draft"


def test_the_pdf_prints_exactly_what_the_trainee_submitted(
    finished, coordinator, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from reports.services import documents as services

    after = finished.program.end_date + timedelta(days=1)  # the final version
    html = trainee_html(finished.first, today=after)
    assert "研修報告書はまだ提出されていません。" in html
    assert "意思決定の速さに驚いた" not in html.split("添付資料")[0]  # no collage
    assert "本人が提出した振り返り" not in html  # no disclaimer
    file_training_report(finished.first)
    TrainingReport.objects.create(
        enrollment=finished.second, impressions="下書きの所感", application="下書きの活用"
    )
    html = trainee_html(finished.first, today=after)
    assert IMPRESSIONS in html and APPLICATION in html
    assert "まだ提出されていません" not in html
    assert "下書きの所感" not in trainee_html(finished.second, today=after)
    _report, pdf = built(
        lambda: services.request_trainee_report(finished.first, by=coordinator, today=after),
        django_capture_on_commit_callbacks,
    )
    compact = "".join(w.pdf_text(pdf).split())
    assert "".join(IMPRESSIONS.split()) in compact
    assert "".join(APPLICATION.split()) in compact


def test_the_final_training_report_is_dated_the_day_the_trainee_submitted_it(finished):
    """Written after the last day, the trainee's 研修報告書 carries the day they submitted it,
    not the program's last day (an interim version keeps the day it was built)."""
    from datetime import timedelta

    from reports.selectors.program_reports import trainee_context

    from ..factories import at

    end = finished.program.end_date
    file_training_report(finished.first, submitted_at=at(end + timedelta(days=3), 9))
    context = trainee_context(finished.first, today=end + timedelta(days=10))
    assert (context["interim"], context["dated"]) == (False, end + timedelta(days=3))
    context = trainee_context(finished.first, today=end)
    assert (context["interim"], context["dated"]) == (True, end)


def test_a_trip_report_filed_again_since_the_contact_opened_it_is_not_confirmed_unread(
    client, finished, supervisor
):
    """The button posts the filing the contact read: a report the trainee submitted again
    in between is refused with a message, and confirmed once read again."""
    import re
    from datetime import timedelta

    report = TripReport.objects.get(enrollment=finished.first)
    detail, confirm = trip_report_urls(report)
    client.force_login(supervisor)
    page = client.get(detail).content.decode()
    seen = re.search(r'name="seen" value="([^"]+)"', page).group(1)
    TripReport.objects.filter(pk=report.pk).update(
        submitted_at=report.submitted_at + timedelta(minutes=5), impressions="書き直した所感"
    )
    response = client.post(confirm, {"seen": seen}, follow=True)
    assert "提出し直しました" in response.content.decode()
    report.refresh_from_db()
    assert report.municipality_confirmed_at is None
    seen = re.search(r'name="seen" value="([^"]+)"', client.get(detail).content.decode()).group(1)
    client.post(confirm, {"seen": seen})
    report.refresh_from_db()
    assert report.municipality_confirmed_by == supervisor
