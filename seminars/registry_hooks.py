"""What seminars/ tells the core through its registry: where derived activities are
changed, the program page's link, and what is due for a trainee (a trip report)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs import access
from programs import cache as kenshu_cache
from programs.compiled import CompiledQuery
from programs.formats import period, show
from programs.registry import (
    ActivityOrigin,
    ChecklistItem,
    DueItem,
    NavLink,
    OwnWriting,
    PlaceholderPlanner,
    ProgramSection,
)

from .models import Trip, TripReport, TripReportStatus, TripStatus
from .reminders import due_date

ORIGINS = [
    ActivityOrigin(
        prefix="trip",
        label=gettext_lazy("Trip"),
        url=lambda program_id, pk: reverse("seminars:trip_detail", args=[program_id, pk]),
    ),
    ActivityOrigin(
        prefix="seminar",
        label=gettext_lazy("Seminar"),
        url=lambda program_id, pk: reverse("seminars:seminar_detail", args=[program_id, pk]),
    ),
]

# A template's trip and seminar slots (予定枠) are planned here: the forms take their dates,
# times and places.
PLANNERS = [
    PlaceholderPlanner(
        kind="trip",
        label=gettext_lazy("Plan a trip"),
        url=lambda program_id, pk: reverse("seminars:trip_new", args=[program_id]) + f"?from={pk}",
    ),
    PlaceholderPlanner(
        kind="seminar",
        label=gettext_lazy("Plan the seminar"),
        url=lambda program_id, pk: (
            reverse("seminars:seminar_new", args=[program_id]) + f"?from={pk}"
        ),
    ),
]


def program_sections(user, program):
    trips = Trip.objects.visible_to(user).filter(program=program).count()
    if trips or access.can_edit_program(user, program):
        yield ProgramSection(
            title=_("Trips and seminars"),
            url=reverse("seminars:trip_list", args=[program.pk]),
            detail=str(trips) if trips else "",
            order=30,
        )


def due_for(user, now):
    """The itinerary and the trip's page from the day before a trainee's trip until its
    last day; the trip report from its first day until submitted."""
    if not access.roles_of(user)["trainee"]:
        return  # the host's people and supervisors travel on no trip as trainees
    today = timezone.localdate(now)
    trips = (
        Trip.objects.filter(trainees__trainee=user, trainees__withdrawn_at__isnull=True)
        .exclude(status=TripStatus.CANCELLED)
        .exclude(program__status="draft")
        .filter(start_date__lte=today + timedelta(days=1), end_date__gte=today - timedelta(days=30))
        .select_related("program")
    )
    trips = list(trips)
    submitted = set(
        TripReport.objects.filter(enrollment__trainee=user, trip__in=trips)
        .exclude(status=TripReportStatus.DRAFT)
        .values_list("trip_id", flat=True)
    )
    for trip in trips:
        if trip.start_date <= today + timedelta(days=1) and today <= trip.end_date:
            yield DueItem(
                kind="itinerary",
                title=_("Itinerary: %(purpose)s") % {"purpose": trip.purpose},
                url=reverse("reports:itinerary_print", args=[trip.program_id, trip.pk]),
                state="info",
                # 明日出発 the day before, 出張中 from its first day to its last.
                state_label=_("Leaves tomorrow") if today < trip.start_date else _("On the trip"),
                detail=show(trip.start_date, "day")
                if trip.start_date == trip.end_date
                else period(trip.start_date, trip.end_date, "day"),
                order=20,
                offline=True,
            )
            yield DueItem(  # its page too, for the phone to keep (seminars, people, places)
                kind="trip",
                title=_("Trip: %(purpose)s") % {"purpose": trip.purpose},
                url=reverse("seminars:trip_detail", args=[trip.program_id, trip.pk]),
                state="info",
                detail=period(trip.start_date, trip.end_date),
                order=21,
                offline=True,
            )
        if trip.start_date <= today and trip.pk not in submitted:
            due = due_date(trip)
            yield DueItem(
                kind="trip_report",
                title=_("Trip report (復命書): %(purpose)s") % {"purpose": trip.purpose},
                url=reverse("seminars:trip_report_write", args=[trip.program_id, trip.pk]),
                state="late" if today > due else "due",
                detail=_("Due %(date)s") % {"date": show(due, "day")},
                order=40,
                offline=True,
            )


def trip_outside(program) -> str | None:
    """A program's new dates must keep its trips. A cancelled trip does not hold the program
    back: planned again, it must be put inside the program's dates then."""
    trip = (
        Trip.objects.filter(program=program)
        .exclude(status=TripStatus.CANCELLED)
        .exclude(start_date__gte=program.start_date, end_date__lte=program.end_date)
        .first()
    )
    if trip is None:
        return None
    return _(
        "The trip “%(purpose)s” (%(start)s–%(end)s) would lie outside the new dates. Move it first."
    ) % {
        "purpose": trip.purpose,
        "start": trip.start_date,
        "end": trip.end_date,
    }


# Read on every coordinator's home page: compiled once per connection (programs.compiled).
TRIP_REPORTS_WAITING = CompiledQuery(
    lambda hosts: (
        TripReport.objects.filter(
            trip__program__host_id__in=hosts, status=TripReportStatus.SUBMITTED
        )
        .order_by("submitted_at", "pk")
        .values_list("trip__program_id", "trip_id")
    )
)


def due_for_hosts(user, now):
    """For the host's coordinators: trip reports submitted and waiting to be acknowledged,
    linking to the trip of the oldest; counted once per change of any trip report."""
    coordinated = access.roles_of(user)["coordinated_ids"]
    if not coordinated:
        return
    waiting = kenshu_cache.cached_value(
        "trip-reports-waiting",
        lambda: TRIP_REPORTS_WAITING.rows(sorted(coordinated)),
        scopes=kenshu_cache.host_page_scopes(coordinated, "seminars"),
        parts=tuple(sorted(coordinated)),
    )
    if waiting:
        yield DueItem(
            kind="trip_reports",
            title=_("%(count)s trip reports (復命書) waiting to be acknowledged")
            % {"count": len(waiting)},
            url=reverse("seminars:trip_detail", args=list(waiting[0])),
            state="todo",
            order=15,
        )


RECENT_REPORT_DAYS = 14


def due_for_supervisors(user, now):
    """For a municipality's supervisor: their trainees' trip reports submitted in the last
    two weeks, newest first (at most five), each linking to the report."""
    if not access.roles_of(user)["supervisor"]:
        return
    since = now - timedelta(days=RECENT_REPORT_DAYS)
    recent = (
        TripReport.objects.visible_to(user)
        .exclude(status=TripReportStatus.DRAFT)
        .exclude(enrollment__trainee=user)
        .filter(submitted_at__gte=since)
        .select_related("trip", "enrollment__trainee")
        .order_by("-submitted_at")[:5]
    )
    for report in recent:
        yield DueItem(
            kind="trip_report_submitted",
            title=_("Trip report (復命書) of %(name)s: %(purpose)s")
            % {"name": report.enrollment.trainee.display_name, "purpose": report.trip.purpose},
            url=reverse(
                "seminars:trip_report_detail",
                args=[report.trip.program_id, report.trip_id, report.pk],
            ),
            state="unread",
            detail=_("Submitted %(date)s") % {"date": show(report.submitted_at, "day")},
            order=30,
        )


NAV = (
    NavLink(
        gettext_lazy("Travel rules"),
        "seminars:travel_rules",
        roles=("host", "supervisor"),
        order=90,
        current=(
            "seminars:travel_rules",
            "seminars:host_travel_rules",
            "seminars:municipality_travel_rules",
        ),
    ),
)


def filed_trip_reports(enrollment):
    """The trainee's own submitted 復命書 of this enrolment: their 所感 and 活用 start the
    研修報告書's draft."""
    reports = (
        TripReport.objects.filter(enrollment=enrollment)
        .exclude(status=TripReportStatus.DRAFT)
        .select_related("trip")
        .order_by("trip__start_date", "pk")
    )
    for report in reports:
        yield OwnWriting(
            title=_("Trip report (%(purpose)s)") % {"purpose": report.trip.purpose},
            impressions=report.impressions,
            application=report.application,
            on=report.trip.start_date,
        )


def publish_checklist(program, today):
    """Before a program is published: its trips planned (not cancelled), or a warning that
    none is, with the link to plan one."""
    trips = list(
        Trip.objects.filter(program=program)
        .exclude(status=TripStatus.CANCELLED)
        .order_by("start_date", "pk")
        .values("pk", "purpose", "start_date", "end_date")
    )
    if not trips:
        yield ChecklistItem(
            ok=False,
            text=_("No trip is planned yet."),
            url=reverse("seminars:trip_new", args=[program.pk]),
            action=_("Plan a trip"),
            order=40,
        )
        return
    for trip in trips:
        yield ChecklistItem(
            ok=True,
            text=_("Trip planned: %(purpose)s (%(dates)s).")
            % {"purpose": trip["purpose"], "dates": period(trip["start_date"], trip["end_date"])},
            url=reverse("seminars:trip_detail", args=[program.pk, trip["pk"]]),
            action=_("See the trip"),
            order=40,
        )
