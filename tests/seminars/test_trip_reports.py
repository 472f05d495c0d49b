"""The trip report (復命書): prefilled from the trip, written by the trainee alone, submitted
with its 内容 and 所感, frozen at submission, acknowledged by a coordinator; readers see it
once submitted."""

import pytest

from seminars.models import TripReport
from seminars.services import legs as leg_services
from seminars.services import trip_reports as report_services
from seminars.services.common import TripRefused

from .conftest import leg_plan

pytestmark = pytest.mark.django_db

TEXT = report_services.ReportText(
    content="説明会の運営を補助した。", impressions="仕事を切り出す意味が分かった。"
)


@pytest.fixture
def report(trip, first_leg, seminar, enrollment):
    return report_services.report_for(trip, enrollment)


def test_the_header_is_filled_in_from_the_trip(report, enrollment, second_enrollment, staff):
    header = report_services.header(report)
    assert header["affiliation"] == "田川市 " + enrollment.department
    assert header["name"] == enrollment.trainee.display_name
    assert header["companions"] == [second_enrollment.trainee.display_name, staff.display_name]
    assert (header["start_date"], header["end_date"]) == ("2026-12-01", "2026-12-02")
    assert header["places"] == ["東京（乗継）"]
    assert header["purpose"] == "地域ワーカー向け説明会の開催"
    assert header["visits"] == ["地域のワーカーチーム"]
    # The schedule in time order: the morning flight, then the afternoon seminar.
    assert [item["what"] for item in header["schedule"]] == [
        "移動：福岡空港 → 羽田空港（JAL 304）",
        "初心者ワーカー向け説明会 箕輪町地域交流センター",
    ]


def test_only_the_trainee_writes(report, second_trainee, coordinator):
    for someone in (second_trainee, coordinator):
        with pytest.raises(TripRefused):
            report_services.save_report(report, TEXT, by=someone)


def test_submitting_needs_content_and_impressions_and_keeps_the_draft(report, trainee):
    with pytest.raises(TripRefused) as refused:
        report_services.submit(
            report, report_services.ReportText(content="書いた", impressions=""), by=trainee
        )
    assert refused.value.field == "impressions"
    report.refresh_from_db()
    assert report.status == "draft"
    assert report.content == ""  # the refused submission wrote nothing


def test_text_longer_than_the_limit_is_refused(report, trainee):
    with pytest.raises(TripRefused) as refused:
        report_services.save_report(
            report, report_services.ReportText(content="あ" * 4001), by=trainee
        )
    assert refused.value.field == "content"


def test_a_submitted_report_keeps_what_the_trip_was(report, trainee, trip, coordinator):
    report_services.submit(report, TEXT, by=trainee)
    leg_services.save_leg(
        trip, leg_plan("12-02 18:00", "12-02 19:45", service="FDA 245"), by=coordinator
    )
    report.refresh_from_db()
    assert report.status == "submitted" and report.submitted_at is not None
    assert len(report_services.header(report)["schedule"]) == 2
    # A second submission of the same text changes nothing but the frozen part.
    first = report.submitted_at
    report_services.submit(report, TEXT, by=trainee)
    report.refresh_from_db()
    assert report.submitted_at == first


def test_a_coordinator_acknowledges_and_the_report_is_locked(report, trainee, coordinator, staff):
    with pytest.raises(TripRefused):
        report_services.acknowledge(report, by=coordinator)  # not submitted yet
    report_services.submit(report, TEXT, by=trainee)
    with pytest.raises(TripRefused):
        report_services.acknowledge(report, by=staff)
    report_services.acknowledge(report, by=coordinator)
    report.refresh_from_db()
    assert (report.status, report.acknowledged_by) == ("acknowledged", coordinator)
    with pytest.raises(TripRefused):
        report_services.save_report(report, TEXT, by=trainee)


def test_readers_see_it_once_submitted(
    report, trainee, coordinator, staff, supervisor, other_supervisor, outsider, second_trainee
):
    def readers():
        return {
            who
            for who in (trainee, coordinator, staff, supervisor, other_supervisor, outsider)
            if TripReport.objects.visible_to(who).filter(pk=report.pk).exists()
        }

    assert readers() == {trainee}
    assert not TripReport.objects.visible_to(second_trainee).exists()
    report_services.submit(report, TEXT, by=trainee)
    assert readers() == {trainee, coordinator, staff, supervisor}


def test_a_submitted_report_is_changed_by_submitting_again_only(report, trainee):
    report_services.submit(report, TEXT, by=trainee)
    with pytest.raises(TripRefused):
        report_services.save_report(
            report, report_services.ReportText(content="途中のメモ", impressions="x"), by=trainee
        )
    report.refresh_from_db()
    assert report.content == TEXT.content
    report_services.submit(
        report, report_services.ReportText(content="書き直した内容", impressions="所感"), by=trainee
    )
    report.refresh_from_db()
    assert (report.status, report.content) == ("submitted", "書き直した内容")


def test_a_cancelled_trip_takes_no_report(report, trainee, trip):
    trip.status = "cancelled"
    trip.save()
    report.refresh_from_db()
    with pytest.raises(TripRefused):
        report_services.submit(report, TEXT, by=trainee)


def test_the_header_lists_only_the_seminars_the_trainee_took_part_in(
    report, seminar, coordinator, enrollment, second_enrollment
):
    from seminars.services import seminars as seminar_services

    seminar_services.set_roles(seminar, {enrollment.pk: None}, by=coordinator)
    header = report_services.header(report)
    assert [item["what"] for item in header["schedule"]] == ["移動：福岡空港 → 羽田空港（JAL 304）"]
    assert header["visits"] == []


def test_the_report_page_has_a_plain_title(client, report, trainee, coordinator, trip):
    import re

    report_services.submit(report, TEXT, by=trainee)
    client.force_login(coordinator)
    html = client.get(
        f"/programs/{trip.program.pk}/trips/{trip.pk}/reports/{report.pk}/"
    ).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<" not in title and trainee.display_name in title
    assert html.count("js/reflection.js") == 1  # the confirmation's script, once
