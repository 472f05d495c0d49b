"""The trip's reminders: the itinerary the day before (from noon, with the trip as a
calendar file) to every traveller, once; the trip report on its due date to the trainees
who have not submitted it. A moved or cancelled trip's rows are not sent."""

from datetime import date, datetime, time

import icalendar
import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from programs.models import Notification
from programs.services import reminders as svc
from seminars.services import trips as trip_services

from .conftest import plan, save_trip_again, submit_report

pytestmark = pytest.mark.django_db


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def rows(kind):
    return list(Notification.objects.filter(kind=kind).order_by("recipient_id"))


def send_all(now):
    for ids in svc.due_batches(now):
        svc.send_batch(ids, now=now)


def test_the_itinerary_comes_the_day_before_with_the_calendar(
    trip, first_leg, seminar, trainee, second_trainee, staff
):
    eve = date(2026, 11, 30)
    svc.dispatch(at(eve, 11, 55))
    assert rows("trip_itinerary") == []
    svc.dispatch(at(eve, 12, 5))
    svc.dispatch(at(eve, 12, 10))  # a second tick adds nothing
    assert {r.recipient for r in rows("trip_itinerary")} == {trainee, second_trainee, staff}
    send_all(at(eve, 12, 10))
    message = next(m for m in mail.outbox if trainee.email in m.to)
    assert trip.purpose in message.subject
    assert (
        "07:00" in message.body
        and "福岡空港" in message.body
        and "伊那市内のホテル" in message.body
    )
    (name, content, mimetype) = message.attachments[0]
    assert (name, mimetype) == ("trip.ics", "text/calendar")
    events = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert sorted(str(e["summary"]) for e in events) == [
        "初心者ワーカー向け説明会",
        "移動：福岡空港 → 羽田空港（JAL 304）",
    ]


def test_a_moved_trip_is_not_announced_for_the_old_day(trip, first_leg, coordinator, people):
    eve = date(2026, 11, 30)
    svc.dispatch(at(eve, 12, 5))
    save_trip_again(
        trip, *people, start_date=date(2026, 12, 2), end_date=date(2026, 12, 3), by=coordinator
    )
    send_all(at(eve, 12, 10))
    assert mail.outbox == []
    assert {r.status for r in rows("trip_itinerary")} == {"skipped"}


@override_settings(KENSHU_TRIP_REPORT_DAYS=3)
def test_the_trip_report_reminder_on_its_due_date(trip, enrollment, trainee, second_trainee):
    due = date(2026, 12, 5)
    submit_report(trip, enrollment)
    svc.dispatch(at(date(2026, 12, 4), 10))
    assert rows("trip_report") == []
    svc.dispatch(at(due, 8, 55))
    assert rows("trip_report") == []
    svc.dispatch(at(due, 9, 5))
    assert [r.recipient for r in rows("trip_report")] == [second_trainee]
    send_all(at(due, 9, 5))
    (message,) = [m for m in mail.outbox if "復命書" in m.subject]
    assert message.to == [second_trainee.email]
    assert f"/trips/{trip.pk}/report/" in message.body


def test_finding_whos_due_reads_the_same_whatever_the_trips(
    trip, coordinator, host, enrollment, second_enrollment
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from seminars import reminders

    from ..factories import ProgramFactory, TraineeProfileFactory, UserFactory, enrol

    def reads():
        eve = at(date(2026, 11, 30), 12, 5)
        with CaptureQueriesContext(connection) as found:
            list(reminders.find_itinerary(eve))
        svc.dispatch(eve)
        rows_ = list(Notification.objects.filter(kind="trip_itinerary"))
        with CaptureQueriesContext(connection) as checked:
            reminders._itinerary_still_due(rows_, eve)
        return len(found), len(checked)

    first = reads()
    for i in range(4):
        other = ProgramFactory(host=host, title=f"研修{i}")
        people = [enrol(other, TraineeProfileFactory(user=UserFactory()).user) for _ in range(3)]
        trip_services.save_trip(other, plan(other, people), by=coordinator)
    assert reads() == first
