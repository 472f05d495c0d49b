"""A trip planned from the week's placeholders (予定枠): a template puts the trip's moves and
seminars in the week as slots "to plan"; these read them to fill the trip's form, its legs
and its seminars, so the coordinator confirms what the template already says rather than
typing it again."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from programs.models import Activity, ActivityKind, Municipality, Program
from programs.selectors.municipalities import resolve
from programs.services.placeholders import placeholders_left

from ..models import SeminarKind, Trip, TripStatus

# Where a trip starts and ends when the template does not say: the host's own office. Stored
# in the leg as typed text, in the one language of the records.
HEAD_OFFICE = "本社"

TRIP_KINDS = (ActivityKind.TRIP, ActivityKind.SEMINAR)

# A seminar's kind read from the words of its title, first match wins.
KIND_WORDS = [
    ("説明会", SeminarKind.WORKER_BRIEFING),
    ("セミナー", SeminarKind.BUSINESS_SEMINAR),
    ("ワークショップ", SeminarKind.WORKSHOP),
    ("視察", SeminarKind.SITE_VISIT),
    ("見学", SeminarKind.SITE_VISIT),
]


def placeholder_of(program: Program, pk: int | None) -> Activity | None:
    """A placeholder of the program's trip or seminars, still to plan; None otherwise."""
    if pk is None:
        return None
    return placeholders_left(program).filter(pk=pk, kind__in=TRIP_KINDS).first()


def first_placeholder(program: Program) -> Activity | None:
    """The first of the program's trip placeholders still to plan (None when there is none)."""
    return (
        placeholders_left(program)
        .filter(kind=ActivityKind.TRIP)
        .order_by("date", "start_time", "pk")
        .first()
    )


def placeholder_run(program: Program, placeholder: Activity) -> list[Activity]:
    """The trip's and seminars' placeholders on the days around `placeholder` that follow
    each other (the trip's days), in time order."""
    slots = list(placeholders_left(program).filter(kind__in=TRIP_KINDS))
    days = sorted({s.date for s in slots})
    first = last = placeholder.date
    while first - timedelta(days=1) in days:
        first -= timedelta(days=1)
    while last + timedelta(days=1) in days:
        last += timedelta(days=1)
    return [s for s in slots if first <= s.date <= last]


def _places(slots: list[Activity]) -> list[str]:
    """The places the seminars are held, in the order of the days, each once."""
    places = []
    for slot in slots:
        place = slot.place.strip()
        if slot.kind == ActivityKind.SEMINAR and place and place not in places:
            places.append(place)
    return places


def destinations(places: list[str]) -> list[Municipality]:
    """The municipalities the places name (「箕輪町」); a place that names none, or several,
    is left for the coordinator to type."""
    found = []
    for place in places:
        municipality = resolve(place).municipality
        if municipality is not None and municipality not in found:
            found.append(municipality)
    return found


def trip_initial(program: Program, placeholder: Activity) -> dict:
    """The trip form's values from the placeholders of its days: first and last day, the
    destinations where its seminars are, and a purpose naming them."""
    run = placeholder_run(program, placeholder)
    places = _places(run)
    seminars = [s.title for s in run if s.kind == ActivityKind.SEMINAR]
    purpose = "・".join(seminars) + "の開催" if seminars else "出張"
    if places:
        purpose += "（" + "・".join(places) + "）"
    return {
        "purpose": purpose[:300],
        "start_date": run[0].date,
        "end_date": run[-1].date,
        "municipalities": destinations(places),
    }


def trip_placeholders(trip: Trip, kind: str | None = None) -> list[Activity]:
    """The placeholders still left on the trip's days (of one kind, when given)."""
    left = placeholders_left(trip.program).filter(
        date__range=(trip.start_date, trip.end_date), kind__in=TRIP_KINDS
    )
    if kind is not None:
        left = left.filter(kind=kind)
    return list(left.order_by("date", "start_time", "pk"))


def _at(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


@dataclass
class LegRow:
    """One row of the itinerary table: a leg already saved (`leg`), or one to add, filled
    from a placeholder or from where the last leg ended."""

    initial: dict
    leg: object = None
    placeholder: Activity | None = None


def leg_rows(trip: Trip, places: list[str] | None = None) -> list[LegRow]:
    """The trip's legs, then a row per move still to plan (from the office to the first
    place, between places, back to the office), then one empty row that starts where the
    last ended."""
    rows = [
        LegRow(initial=_leg_initial(leg), leg=leg) for leg in trip.legs.order_by("depart_at", "pk")
    ]
    if places is None:
        places = _places(trip_placeholders(trip)) or _trip_places(trip)
    moves = trip_placeholders(trip, ActivityKind.TRIP)
    stops = [HEAD_OFFICE, *places, HEAD_OFFICE] if places else []
    for index, move in enumerate(moves):
        row = {
            "depart_at": _at(move.date, move.start_time),
            "arrive_at": _at(move.date, move.end_time),
        }
        if stops:
            last = index == len(moves) - 1
            row["origin_place"] = stops[-2] if last else stops[min(index, len(stops) - 2)]
            row["destination"] = stops[-1] if last else stops[min(index + 1, len(stops) - 1)]
        rows.append(LegRow(initial=row, placeholder=move))
    rows.append(LegRow(initial=_after(rows[-1].initial if rows else None, trip)))
    return rows


def _trip_places(trip: Trip) -> list[str]:
    return [m.name for m in trip.municipalities.all()]


def _leg_initial(leg) -> dict:
    return {
        "mode": leg.mode,
        "origin_place": leg.origin_place,
        "destination": leg.destination,
        "depart_at": timezone.localtime(leg.depart_at),
        "arrive_at": timezone.localtime(leg.arrive_at),
        "service": leg.service,
        "fare": leg.fare,
        "notes": leg.notes,
    }


def _after(previous: dict | None, trip: Trip) -> dict:
    """An empty row: it starts where and when the row before it ends."""
    if previous is None:
        return {"origin_place": HEAD_OFFICE, "depart_at": _at(trip.start_date, time(9, 0))}
    start = previous.get("arrive_at")
    row = {"origin_place": previous.get("destination", ""), "mode": previous.get("mode", "")}
    if start is not None:
        row["depart_at"] = timezone.localtime(start) if start.tzinfo else start
    return row


def guess_kind(title: str) -> str:
    for word, kind in KIND_WORDS:
        if word in title:
            return kind
    return ""


def seminar_initial(placeholder: Activity) -> dict:
    """A seminar form's values from its placeholder."""
    return {
        "kind": guess_kind(placeholder.title),
        "title": placeholder.title,
        "date": placeholder.date,
        "start_time": placeholder.start_time,
        "end_time": placeholder.end_time,
        "venue": placeholder.place,
    }


def trip_on(program: Program, day: date) -> Trip | None:
    """The program's trip (not cancelled) that `day` falls in, for a seminar planned then."""
    return (
        Trip.objects.filter(program=program, start_date__lte=day, end_date__gte=day)
        .exclude(status=TripStatus.CANCELLED)
        .order_by("start_date", "pk")
        .first()
    )
