"""A trip's travel costs computed from its legs and nights under each traveller's payer's
rules (旅費規程): fares per leg, lodging and allowances per night, an allowance per day.
The computed lines are made again, inside the caller's transaction, whenever the legs, the
dates, the travellers, the lodging cost or the rules change; lines typed by hand are never
touched here."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from programs import cache as kenshu_cache
from programs.services.activity_log import record_activity

from ..models import (
    FARE_KIND,
    Expense,
    Payer,
    Rules,
    TravelRules,
    Trip,
    TripStatus,
    starting_rules,
)
from .common import refuse_unless_coordinator

COMPARED = ("label", "amount", "payer", "note", "quantity", "rate", "actual_cost", "ceiling")


@dataclass(frozen=True)
class Traveller:
    enrollment_id: int | None
    staff_id: int | None
    payer: str  # Payer
    payer_key: tuple  # ("m", municipality id) or ("host", host id)


def yen_text(amount: int) -> str:
    """Yen as the records write them (Japanese, whoever is signed in): `10,000円`."""
    return f"{amount:,}円"


def travellers(trip: Trip) -> list[Traveller]:
    """Everyone on the trip with who pays for them: a trainee's municipality (or the host,
    when the trip says the host pays for its trainees), the host for its own staff."""
    host_key = ("host", trip.program.host_id)
    people = []
    for enrollment_id, municipality_id in trip.trainees.values_list("pk", "municipality_id"):
        if trip.trainees_paid_by == Payer.HOST:
            people.append(Traveller(enrollment_id, None, Payer.HOST, host_key))
        else:
            people.append(
                Traveller(enrollment_id, None, Payer.MUNICIPALITY, ("m", municipality_id))
            )
    for staff_id in trip.staff.values_list("pk", flat=True):
        people.append(Traveller(None, staff_id, Payer.HOST, host_key))
    return people


def rules_for(payer_keys) -> dict[tuple, Rules]:
    """Each payer's rules, in one query; a payer without a row has the starting rules."""
    keys = set(payer_keys)
    municipalities = [pk for kind, pk in keys if kind == "m"]
    hosts = [pk for kind, pk in keys if kind == "host"]
    found = {key: starting_rules() for key in keys}
    if not keys:
        return found
    rows = TravelRules.objects.filter(
        Q(municipality__in=municipalities) | Q(host_company__in=hosts)
    )
    for row in rows:
        key = ("m", row.municipality_id) if row.municipality_id else ("host", row.host_company_id)
        found[key] = row.as_rules()
    return found


def _per_night_lines(rules: Rules, nights: int, days: int, lodging_cost) -> list[dict]:
    """Lodging, the allowance per night and the allowance per day, as the rules say."""
    lines = []
    word = rules.word("lodging")
    if word and nights:
        if rules.lodging_at_cost and lodging_cost is not None:
            paid = min(lodging_cost, rules.lodging_ceiling)
            actual, ceiling = yen_text(lodging_cost), yen_text(rules.lodging_ceiling)
            note = f"{nights}泊 × {yen_text(paid)}（実費 {actual}、上限 {ceiling}）"
            lines.append(
                {
                    "kind": "lodging",
                    "label": word,
                    "quantity": nights,
                    "rate": paid,
                    "actual_cost": lodging_cost,
                    "ceiling": rules.lodging_ceiling,
                    "note": note,
                }
            )
        elif not rules.lodging_at_cost:
            lines.append(_times("lodging", word, nights, "泊", rules.lodging_flat))
    word = rules.word("lodging_allowance")
    if word and nights:
        lines.append(_times("lodging_allowance", word, nights, "泊", rules.lodging_allowance))
    word = rules.word("daily_allowance")
    if word and days:
        lines.append(_times("daily_allowance", word, days, "日", rules.daily_allowance))
    return [line for line in lines if line["rate"]]


def _times(kind: str, label: str, count: int, unit: str, rate: int) -> dict:
    return {
        "kind": kind,
        "label": label,
        "quantity": count,
        "rate": rate,
        "actual_cost": None,
        "ceiling": None,
        "note": f"{count}{unit} × {yen_text(rate)}",
    }


def compute(trip: Trip, legs, people: list[Traveller], rules: dict[tuple, Rules]) -> list[dict]:
    """The computed lines of the trip, each a dict of `Expense` fields (without the trip).
    Nights are the trip's nights (its days less one); the lodging cost is the trip's, per
    person and night."""
    days = (trip.end_date - trip.start_date).days + 1
    nights = days - 1
    found = []
    for person in people:
        payer_rules = rules[person.payer_key]
        who = {
            "enrollment_id": person.enrollment_id,
            "staff_id": person.staff_id,
            "payer": person.payer,
        }
        for leg in legs:
            kind = FARE_KIND.get(leg.mode)
            word = payer_rules.word(kind) if kind else ""
            if not (word and leg.fare):
                continue
            found.append(
                {
                    **who,
                    "leg_id": leg.pk,
                    "kind": kind,
                    "label": word,
                    "amount": leg.fare,
                    "quantity": 1,
                    "rate": None,
                    "actual_cost": None,
                    "ceiling": None,
                    "note": f"{leg.origin_place} → {leg.destination}",
                }
            )
        for line in _per_night_lines(payer_rules, nights, days, trip.lodging_cost):
            found.append({**who, **line, "leg_id": None, "amount": line["rate"] * line["quantity"]})
    return found


def sync_expenses(trip: Trip) -> None:
    """Make the trip's computed lines again from its legs, dates, travellers, lodging cost
    and the payers' rules: changed lines are updated, missing ones made, stale ones removed
    (lines typed by hand stay as they are). Call it inside the change's transaction."""
    people = travellers(trip)
    wanted = compute(trip, list(trip.legs.all()), people, rules_for(p.payer_key for p in people))
    existing = {
        (e.kind, e.leg_id, e.enrollment_id, e.staff_id): e
        for e in Expense.objects.filter(trip=trip, generated=True)
    }
    keep, new = set(), []
    for values in wanted:
        key = (values["kind"], values["leg_id"], values["enrollment_id"], values["staff_id"])
        keep.add(key)
        line = existing.get(key)
        if line is None:
            new.append(Expense(trip=trip, generated=True, **values))
        elif any(getattr(line, name) != values[name] for name in COMPARED):
            for name in COMPARED:
                setattr(line, name, values[name])
            line.save(update_fields=list(COMPARED))
    stale = [e.pk for key, e in existing.items() if key not in keep]
    if stale:
        Expense.objects.filter(pk__in=stale).delete()
    if new:
        Expense.objects.bulk_create(new)
    if new or stale:
        kenshu_cache.bump_program(trip.program_id, "seminars")


def recompute(trip: Trip, *, by) -> None:
    """The coordinator's "compute again": a finished trip keeps the lines it was filed with
    until someone asks for this."""
    refuse_unless_coordinator(by, trip.program)
    with transaction.atomic():
        trip = Trip.objects.select_for_update().select_related("program").get(pk=trip.pk)
        sync_expenses(trip)
        record_activity(by, "trip.expenses_recomputed", trip, host_company=trip.program.host)


def trips_paid_under(rules: TravelRules):
    """The trips whose computed lines follow these rules and are still to be made again on
    a change of them: planned or confirmed (a finished trip's lines stay as filed until its
    coordinator computes them again)."""
    open_trips = Trip.objects.filter(status__in=[TripStatus.PLANNED, TripStatus.CONFIRMED])
    if rules.municipality_id:
        return open_trips.filter(
            trainees__municipality=rules.municipality_id, trainees_paid_by=Payer.MUNICIPALITY
        ).distinct()
    return open_trips.filter(program__host=rules.host_company_id)


def follow_rules(rules: TravelRules) -> int:
    """After a change of `rules`: the open trips they pay for, computed again. Returns how
    many trips were."""
    count = 0
    for trip in trips_paid_under(rules).select_related("program").order_by("pk"):
        sync_expenses(trip)
        count += 1
    return count
