from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from django.urls import reverse

from programs.models import CalendarFeed
from programs.services import calendar as calendar_services
from programs.services import week as week_services

from ..factories import add_activity, enrol

pytestmark = pytest.mark.django_db
MON = date(2026, 11, 30)
TOKYO = ZoneInfo("Asia/Tokyo")


def feed_url(user, program=None):
    return reverse(
        "programs:calendar_feed",
        args=[calendar_services.get_or_create_feed(user, program=program).token],
    )


def events(body: bytes) -> dict:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_trainee_feed_parses_with_two_independent_parsers(client, program, trainee, staff):
    enrol(program, trainee)
    add_activity(program, MON, "09:30", "10:00", "オリエンテーション", facilitator=staff)
    response = client.get(feed_url(trainee))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    parsed = icalendar.Calendar.from_ical(body)
    assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    event = events(body)["オリエンテーション"]
    assert event.decoded("DTSTART") == datetime(2026, 11, 30, 9, 30, tzinfo=TOKYO)
    assert b"DTSTART;TZID=Asia/Tokyo:20261130T093000" in body
    second = vobject.readOne(body.decode())
    vevent = second.vevent
    assert vevent.summary.value == "オリエンテーション"
    assert vevent.dtstart.value.utcoffset().total_seconds() == 9 * 3600
    assert vevent.uid.value == str(event["UID"])


def test_changes_keep_the_uid_and_advance_sequence(client, program, trainee, coordinator):
    enrol(program, trainee)
    activity = add_activity(program, MON, "10:00", "11:00", "面談")
    before = events(client.get(feed_url(trainee)).content)["面談"]
    slot = week_services.Slot(
        date=MON, start_time=time(14, 0), end_time=time(15, 0), title="面談", kind="work"
    )
    week_services.save_activity(program, slot, by=coordinator, activity=activity)
    after = events(client.get(feed_url(trainee)).content)["面談"]
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after.decoded("LAST-MODIFIED") >= before.decoded("LAST-MODIFIED")
    week_services.cancel_activity(activity, by=coordinator)
    cancelled = events(client.get(feed_url(trainee)).content)["面談"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled["SEQUENCE"] > after["SEQUENCE"]


def test_only_the_trainees_own_activities(client, program, trainee, other_trainee, other_program):
    enrol(program, trainee)
    add_activity(program, MON, "10:00", "11:00", "田川の活動")
    enrol(other_program, other_trainee)
    add_activity(other_program, MON, "10:00", "11:00", "北見の活動")
    assert set(events(client.get(feed_url(trainee)).content)) == {"田川の活動"}


def test_regenerating_kills_the_old_address(client, trainee, program):
    enrol(program, trainee)
    old = feed_url(trainee)
    client.force_login(trainee)
    feed = CalendarFeed.objects.get(user=trainee)
    client.post(reverse("programs:calendar_feed_regenerate", args=[feed.pk]))
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(feed_url(trainee)).status_code == 200


def test_someone_elses_feed_cannot_be_regenerated(client, trainee, other_trainee):
    feed = calendar_services.get_or_create_feed(trainee)
    client.force_login(other_trainee)
    assert (
        client.post(reverse("programs:calendar_feed_regenerate", args=[feed.pk])).status_code == 404
    )


def test_program_feed_stops_when_the_owner_loses_access(client, program, staff):
    add_activity(program, MON, "10:00", "11:00", "活動")
    url = feed_url(staff, program)
    assert "活動" in events(client.get(url).content)
    staff.memberships.all().delete()
    assert client.get(url).status_code == 404


def test_one_activity_download_is_scoped(client, program, trainee, outsider, other_trainee):
    enrol(program, trainee)
    activity = add_activity(program, MON, "10:00", "11:00", "説明会")
    client.force_login(trainee)
    response = client.get(reverse("programs:activity_ics", args=[activity.pk]))
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert "説明会" in events(response.content)
    for user in (outsider, other_trainee):
        client.force_login(user)
        assert client.get(reverse("programs:activity_ics", args=[activity.pk])).status_code == 404


def test_trainee_feed_links_to_the_trainees_own_week(client, program, trainee):
    enrol(program, trainee)
    add_activity(program, MON, "10:00", "11:00", "説明会")
    event = events(client.get(feed_url(trainee)).content)["説明会"]
    assert str(event["URL"]).endswith("/my/week/?week=2026-11-30")


def test_withdrawal_sends_the_trainees_events_as_cancelled(client, program, trainee):
    from programs.services.programs import withdraw

    enrollment = enrol(program, trainee)
    add_activity(program, MON, "10:00", "11:00", "説明会")
    before = events(client.get(feed_url(trainee)).content)["説明会"]
    withdraw(enrollment, by=None)
    after = events(client.get(feed_url(trainee)).content)["説明会"]
    assert str(after["STATUS"]) == "CANCELLED"
    assert after["UID"] == before["UID"] and after["SEQUENCE"] > before["SEQUENCE"]


def test_a_draft_programs_activities_stay_with_the_host(client, host, trainee):
    """Neither the trainee's week nor their calendar feed shows a program still in draft."""
    from ..factories import ProgramFactory, add_activity, enrol

    draft = ProgramFactory(host=host, status="draft", title="下書きの研修")
    enrol(draft, trainee)
    add_activity(draft, draft.start_date, "10:00", "11:00", "まだ秘密の活動")
    client.force_login(trainee)
    week = reverse("programs:trainee_week") + f"?week={draft.start_date.isoformat()}"
    assert "まだ秘密の活動" not in client.get(week).content.decode()
    assert "まだ秘密の活動" not in client.get(feed_url(trainee)).content.decode()
    draft.status = "published"
    draft.save()
    assert "まだ秘密の活動" in client.get(week).content.decode()


WRITES = ("INSERT", "UPDATE", "DELETE")


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_the_feeds_page_makes_no_address_on_a_get(client, program, trainee, staff):
    """Opening the page writes nothing: each address is made by the POST of its button."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    enrol(program, trainee)
    for user, asked in ((trainee, ""), (staff, str(program.pk))):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("programs:calendar_feeds"))
        assert page.status_code == 200
        assert _writes(queries.captured_queries) == []
        assert not CalendarFeed.objects.filter(user=user).exists()
        assert 'class="feed-url"' not in page.content.decode()
        assert f'name="program" value="{asked}"' in page.content.decode()
        made = client.post(reverse("programs:calendar_feeds"), {"program": asked})
        assert made.status_code == 302
        feed = CalendarFeed.objects.get(user=user)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("programs:calendar_feeds")).content.decode()
        assert _writes(queries.captured_queries) == []
        assert f'id="feed-url-{feed.pk}" value="http://testserver/feeds/{feed.token}.ics"' in page
        client.post(reverse("programs:calendar_feeds"), {"program": asked})
        assert CalendarFeed.objects.filter(user=user).count() == 1


def test_no_address_is_made_for_a_calendar_outside_the_persons_scope(
    client, program, other_program, staff, outsider
):
    client.force_login(staff)
    for asked in ("", str(other_program.pk), "x", "0"):
        assert (
            client.post(reverse("programs:calendar_feeds"), {"program": asked}).status_code == 404
        )
    assert not CalendarFeed.objects.exists()
