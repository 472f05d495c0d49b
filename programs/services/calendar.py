"""iCalendar (RFC 5545) feeds: a trainee's activities, a program's activities, one activity.

Stable UIDs (the activity's UUID) make calendar apps update events instead of adding copies;
SEQUENCE and LAST-MODIFIED advance on every change; a deleted activity is sent with
STATUS:CANCELLED. Times carry TZID=Asia/Tokyo with its VTIMEZONE."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from ..models import Activity, ActivityKind, CalendarFeed, Program, User
from .activity_log import record_activity

TOKYO = ZoneInfo("Asia/Tokyo")
KIND_LABELS = dict(ActivityKind.choices)
# Cancelled activities stay in feeds this long, so subscribers see the cancellation.
CANCELLED_KEPT = timedelta(days=60)


def _event(activity: Activity, *, for_trainee: bool = False, gone: bool = False) -> Event:
    """`gone`: the activity still exists but no longer concerns this calendar's owner (they
    withdrew): it is sent as cancelled, one sequence later, so their calendar removes it."""
    event = Event()
    event.add("uid", f"{activity.uid}@kenshu")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", datetime.combine(activity.date, activity.start_time, tzinfo=TOKYO))
    event.add("dtend", datetime.combine(activity.date, activity.end_time, tzinfo=TOKYO))
    event.add("summary", activity.title)
    if activity.place:
        event.add("location", activity.place)
    lines = [activity.program.title, str(KIND_LABELS.get(activity.kind, activity.kind))]
    if activity.facilitator_id:
        lines.append(activity.facilitator.display_name)
    if activity.notes:
        lines.append(activity.notes)
    event.add("description", "\n".join(lines))
    event.add("sequence", activity.sequence + (1 if gone else 0))
    event.add("last-modified", activity.updated_at)
    event.add("created", activity.created_at)
    event.add("status", "CANCELLED" if activity.cancelled_at or gone else "CONFIRMED")
    page = (
        reverse("programs:trainee_week") + f"?week={activity.date:%Y-%m-%d}"
        if for_trainee
        else reverse("programs:week_grid", args=[activity.program_id])
    )
    event.add("url", settings.KENSHU_BASE_URL.rstrip("/") + page)
    return event


def to_ical(name: str, activities, *, for_trainee: bool = False, gone=()) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Kenshu//Kenshu//JA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    for activity in activities:
        calendar.add_component(_event(activity, for_trainee=for_trainee, gone=activity in gone))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _feed_activities(qs):
    recent = timezone.now() - CANCELLED_KEPT
    return (
        # A placeholder (予定枠) is never an event: it is not planned yet.
        qs.filter(placeholder=False)
        .filter(Q(cancelled_at__isnull=True) | Q(cancelled_at__gte=recent))
        .select_related("program", "facilitator")
        .order_by("date", "start_time")
    )


def trainee_activities(user: User):
    return _feed_activities(Activity.objects.of_trainee(user))


def withdrawn_activities(user: User):
    """Activities of the programs the trainee recently withdrew from (and is not in again)."""
    recent = timezone.now() - CANCELLED_KEPT
    return _feed_activities(Activity.objects.of_trainee(user, withdrawn_since=recent))


def program_activities(program: Program):
    return _feed_activities(Activity.objects.filter(program=program))


def feed_body(feed: CalendarFeed) -> tuple[str, bytes]:
    if feed.kind == CalendarFeed.Kind.TRAINEE:
        name = f"Kenshu — {feed.user.display_name}"
        current = list(trainee_activities(feed.user))
        gone = [a for a in withdrawn_activities(feed.user) if a not in set(current)]
        return name, to_ical(name, current + gone, for_trainee=True, gone=set(gone))
    name = f"Kenshu — {feed.program.title}"
    return name, to_ical(name, program_activities(feed.program))


def get_or_create_feed(user: User, *, program: Program | None = None) -> CalendarFeed:
    kind = CalendarFeed.Kind.PROGRAM if program else CalendarFeed.Kind.TRAINEE
    feed = CalendarFeed.objects.filter(user=user, kind=kind, program=program).first()
    if feed:
        return feed
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(
                user=user, kind=kind, program=program, token=CalendarFeed.new_token()
            )
    except IntegrityError:
        return CalendarFeed.objects.get(user=user, kind=kind, program=program)


def regenerate(feed: CalendarFeed, *, by: User, ip: str | None = None) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed.token = CalendarFeed.new_token()
    feed.save(update_fields=["token"])
    record_activity(
        by,
        "calendar_feed.regenerated",
        feed,
        ip=ip,
        host_company=feed.program.host if feed.program_id else None,
    )
    return feed
