"""The trip's reminders, answered to the core's registry: the itinerary the day before the
trip (with the trip as a calendar file), and the trip report (復命書) on its due date."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.date_range import add_days
from programs.formats import show
from programs.models import Activity, Enrollment, Status, User
from programs.models.organisations import HOST_ROLES
from programs.registry import DueReminder, Reminder, ReminderMessage
from programs.services.calendar import to_ical

from .models import Seminar, Trip, TripReport, TripReportStatus, TripStatus

# The day before the trip, from noon: time to pack and to print.
EVE = time(12, 0)
MORNING = time(9, 0)


def _moment(day, clock) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


def _live_trips():
    """Trips that take place, with their travellers loaded in two queries."""
    return (
        Trip.objects.exclude(status=TripStatus.CANCELLED)
        .exclude(program__status=Status.DRAFT)
        .prefetch_related(
            Prefetch("trainees", queryset=Enrollment.objects.filter(withdrawn_at__isnull=True)),
            Prefetch(
                "staff",
                queryset=User.objects.filter(
                    is_active=True, memberships__role__in=HOST_ROLES
                ).distinct(),
            ),
        )
    )


def _travellers(trip: Trip) -> set[int]:
    """Trainees still enrolled, and staff still working for a host (from the prefetch)."""
    return {e.trainee_id for e in trip.trainees.all()} | {u.pk for u in trip.staff.all()}


# c. The itinerary, the day before ------------------------------------------------------------


def find_itinerary(now: datetime):
    local = timezone.localtime(now)
    if local.time() < EVE:
        return
    tomorrow = local.date() + timedelta(days=1)
    for trip in _live_trips().filter(start_date=tomorrow):
        for user_id in _travellers(trip):
            yield DueReminder(
                kind="trip_itinerary",
                key=f"trip_itinerary:{trip.pk}:{user_id}:{trip.start_date.isoformat()}",
                recipient_id=user_id,
                url=reverse("seminars:trip_detail", args=[trip.program_id, trip.pk]),
                due_at=_moment(local.date(), EVE),
                program_id=trip.program_id,
                context={"trip": trip.pk, "start": trip.start_date.isoformat()},
            )


def _itinerary_still_due(rows, now: datetime) -> set:
    """The trip still starts on the day the row was written for, is not cancelled, and the
    recipient still travels."""
    today = timezone.localdate(now)
    trips = {t.pk: t for t in _live_trips().filter(pk__in={r.context.get("trip") for r in rows})}
    due = set()
    for r in rows:
        trip = trips.get(r.context.get("trip"))
        if (
            trip is not None
            and trip.start_date.isoformat() == r.context.get("start")
            and trip.start_date > today
            and r.recipient_id in _travellers(trip)
        ):
            due.add(r.pk)
    return due


def trip_calendar(trip: Trip, user_id: int) -> bytes:
    """The trip's legs and seminars as an iCalendar file (the same events as the feeds): a
    trainee's seminars are those they take part in; the host's staff get them all."""
    seminars = Activity.objects.live().filter(
        origin__in=[s.origin for s in Seminar.objects.filter(trip=trip)]
    )
    if trip.trainees.filter(trainee=user_id).exists():
        seminars = seminars.filter(participants__trainee=user_id)
    activities = (
        Activity.objects.live()
        .filter(Q(origin=trip.origin) | Q(pk__in=seminars.values("pk")))
        .select_related("program", "facilitator")
        .order_by("date", "start_time")
    )
    return to_ical(trip.purpose, activities, for_trainee=True)


def message_itinerary(row) -> ReminderMessage:
    trip = Trip.objects.select_related("program").get(pk=row.context["trip"])
    first = trip.legs.first()
    lines = [
        _("Your trip starts tomorrow: %(purpose)s") % {"purpose": trip.purpose},
    ]
    if first is not None:
        depart = timezone.localtime(first.depart_at)
        lines.append(
            _("First leg: %(time)s from %(place)s %(service)s")
            % {
                "time": show(depart, "moment"),
                "place": first.origin_place,
                "service": first.service,
            }
        )
    if trip.lodging:
        lines.append(_("Lodging: %(lodging)s") % {"lodging": trip.lodging})
    lines.append(_("The trip is attached as a calendar file."))
    return ReminderMessage(
        subject=_("Itinerary for tomorrow: %(purpose)s") % {"purpose": trip.purpose},
        lines=(trip.program.title, *lines),
        action=_("Open the trip"),
        attachments=(("trip.ics", trip_calendar(trip, row.recipient_id), "text/calendar"),),
    )


# f. The trip report, on its due date ----------------------------------------------------------


def due_date(trip: Trip):
    return add_days(trip.end_date, settings.KENSHU_TRIP_REPORT_DAYS)  # never overflows


def find_trip_report(now: datetime):
    local = timezone.localtime(now)
    if local.time() < MORNING:
        return
    ended = local.date() - timedelta(days=settings.KENSHU_TRIP_REPORT_DAYS)
    trips = list(_live_trips().filter(end_date=ended))
    filed = set(
        TripReport.objects.filter(trip__in=trips)
        .exclude(status=TripReportStatus.DRAFT)
        .values_list("trip_id", "enrollment_id")
    )
    for trip in trips:
        for enrollment in trip.trainees.all():
            if (trip.pk, enrollment.pk) in filed:
                continue
            yield DueReminder(
                kind="trip_report",
                key=f"trip_report:{trip.pk}:{enrollment.trainee_id}:{local.date().isoformat()}",
                recipient_id=enrollment.trainee_id,
                url=reverse("seminars:trip_report_write", args=[trip.program_id, trip.pk]),
                due_at=_moment(local.date(), MORNING),
                program_id=trip.program_id,
                context={"trip": trip.pk, "enrollment": enrollment.pk},
            )


def _report_still_due(rows, now: datetime) -> set:
    trips = {t.pk: t for t in _live_trips().filter(pk__in={r.context.get("trip") for r in rows})}
    filed = set(
        TripReport.objects.filter(trip__in=trips.values())
        .exclude(status=TripReportStatus.DRAFT)
        .values_list("trip_id", "enrollment_id")
    )
    due = set()
    for r in rows:
        trip = trips.get(r.context.get("trip"))
        key = (r.context.get("trip"), r.context.get("enrollment"))
        if trip is not None and key not in filed and key[1] in {e.pk for e in trip.trainees.all()}:
            due.add(r.pk)
    return due


def message_trip_report(row) -> ReminderMessage:
    trip = Trip.objects.select_related("program").get(pk=row.context["trip"])
    return ReminderMessage(
        subject=_("Your trip report (復命書) is due today"),
        lines=(
            trip.program.title,
            _("Your trip report on “%(purpose)s” is due today.") % {"purpose": trip.purpose},
            _(
                "The trip's part is already filled in: write what you did, what you felt and how "
                "you will use it."
            ),
        ),
        action=_("Write the trip report"),
    )


REMINDERS = [
    Reminder(
        "trip_itinerary",
        gettext_lazy("The itinerary, the day before a trip (with a calendar file)"),
        find_itinerary,
        _itinerary_still_due,
        message_itinerary,
        audience="both",
    ),
    Reminder(
        "trip_report",
        gettext_lazy("The trip report (復命書), on its due date"),
        find_trip_report,
        _report_still_due,
        message_trip_report,
    ),
]
