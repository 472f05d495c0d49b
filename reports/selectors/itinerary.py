"""The itinerary on a phone: one card per leg or seminar, the next one first while the trip
is on, each place with a map link, and the numbers to call (seminars.selectors.contacts).
`now` comes from the caller (the view reads the clock once)."""

from datetime import datetime
from urllib.parse import urlencode

from django.utils import timezone

from programs.formats import show, time_range

MAPS = "https://www.google.com/maps/search/"


def map_url(place: str) -> str:
    """A search for `place` on Google Maps: a plain link, no key, opened by the maps app on
    a phone (https://developers.google.com/maps/documentation/urls/get-started)."""
    return f"{MAPS}?{urlencode({'api': 1, 'query': place})}"


def is_on(trip, now: datetime) -> bool:
    """Today is one of the trip's days."""
    return trip.start_date <= timezone.localdate(now) <= trip.end_date


def cards(rows: list[dict], trip, now: datetime) -> list[dict]:
    """One card per row of the schedule (`documents.itinerary_context`), in time order. A
    row over by `now` is marked past; while the trip is on, the cards from the next one
    (or the one under way) come first and the past ones after them."""
    made = [_card(row, now) for row in sorted(rows, key=lambda r: r["at"])]
    if is_on(trip, now):
        made = [c for c in made if not c["past"]] + [c for c in made if c["past"]]
        if made and not made[0]["past"]:
            made[0]["next"] = True
    return made


def _card(row: dict, now: datetime) -> dict:
    at, until = row["at"], row["until"]
    card = {
        "kind": "leg" if row.get("origin") else "seminar",
        "day": show(at, "day"),
        "times": time_range(timezone.localtime(at), timezone.localtime(until)),
        "past": until <= now,
        "under_way": at <= now < until,
        "next": False,
        "role": row.get("role", ""),
    }
    if card["kind"] == "leg":
        card["title"] = f"{row['origin']} → {row['destination']}"
        card["service"] = " ".join(filter(None, [row["mode"], row["service"]]))
        card["notes"] = row.get("notes", "")
        card["maps"] = [
            {"place": place, "url": map_url(place)} for place in (row["origin"], row["destination"])
        ]
    else:
        card["title"] = row["what"]
        card["service"] = ""
        card["notes"] = row["detail"]
        place = row.get("address") or row.get("venue")
        label = row.get("venue") or row.get("address")
        card["maps"] = [{"place": label, "url": map_url(place)}] if place else []
    return card
