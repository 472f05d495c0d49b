"""What the trips list and the trip page print, shaped for their Jinja2 fragments: rows read
with `.values()` (no model instances, only the columns shown) and every cell a ready string
(dates, times, yen, labels, addresses), so the templates only loop and print. The access
decisions stay those of `seminars.access`: the views find the program and the trip in the
person's scope first; inside a trip known to be visible, its legs are read by the trip's id
and only what a non-host reader may see is scoped again (their trainees' rows, lines and
reports; the seminars they may see)."""

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR

from config.jinja2 import url_by_pk
from programs import access
from programs.models import Enrollment, User
from programs.prefectures import Prefecture

from . import access as trip_access
from .models import (
    Expense,
    ExpenseCategory,
    Leg,
    Mode,
    Payer,
    SeminarKind,
    Trip,
    TripReport,
    TripReportStatus,
    TripStatus,
)
from .services import trip_reports as report_services


class Formats:
    """The formats of the Django templates these pages had, computed once per request: the
    `date` filter's "D" is a translated weekday, and choice labels are translations."""

    def __init__(self):
        self.weekdays = [str(WEEKDAYS_ABBR[i]) for i in range(7)]
        self.tz = timezone.get_current_timezone()

    def month_day(self, day) -> str:
        """`date:"n/j (D)"`"""
        return f"{day.month}/{day.day} ({self.weekdays[day.weekday()]})"

    def full_date(self, day) -> str:
        """`date:"Y-m-d (D)"`"""
        return f"{day:%Y-%m-%d} ({self.weekdays[day.weekday()]})"

    def moment(self, value) -> str:
        """`date:"n/j H:i"` of an aware datetime, in the current time zone."""
        value = timezone.localtime(value, self.tz)
        return f"{value.month}/{value.day} {value:%H:%M}"


def labels(choices) -> dict:
    return {value: str(label) for value, label in choices.choices}


def yen(amount) -> str:
    return f"¥{amount:,}"


def seminar_when(fmt: Formats, s: dict) -> str:
    return f"{fmt.month_day(s['date'])} {s['start_time']:%H:%M}–{s['end_time']:%H:%M}"


SEMINAR_FIELDS = ("pk", "title", "date", "start_time", "end_time", "kind", "venue")


# The trips list -----------------------------------------------------------------------------


def trip_list_context(user, program) -> dict:
    """The program's trips, each with its destinations, and its local seminars: two
    queries (a union of the two measured slower here: the ORM builds it at more cost than
    the round trip it saves)."""
    fmt = Formats()
    statuses = labels(TripStatus)
    kinds = labels(SeminarKind)
    trip_url = url_by_pk("trip_detail", program.pk)
    seminar_url = url_by_pk("seminar_detail", program.pk)
    # One row per trip and destination, the destinations in their own order (by code).
    trips: dict[int, dict] = {}
    for pk, purpose, status, first, last, place in (
        trip_access.trips_for(user, program)
        .order_by("start_date", "pk", "municipalities__code")
        .values_list("pk", "purpose", "status", "start_date", "end_date", "municipalities__name")
    ):
        trip = trips.get(pk)
        if trip is None:
            trip = trips[pk] = {
                "url": trip_url(pk),
                "purpose": purpose,
                "status": status,
                "status_label": statuses[status],
                "dates": f"{fmt.month_day(first)} – {fmt.month_day(last)}",
                "places": "",
            }
        if place is not None:
            trip["places"] += ("、" if trip["places"] else " · ") + place
    local = [
        {
            "url": seminar_url(s["pk"]),
            "title": s["title"],
            "when": seminar_when(fmt, s),
            "kind": kinds[s["kind"]],
            "venue": s["venue"],
        }
        for s in trip_access.seminars_for(user, program)
        .filter(trip__isnull=True)
        .values(*SEMINAR_FIELDS)
    ]
    return {
        "program": program,
        "trips": list(trips.values()),
        "local_seminars": local,
        "can_edit": access.can_edit_program(user, program),
    }


# The trip page ------------------------------------------------------------------------------

TRIP_FIELDS = ("pk", "purpose", "start_date", "end_date", "places", "lodging", "status")


def find_trip(user, program, trip_pk: int):
    """(trip, destinations): the trip in the person's scope (None outside it), with its
    destinations named as `str(municipality)` does, in one query."""
    rows = list(
        trip_access.trips_for(user, program)
        .filter(pk=trip_pk)
        .order_by("municipalities__code")
        .values(*TRIP_FIELDS, "municipalities__name", "municipalities__prefecture")
    )
    if not rows:
        return None, []
    trip = Trip(program=program, **{name: rows[0][name] for name in TRIP_FIELDS})
    destinations = [
        f"{Prefecture(r['municipalities__prefecture']).label} {r['municipalities__name']}"
        for r in rows
        if r["municipalities__name"] is not None
    ]
    return trip, destinations


def _people(user, program, trip, is_host: bool) -> list[dict]:
    """Everyone on the trip as `services.trips.participants` lists them (trainees first, in
    the enrolments' order, then the host's staff), each trainee marked with whether this
    reader may see them (always for the host's people)."""
    trainees = Enrollment.objects.filter(trips=trip.pk)
    if not is_host:
        trainees = trainees.annotate(
            visible=Exists(
                Enrollment.objects.visible_to(user).filter(program=program, pk=OuterRef("pk"))
            )
        )
    people = [
        {
            "enrollment_id": e["pk"],
            "user_id": e["trainee_id"],
            "name": f"{e['trainee__family_name']} {e['trainee__given_name']}".strip()
            or e["trainee__email"],
            "affiliation": " ".join(filter(None, [e["municipality__name"], e["department"]])),
            "visible": is_host or e["visible"],
        }
        for e in trainees.values(
            "pk",
            "trainee_id",
            "trainee__family_name",
            "trainee__given_name",
            "trainee__email",
            "municipality__name",
            "department",
            *(() if is_host else ("visible",)),
        )
    ]
    host_name = program.host.name
    people += [
        {
            "enrollment_id": None,
            "user_id": u["pk"],
            "name": f"{u['family_name']} {u['given_name']}".strip() or u["email"],
            "affiliation": host_name,
            "visible": is_host,
        }
        for u in User.objects.filter(trips=trip.pk).values(
            "pk", "family_name", "given_name", "email"
        )
    ]
    return people


def trip_context(user, program, trip, destinations) -> dict:
    fmt = Formats()
    is_host = access.works_for_host(user, program)
    can_edit = access.can_edit_program(user, program)
    host_name = program.host.name
    people = _people(user, program, trip, is_host)
    mine = [p for p in people if p["user_id"] == user.pk]
    reports = TripReport.objects.filter(trip=trip.pk)
    if not is_host:
        reports = TripReport.objects.visible_to(user).filter(trip=trip.pk)
    statuses = labels(TripReportStatus)
    report_url = url_by_pk("trip_report_detail", program.pk, trip.pk)
    found = {
        r["enrollment_id"]: {
            "url": report_url(r["pk"]),
            "status": r["status"],
            "status_label": statuses[r["status"]],
            "submitted_at": fmt.moment(r["submitted_at"]) if r["submitted_at"] else "",
        }
        for r in reports.exclude(status=TripReportStatus.DRAFT).values(
            "pk", "enrollment_id", "status", "submitted_at"
        )
    }
    report_rows = [
        {"name": p["name"], "report": found.get(p["enrollment_id"])}
        for p in people
        if p["enrollment_id"] is not None and p["visible"] and p["user_id"] != user.pk
    ]
    lines = _lines(user, program, trip, is_host)
    return {
        "program": program,
        "trip": {
            "pk": trip.pk,
            "purpose": trip.purpose,
            "status": trip.status,
            "status_label": labels(TripStatus)[trip.status],
            "dates": f"{fmt.full_date(trip.start_date)} – {fmt.full_date(trip.end_date)}",
            "destinations": "、".join([*destinations, *trip.place_list]),
            "lodging": trip.lodging or "—",
        },
        "people": [p for p in people if p["visible"]],
        "legs": _legs(fmt, program, trip, can_edit),
        "seminars": _seminars(fmt, user, program, trip),
        **_expenses(lines, program, trip, host_name),
        "report_rows": report_rows,
        "can_edit": can_edit,
        "is_host": is_host,
        "my_enrollment": mine[0]["enrollment_id"] if mine else None,
        "can_write_report": report_services.can_write(trip),
    }


def _legs(fmt: Formats, program, trip, can_edit: bool) -> list[dict]:
    modes = labels(Mode)
    edit_url = url_by_pk("leg_edit", program.pk, trip.pk)
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
        for leg in Leg.objects.filter(trip=trip.pk).values(
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
    ]


def _seminars(fmt: Formats, user, program, trip) -> list[dict]:
    kinds = labels(SeminarKind)
    url = url_by_pk("seminar_detail", program.pk)
    return [
        {
            "url": url(s["pk"]),
            "title": s["title"],
            "note": " · ".join(
                filter(None, [seminar_when(fmt, s), kinds[s["kind"]], s["venue"], s["partner"]])
            ),
        }
        for s in trip_access.seminars_for(user, program)
        .filter(trip=trip.pk)
        .values(*SEMINAR_FIELDS, "partner")
    ]


LINE_FIELDS = (
    "pk",
    "enrollment_id",
    "staff_id",
    "category",
    "amount",
    "payer",
    "note",
    "enrollment__trainee__family_name",
    "enrollment__trainee__given_name",
    "enrollment__trainee__email",
    "enrollment__municipality_id",
    "enrollment__municipality__name",
    "enrollment__municipality__prefecture",
    "staff__family_name",
    "staff__given_name",
    "staff__email",
)


def _lines(user, program, trip, is_host: bool) -> list[dict]:
    """The trip's expense lines as `services.expenses.lines` orders them, each with its
    person's name; a reader outside the host sees the lines of the trainees they may see."""
    qs = Expense.objects.filter(trip=trip.pk).order_by(
        "enrollment__trainee__family_name_kana", "staff__family_name_kana", "leg", "pk"
    )
    if not is_host:
        qs = qs.filter(enrollment__in=Enrollment.objects.visible_to(user).filter(program=program))
    rows = list(qs.values(*LINE_FIELDS))
    for row in rows:
        if row["enrollment_id"]:
            row["person"] = (
                f"{row['enrollment__trainee__family_name']} "
                f"{row['enrollment__trainee__given_name']}".strip()
                or row["enrollment__trainee__email"]
            )
            row["municipality"] = row["enrollment__municipality__name"]
        else:
            row["person"] = (
                f"{row['staff__family_name']} {row['staff__given_name']}".strip()
                or row["staff__email"]
            )
            row["municipality"] = ""
    return rows


def _expenses(lines: list[dict], program, trip, host_name: str) -> dict:
    """The participant × category matrix, the lines, and the totals per payer and per
    paying municipality, as `services.expenses` (by_category, rows, totals) compute them."""
    categories = list(ExpenseCategory)
    column = {c.value: i for i, c in enumerate(categories)}
    category_labels = [str(c.label) for c in categories]
    edit_url = url_by_pk("expense_edit", program.pk, trip.pk)
    matrix: dict[tuple, dict] = {}
    per_payer: dict[tuple, list] = {}
    per_municipality: dict[int, list] = {}
    municipality_labels: dict[int, str] = {}
    shown = []
    total = 0
    for line in lines:
        amount = line["amount"]
        total += amount
        enrollment_id = line["enrollment_id"]
        key = ("e", enrollment_id) if enrollment_id else ("s", line["staff_id"])
        row = matrix.get(key)
        if row is None:
            row = matrix[key] = {
                "name": line["person"],
                "municipality": line["municipality"],
                "amounts": [0] * len(categories),
            }
        row["amounts"][column[line["category"]]] += amount
        host_pays = line["payer"] == Payer.HOST
        if host_pays:
            per_payer.setdefault(("host",), [host_name, 0])[1] += amount
        else:
            muni = line["enrollment__municipality_id"]
            label = municipality_labels.get(muni)
            if label is None:
                label = municipality_labels[muni] = (
                    f"{Prefecture(line['enrollment__municipality__prefecture']).label} "
                    f"{line['enrollment__municipality__name']}"
                )
            per_payer.setdefault(("m", muni), [label, 0])[1] += amount
            per_municipality.setdefault(muni, [label, 0])[1] += amount
        shown.append(
            {
                "edit_url": edit_url(line["pk"]),
                "person": line["person"],
                "municipality": line["municipality"],
                "category": category_labels[column[line["category"]]],
                "note": line["note"],
                "payer": host_name if host_pays else line["municipality"],
                "amount": yen(amount),
            }
        )
    ordered = sorted(matrix.values(), key=lambda row: (row["municipality"] == "", row["name"]))
    for row in ordered:
        row["total"] = yen(sum(row["amounts"]))
    columns = [sum(r["amounts"][i] for r in ordered) for i in range(len(categories))]
    for row in ordered:
        row["amounts"] = [yen(a) if a else "" for a in row["amounts"]]
    return {
        "lines": shown,
        "matrix": {
            "categories": category_labels,
            "rows": ordered,
            "column_totals": [yen(a) if a else "" for a in columns],
            "total": yen(total),
        },
        "per_payer": [(name, yen(a)) for name, a in sorted(tuple(v) for v in per_payer.values())],
        "per_municipality": [
            (name, yen(a)) for name, a in sorted(tuple(v) for v in per_municipality.values())
        ],
    }
