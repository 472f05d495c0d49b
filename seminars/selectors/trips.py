"""The trips list and the trip page (its travellers, legs, seminars and reports; the sums of
its expenses come from `selectors.expenses`)."""

from django.db.models import Exists, OuterRef

from config.jinja2 import url_by_pk
from config.translated import choice_labels
from programs import access
from programs.compiled import CompiledQuery, run_together
from programs.formats import period
from programs.models import Enrollment, User

from .. import access as trip_access
from ..models import (
    Expense,
    Leg,
    Mode,
    Payer,
    Seminar,
    SeminarKind,
    Trip,
    TripReport,
    TripReportStatus,
    TripStatus,
)
from ..services import trip_reports as report_services
from . import contacts, expenses
from .common import SEMINAR_FIELDS, Formats, display_name, seminar_when, yen

# The trips list -----------------------------------------------------------------------------


def _trip_list_rows(trips):
    # One row per trip and destination, the destinations in their own order (by code).
    return trips.order_by("start_date", "pk", "municipalities__code").values_list(
        "pk", "purpose", "status", "start_date", "end_date", "municipalities__name"
    )


def _local_seminars(seminars):
    return seminars.filter(trip__isnull=True).values(*SEMINAR_FIELDS)


HOST_TRIP_LIST = CompiledQuery(
    lambda program: _trip_list_rows(Trip.objects.filter(program_id=program))
)
HOST_LOCAL_SEMINARS = CompiledQuery(
    lambda program: _local_seminars(Seminar.objects.filter(program_id=program))
)


def trip_list_context(user, program) -> dict:
    """The program's trips, each with its destinations, and its local seminars: two
    queries, compiled and sent together for the host's people (one round trip on
    PostgreSQL), scoped through the ORM for anyone else."""
    fmt = Formats()
    statuses = choice_labels(TripStatus)
    kinds = choice_labels(SeminarKind)
    trip_url = url_by_pk("seminars:trip_detail", program.pk)
    seminar_url = url_by_pk("seminars:seminar_detail", program.pk)
    if access.works_for_host(user, program):
        trip_rows, seminar_rows = run_together(
            [HOST_TRIP_LIST.later(program.pk), HOST_LOCAL_SEMINARS.later(program.pk, dicts=True)]
        )
    else:
        trip_rows = _trip_list_rows(trip_access.trips_for(user, program))
        seminar_rows = _local_seminars(trip_access.seminars_for(user, program))
    trips: dict[int, dict] = {}
    for pk, purpose, status, first, last, place in trip_rows:
        trip = trips.get(pk)
        if trip is None:
            trip = trips[pk] = {
                "url": trip_url(pk),
                "purpose": purpose,
                "status": status,
                "status_label": statuses[status],
                "dates": f"{fmt.month_day(first)}{fmt.period}{fmt.month_day(last)}",
                "places": "",
            }
        if place is not None:
            trip["places"] += ("、" if trip["places"] else fmt.sep) + place
    local = [
        {
            "url": seminar_url(s["pk"]),
            "title": s["title"],
            "when": seminar_when(fmt, s),
            "kind": kinds[s["kind"]],
            "venue": s["venue"],
        }
        for s in seminar_rows
    ]
    return {
        "program": program,
        "trips": list(trips.values()),
        "local_seminars": local,
        "can_edit": access.can_edit_program(user, program),
    }


# The trip page ------------------------------------------------------------------------------


PERSON_FIELDS = (
    "pk",
    "trainee_id",
    "trainee__family_name",
    "trainee__given_name",
    "trainee__email",
    "municipality__name",
    "municipality_id",
    "municipality__prefecture",
    "department",
)
STAFF_FIELDS = ("pk", "family_name", "given_name", "email")
TRIP_TRAINEES = CompiledQuery(
    lambda trip: Enrollment.objects.filter(trips=trip).values(*PERSON_FIELDS)
)
TRIP_STAFF = CompiledQuery(lambda trip: User.objects.filter(trips=trip).values(*STAFF_FIELDS))


def _rows(user, program, trip, is_host: bool) -> dict[str, list[dict]]:
    """What the trip page reads, as dicts: for the host's people, six compiled queries sent
    together (one round trip on PostgreSQL); for anyone else, the scoped querysets."""
    if is_host:
        names = ("trainees", "staff", "reports", "legs", "seminars", "lines")
        return dict(
            zip(
                names,
                run_together(
                    [
                        TRIP_TRAINEES.later(trip.pk, dicts=True),
                        TRIP_STAFF.later(trip.pk, dicts=True),
                        HOST_REPORTS.later(trip.pk, dicts=True),
                        TRIP_LEGS.later(trip.pk, dicts=True),
                        HOST_TRIP_SEMINARS.later(program.pk, trip.pk, dicts=True),
                        expenses.HOST_LINE_SUMS.later(trip.pk, dicts=True),
                    ]
                ),
                strict=True,
            )
        )
    mine = Enrollment.objects.visible_to(user).filter(program=program)
    return {
        "trainees": list(
            Enrollment.objects.filter(trips=trip.pk)
            .annotate(visible=Exists(mine.filter(pk=OuterRef("pk"))))
            .values(*PERSON_FIELDS, "visible")
        ),
        "staff": TRIP_STAFF.dicts(trip.pk),
        "reports": list(_reports(TripReport.objects.visible_to(user).filter(trip=trip.pk))),
        "legs": TRIP_LEGS.dicts(trip.pk),
        "seminars": list(
            trip_access.seminars_for(user, program)
            .filter(trip=trip.pk)
            .values(*SEMINAR_FIELDS, "partner")
        ),
        "lines": list(
            expenses.line_sums(Expense.objects.filter(trip=trip.pk, enrollment__in=mine))
        ),
    }


def _people(rows: dict, program, is_host: bool) -> list[dict]:
    """Everyone on the trip as `services.trips.participants` lists them (trainees first, in
    the enrolments' order, then the host's staff), each trainee marked with whether this
    reader may see them (always for the host's people)."""
    people = [
        {
            "enrollment_id": e["pk"],
            "user_id": e["trainee_id"],
            "name": display_name(
                e["trainee__family_name"], e["trainee__given_name"], e["trainee__email"]
            ),
            "affiliation": " ".join(filter(None, [e["municipality__name"], e["department"]])),
            "visible": is_host or e["visible"],
        }
        for e in rows["trainees"]
    ]
    host_name = program.host.name
    people += [
        {
            "enrollment_id": None,
            "user_id": u["pk"],
            "name": display_name(u["family_name"], u["given_name"], u["email"]),
            "affiliation": host_name,
            "visible": is_host,
        }
        for u in rows["staff"]
    ]
    return people


def _reports(reports):
    return reports.exclude(status=TripReportStatus.DRAFT).values(
        "pk", "enrollment_id", "status", "submitted_at"
    )


HOST_REPORTS = CompiledQuery(lambda trip: _reports(TripReport.objects.filter(trip=trip)))


def trip_context(user, program, trip, destinations) -> dict:
    fmt = Formats()
    is_host = access.works_for_host(user, program)
    can_edit = access.can_edit_program(user, program)
    rows = _rows(user, program, trip, is_host)
    people = _people(rows, program, is_host)
    mine = [p for p in people if p["user_id"] == user.pk]
    statuses = choice_labels(TripReportStatus)
    report_url = url_by_pk("seminars:trip_report_detail", program.pk, trip.pk)
    found = {
        r["enrollment_id"]: {
            "url": report_url(r["pk"]),
            "status": r["status"],
            "status_label": statuses[r["status"]],
            "submitted_at": fmt.moment(r["submitted_at"]) if r["submitted_at"] else "",
        }
        for r in rows["reports"]
    }
    report_rows = [
        {"name": p["name"], "report": found.get(p["enrollment_id"])}
        for p in people
        if p["enrollment_id"] is not None and p["visible"] and p["user_id"] != user.pk
    ]
    sums = expenses.trip_sums(user, program, trip, rows, is_host)
    travellers = [p["user_id"] for p in people]
    sees_numbers = trip_access.sees_trip_numbers(user, is_host=is_host, traveller_ids=travellers)
    return {
        "program": program,
        "trip": {
            "pk": trip.pk,
            "purpose": trip.purpose,
            "status": trip.status,
            "status_label": choice_labels(TripStatus)[trip.status],
            "dates": period(trip.start_date, trip.end_date, "day_long"),
            "destinations": "、".join([*destinations, *trip.place_list]),
            "lodging": trip.lodging or "—",
            "lodging_cost": "—" if trip.lodging_cost is None else yen(trip.lodging_cost),
            "trainees_paid_by": choice_labels(Payer)[trip.trainees_paid_by],
        },
        "people": [p for p in people if p["visible"]],
        "contacts": contacts.trip_contacts(program, trip, [u["pk"] for u in rows["staff"]])
        if sees_numbers
        else [],
        "legs": _legs(fmt, rows["legs"], program, trip, can_edit),
        "seminars": _seminars(fmt, rows["seminars"], program),
        **sums,
        "report_rows": report_rows,
        "can_edit": can_edit,
        "is_host": is_host,
        "my_enrollment": mine[0]["enrollment_id"] if mine else None,
        "can_write_report": report_services.can_write(trip),
    }


LEG_FIELDS = (
    "pk",
    "mode",
    "origin_place",
    "destination",
    "depart_at",
    "arrive_at",
    "service",
    "fare",
    "notes",
)
TRIP_LEGS = CompiledQuery(lambda trip: Leg.objects.filter(trip=trip).values(*LEG_FIELDS))


def _legs(fmt: Formats, legs: list[dict], program, trip, can_edit: bool) -> list[dict]:
    """The legs, the same for every reader of a trip they may see."""
    modes = choice_labels(Mode)
    edit_url = url_by_pk("seminars:leg_edit", program.pk, trip.pk)
    return [
        {
            "depart": fmt.moment(leg["depart_at"]),
            "arrive": fmt.moment(leg["arrive_at"]),
            "route": f"{leg['origin_place']} → {leg['destination']}",
            "url": edit_url(leg["pk"]) if can_edit else "",
            "notes": leg["notes"],
            "mode": f"{modes[leg['mode']]} {leg['service']}"
            if leg["service"]
            else modes[leg["mode"]],
            "fare": yen(leg["fare"]),
        }
        for leg in legs
    ]


HOST_TRIP_SEMINARS = CompiledQuery(
    lambda program, trip: Seminar.objects.filter(program_id=program, trip=trip).values(
        *SEMINAR_FIELDS, "partner"
    )
)


def _seminars(fmt: Formats, seminars: list[dict], program) -> list[dict]:
    kinds = choice_labels(SeminarKind)
    url = url_by_pk("seminars:seminar_detail", program.pk)
    return [
        {
            "url": url(s["pk"]),
            "title": s["title"],
            "note": fmt.sep.join(
                filter(None, [seminar_when(fmt, s), kinds[s["kind"]], s["venue"], s["partner"]])
            ),
        }
        for s in seminars
    ]
