"""What the trips list and the trip page print, shaped for their Jinja2 fragments: rows read
with `.values()` (no model instances, only the columns shown) and every cell a ready string
(dates, times, yen, labels, addresses), so the templates only loop and print. The access
decisions stay those of `seminars.access`: the views find the program and the trip in the
person's scope first; inside a trip known to be visible, its legs are read by the trip's id
and only what a non-host reader may see is scoped again (their trainees' rows, lines and
reports; the seminars they may see). For the host's people, who read these pages most, each
query is compiled once per connection (`programs.compiled`): building them cost more than
running them."""

from django.db.models import Count, Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR

from config.jinja2 import url_by_pk
from config.translated import choice_labels
from programs import access
from programs.compiled import CompiledQuery, run_together
from programs.models import Enrollment, User
from programs.prefectures import Prefecture

from . import access as trip_access
from .models import (
    Expense,
    ExpenseCategory,
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


def display_name(family_name: str, given_name: str, email: str) -> str:
    """`User.display_name` from the three columns of a `.values()` row."""
    return f"{family_name} {given_name}".strip() or email


def yen(amount) -> str:
    return f"¥{amount:,}"


def seminar_when(fmt: Formats, s: dict) -> str:
    return f"{fmt.month_day(s['date'])} {s['start_time']:%H:%M}–{s['end_time']:%H:%M}"


SEMINAR_FIELDS = ("pk", "title", "date", "start_time", "end_time", "kind", "venue")


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
        for s in seminar_rows
    ]
    return {
        "program": program,
        "trips": list(trips.values()),
        "local_seminars": local,
        "can_edit": access.can_edit_program(user, program),
    }


# The trip page ------------------------------------------------------------------------------

TRIP_FIELDS = ("pk", "purpose", "start_date", "end_date", "places", "lodging", "status")


def _trip_rows(trips):
    return trips.order_by("municipalities__code").values(
        *TRIP_FIELDS, "municipalities__name", "municipalities__prefecture"
    )


HOST_TRIP = CompiledQuery(
    lambda program, trip: _trip_rows(Trip.objects.filter(program_id=program, pk=trip))
)


def program_and_trip(user, pk: int, trip_pk: int):
    """(program, trip, destinations) for the trip page, 404 outside the person's scope. For
    the host's people the program and the trip are asked for together (one round trip on
    PostgreSQL), and the trip kept only if the program is one of their hosts'; anyone else,
    and anyone the guess was wrong for, goes the ordinary way."""
    if access.roles_of(user)["host_ids"]:
        program_rows, trip_rows = run_together(
            [access.PROGRAM_WITH_HOST.later(pk), HOST_TRIP.later(pk, trip_pk, dicts=True)]
        )
        program = access.program_from_rows(program_rows)
        if program is not None and access.works_for_host(user, program):
            return (program, *_trip_from_rows(program, trip_rows))
    program = access.get_program_for_user(user, pk)
    return (program, *find_trip(user, program, trip_pk))


def find_trip(user, program, trip_pk: int):
    """(trip, destinations): the trip in the person's scope (None outside it), with its
    destinations named as `str(municipality)` does, in one query."""
    if access.works_for_host(user, program):
        rows = HOST_TRIP.dicts(program.pk, trip_pk)
    else:
        rows = list(_trip_rows(trip_access.trips_for(user, program).filter(pk=trip_pk)))
    return _trip_from_rows(program, rows)


def _trip_from_rows(program, rows: list[dict]):
    if not rows:
        return None, []
    trip = Trip(program=program, **{name: rows[0][name] for name in TRIP_FIELDS})
    destinations = [
        f"{Prefecture(r['municipalities__prefecture']).label} {r['municipalities__name']}"
        for r in rows
        if r["municipalities__name"] is not None
    ]
    return trip, destinations


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
                        HOST_LINE_SUMS.later(trip.pk, dicts=True),
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
        "lines": list(_line_sums(Expense.objects.filter(trip=trip.pk, enrollment__in=mine))),
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
    host_name = program.host.name
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
    lines = _named_sums(rows["lines"], rows)
    if lines is None:
        expenses = Expense.objects.filter(trip=trip.pk)
        if not is_host:
            visible = Enrollment.objects.visible_to(user).filter(program=program)
            expenses = expenses.filter(enrollment__in=visible)
        lines = _lines(list(_joined_sums(expenses)))
    return {
        "program": program,
        "trip": {
            "pk": trip.pk,
            "purpose": trip.purpose,
            "status": trip.status,
            "status_label": choice_labels(TripStatus)[trip.status],
            "dates": f"{fmt.full_date(trip.start_date)} – {fmt.full_date(trip.end_date)}",
            "destinations": "、".join([*destinations, *trip.place_list]),
            "lodging": trip.lodging or "—",
        },
        "people": [p for p in people if p["visible"]],
        "legs": _legs(fmt, rows["legs"], program, trip, can_edit),
        "seminars": _seminars(fmt, rows["seminars"], program),
        **_expenses(lines, program, trip, host_name),
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
            "note": " · ".join(
                filter(None, [seminar_when(fmt, s), kinds[s["kind"]], s["venue"], s["partner"]])
            ),
        }
        for s in seminars
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


def _line_rows(expenses):
    return expenses.order_by(
        "enrollment__trainee__family_name_kana", "staff__family_name_kana", "leg", "pk"
    ).values(*LINE_FIELDS)


HOST_LINES = CompiledQuery(lambda trip: _line_rows(Expense.objects.filter(trip=trip)))


def _joined_sums(expenses):
    """The lines summed per person, category and payer, with the people's names."""
    fields = [name for name in LINE_FIELDS if name not in ("pk", "note")]
    return expenses.order_by().values(*fields).annotate(sum=Sum("amount"), lines=Count("pk"))


SUM_FIELDS = ("enrollment_id", "staff_id", "category", "payer")


def _line_sums(expenses):
    """The lines summed per person, category and payer (with how many lines each): a few
    rows per person however many legs, from the expenses table alone (the names come from
    the travellers, read beside it)."""
    return expenses.order_by().values(*SUM_FIELDS).annotate(sum=Sum("amount"), lines=Count("pk"))


HOST_LINE_SUMS = CompiledQuery(lambda trip: _line_sums(Expense.objects.filter(trip=trip)))


def _named_sums(sums: list[dict], rows: dict) -> list[dict] | None:
    """The sums with the names and municipalities `_lines` gives the joined rows, taken from
    the travellers; None if a line is of someone no longer on the trip (the services never
    leave one; only a hand in the database would)."""
    trainees = {e["pk"]: e for e in rows["trainees"]}
    staff = {u["pk"]: u for u in rows["staff"]}
    for line in sums:
        if line["enrollment_id"]:
            e = trainees.get(line["enrollment_id"])
            if e is None:
                return None
            line["person"] = display_name(
                e["trainee__family_name"], e["trainee__given_name"], e["trainee__email"]
            )
            line["municipality"] = line["enrollment__municipality__name"] = e["municipality__name"]
            line["enrollment__municipality_id"] = e["municipality_id"]
            line["enrollment__municipality__prefecture"] = e["municipality__prefecture"]
        else:
            u = staff.get(line["staff_id"])
            if u is None:
                return None
            line["person"] = display_name(u["family_name"], u["given_name"], u["email"])
            line["municipality"] = ""
    return sums


def _lines(rows: list[dict]) -> list[dict]:
    """The trip's expense lines as `services.expenses.lines` orders them, each with its
    person's name; a reader outside the host sees the lines of the trainees they may see."""
    for row in rows:
        if row["enrollment_id"]:
            row["person"] = display_name(
                row["enrollment__trainee__family_name"],
                row["enrollment__trainee__given_name"],
                row["enrollment__trainee__email"],
            )
            row["municipality"] = row["enrollment__municipality__name"]
        else:
            row["person"] = display_name(
                row["staff__family_name"], row["staff__given_name"], row["staff__email"]
            )
            row["municipality"] = ""
    return rows


def _expenses(lines: list[dict], program, trip, host_name: str) -> dict:
    """The participant × category matrix and the totals per payer and per paying
    municipality, as `services.expenses` (by_category, totals) compute them, from the lines
    summed per person, category and payer (`_line_sums`); the lines themselves are on their
    own page (`lines_context`)."""
    categories = list(ExpenseCategory)
    column = {c.value: i for i, c in enumerate(categories)}
    category_labels = list(choice_labels(ExpenseCategory).values())
    matrix: dict[tuple, dict] = {}
    per_payer: dict[tuple, list] = {}
    per_municipality: dict[int, list] = {}
    municipality_labels: dict[int, str] = {}
    total = 0
    for line in lines:
        amount = line["sum"]
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
    ordered = sorted(matrix.values(), key=lambda row: (row["municipality"] == "", row["name"]))
    for row in ordered:
        row["total"] = yen(sum(row["amounts"]))
    columns = [sum(r["amounts"][i] for r in ordered) for i in range(len(categories))]
    for row in ordered:
        row["amounts"] = [yen(a) if a else "" for a in row["amounts"]]
    return {
        "line_count": sum(line["lines"] for line in lines),
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


# The expense lines page ---------------------------------------------------------------------


def lines_context(user, program, trip) -> dict:
    """Every expense line of the trip the person may see (the host's people: all; anyone
    else: their trainees'), in the order of the CSV, each a row of ready strings."""
    is_host = access.works_for_host(user, program)
    if is_host:
        rows = HOST_LINES.dicts(trip.pk)
    else:
        mine = Enrollment.objects.visible_to(user).filter(program=program)
        rows = list(_line_rows(Expense.objects.filter(trip=trip.pk, enrollment__in=mine)))
    categories = choice_labels(ExpenseCategory)
    can_edit = access.can_edit_program(user, program)
    edit_url = url_by_pk("seminars:expense_edit", program.pk, trip.pk)
    host_name = program.host.name
    total = 0
    shown = []
    for line in _lines(rows):
        total += line["amount"]
        shown.append(
            {
                "pk": line["pk"],
                "edit_url": edit_url(line["pk"]) if can_edit else "",
                "person": line["person"],
                "municipality": line["municipality"],
                "category": categories[line["category"]],
                "note": line["note"],
                "payer": host_name if line["payer"] == Payer.HOST else line["municipality"],
                "amount": yen(line["amount"]),
            }
        )
    return {
        "program": program,
        "trip": trip,
        "lines": shown,
        "total": yen(total),
        "can_edit": can_edit,
        "is_host": is_host,
    }
