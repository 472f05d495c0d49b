"""The 復命書 saved as it is typed, as a daily reflection is: the page's automatic save answers
JSON, applies each change of a page once, keeps a draft that another device replaced without
having seen it, and is refused once the report is submitted; only the trainee on the trip
saves (everyone else 404, anonymous to the login page)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.models import ActivityLog
from seminars.models import TripReport, TripReportDraft
from seminars.services import trip_reports as report_services

from .conftest import leg_plan

pytestmark = pytest.mark.django_db

TEXT = {"content": "説明会の受付を担当した。", "impressions": "住民の声の近さに驚いた。"}


@pytest.fixture(autouse=True)
def trip_day(monkeypatch):
    """Today is the trip's first day (the report opens then), whatever the real date."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return date(2026, 12, 1) if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


def urls(trip):
    args = [trip.program_id, trip.pk]
    return (
        reverse("seminars:trip_report_write", args=args),
        reverse("seminars:trip_report_autosave", args=args),
    )


def autosave(client, trip, data, *, seq, client_id="page-1", base=""):
    return client.post(
        urls(trip)[1],
        data | {"client_id": client_id, "client_seq": seq, "base_revision": base},
        headers={"X-Kenshu-Autosave": "1"},
    )


def test_the_page_saves_as_typed_with_a_counter_on_each_text(client, trip, trainee, enrollment):
    client.force_login(trainee)
    html = client.get(urls(trip)[0]).content.decode()
    assert "data-autosave-form" in html
    assert f'data-autosave-url="{urls(trip)[1]}"' in html
    assert 'id="save-status"' in html and "入力すると自動で保存されます" in html
    assert 'name="client_id"' in html and 'name="base_revision"' in html
    for name in ("content", "impressions", "application"):
        assert f'data-counter-for="id_{name}">0 / 4000' in html
        assert f'name="{name}" id="id_{name}" rows=' in html
    assert "js/reflection.js" in html
    assert not TripReport.objects.exists()  # the GET wrote nothing


def test_a_save_is_applied_once_and_answers_as_the_reflections(client, trip, trainee, enrollment):
    client.force_login(trainee)
    first = autosave(client, trip, TEXT, seq=1, base=0)
    assert first.status_code == 200
    body = first.json()
    assert body["ok"] and body["applied"] and body["revision"] == 1 and body["client_seq"] == 1
    assert "保存しました" in body["message"]
    report = TripReport.objects.get()
    assert (report.content, report.status, report.revision) == (TEXT["content"], "draft", 1)
    # The same save again, or an older one of the same page arriving late: nothing changes.
    again = autosave(client, trip, TEXT, seq=1, base=0)
    late = autosave(client, trip, {**TEXT, "content": "古い文"}, seq=1, base=0)
    assert again.json()["applied"] is False and late.json()["applied"] is False
    report.refresh_from_db()
    assert (report.content, report.revision) == (TEXT["content"], 1)
    # The next change of the page raises the revision once; the same text again does not.
    autosave(client, trip, {**TEXT, "application": "庁内で試す。"}, seq=2, base=1)
    autosave(client, trip, {**TEXT, "application": "庁内で試す。"}, seq=3, base=2)
    report.refresh_from_db()
    assert (report.application, report.revision, report.client_seq) == ("庁内で試す。", 2, 3)
    assert not TripReportDraft.objects.exists()


def test_a_save_from_another_device_that_had_not_seen_the_text_keeps_it(
    client, trip, trainee, enrollment
):
    client.force_login(trainee)
    autosave(client, trip, TEXT, seq=1, base=0)
    # The phone, offline since it opened revision 0, comes back with its own text.
    other = autosave(client, trip, {"content": "電車で書いた文"}, seq=4, client_id="phone", base=0)
    assert other.json()["revision"] == 2
    kept = TripReportDraft.objects.get()
    assert kept.content == {**TEXT, "application": ""} and kept.revision == 1
    assert TripReport.objects.get().content == "電車で書いた文"
    # The author sees the replaced draft on the page.
    html = client.get(urls(trip)[0]).content.decode()
    assert "別の端末からの保存で置き換えられた下書き" in html and TEXT["impressions"] in html
    # A save based on the revision it saw keeps nothing more.
    autosave(client, trip, {"content": "続き"}, seq=5, client_id="phone", base=2)
    autosave(client, trip, {"content": "机で"}, seq=1, client_id="desk", base=3)
    assert TripReportDraft.objects.count() == 1


def test_a_refused_save_says_where_and_keeps_what_was_saved(client, trip, trainee, enrollment):
    client.force_login(trainee)
    autosave(client, trip, TEXT, seq=1)
    too_long = autosave(client, trip, {**TEXT, "impressions": "あ" * 4001}, seq=2)
    assert too_long.status_code == 400
    assert too_long.json()["code"] == "invalid" and "impressions" in too_long.json()["errors"]
    assert TripReport.objects.get().impressions == TEXT["impressions"]


def test_a_submitted_report_is_locked_for_the_automatic_save(client, trip, trainee, enrollment):
    client.force_login(trainee)
    autosave(client, trip, TEXT, seq=1)
    response = client.post(urls(trip)[0], TEXT | {"submit": "1"})
    assert response.status_code == 302
    report = TripReport.objects.get()
    assert report.status == "submitted"
    late = autosave(client, trip, {**TEXT, "content": "提出後の入力"}, seq=9, client_id="z")
    assert late.status_code == 409 and late.json()["code"] == "locked"
    report.refresh_from_db()
    assert report.content == TEXT["content"]
    # The page of a submitted report is a plain form: changes are submitted again.
    html = client.get(urls(trip)[0]).content.decode()
    assert "data-autosave-form" not in html and 'data-counter-for="id_content"' in html


def test_a_closed_trip_refuses_the_automatic_save(client, trip, trainee, enrollment):
    client.force_login(trainee)
    autosave(client, trip, TEXT, seq=1)
    trip.status = "cancelled"
    trip.save(update_fields=["status"])
    response = autosave(client, trip, {**TEXT, "content": "後から"}, seq=2)
    assert response.status_code == 409
    assert TripReport.objects.get().content == TEXT["content"]


def test_only_the_trainee_on_the_trip_saves(
    client,
    trip,
    trainee,
    enrollment,
    second_trainee,
    second_enrollment,
    coordinator,
    staff,
    supervisor,
    outsider,
    other_trainee,
    other_supervisor,
):
    # Anonymous: to the login page, nothing written.
    response = autosave(client, trip, TEXT, seq=1)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(trainee)
    autosave(client, trip, TEXT, seq=1)
    # The other trainee on the trip saves their own report, never this one.
    client.force_login(second_trainee)
    assert autosave(client, trip, {"content": "自分の復命書"}, seq=1).status_code == 200
    # Everyone else: 404, the host's people and the municipality's contact included (they
    # read a filed report; they never write one).
    for person in (
        coordinator,
        staff,
        supervisor,
        outsider,
        other_trainee,
        other_supervisor,
    ):
        client.force_login(person)
        answer = autosave(client, trip, {"content": "他人の文"}, seq=7, client_id=person.email)
        assert answer.status_code == 404, person.email
    assert set(TripReport.objects.values_list("enrollment", "content")) == {
        (enrollment.pk, TEXT["content"]),
        (second_enrollment.pk, "自分の復命書"),
    }


def test_typing_writes_no_activity_and_the_submission_one(client, trip, trainee, enrollment):
    client.force_login(trainee)
    for seq in range(1, 4):
        autosave(client, trip, {**TEXT, "content": "あ" * seq}, seq=seq)
    assert not ActivityLog.objects.filter(action__startswith="trip_report").exists()
    report = TripReport.objects.get()
    report_services.submit(
        report, report_services.ReportText(**TEXT), by=trainee, client_id="page-1", client_seq=4
    )
    assert ActivityLog.objects.filter(action="trip_report.submitted").count() == 1


def test_the_write_page_runs_the_same_queries_whatever_the_length_of_the_trip(
    client, trip, trainee, enrollment, coordinator
):
    from django.core.cache import cache

    client.force_login(trainee)
    autosave(client, trip, TEXT, seq=1)
    autosave(client, trip, {"content": "別"}, seq=1, client_id="phone", base=0)

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(urls(trip)[0]).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for hour in range(9, 15):
        from seminars.services import legs as leg_services

        leg_services.save_leg(
            trip, leg_plan(f"12-02 {hour:02}:00", f"12-02 {hour:02}:30"), by=coordinator
        )
    for n in range(3):
        autosave(client, trip, {"content": f"置き換え{n}"}, seq=1, client_id=f"d{n}", base=0)
    assert TripReportDraft.objects.count() == 4
    assert count() == before
