"""Documents built from the trips: the itinerary (one A4 page per traveller), shared by the
browser's print view and the PDF, and the expenses as CSV."""

import csv
import hashlib
import io

from django.template.loader import render_to_string
from django.utils import timezone, translation

from seminars.models import KIND_ORDER, Expense, Payer, Trip
from seminars.selectors import contacts
from seminars.services.trips import leg_title, participants, seminars_of

from . import fonts
from .selectors import itinerary


def itinerary_context(
    trip: Trip, who: str | None = None, *, now=None, sees_numbers: bool = False
) -> dict:
    """Each traveller's page: who, the trip, and its schedule in time order. `who` (a
    participant key) keeps one page. With `now` (the view's moment), each page has its
    schedule as cards for a phone too; with `sees_numbers` (the reader is one of the trip's
    travellers or the host's people: `seminars.access.sees_trip_numbers`), the numbers to
    call."""
    schedule = _schedule(trip)
    everyone = participants(trip)
    people = everyone if who is None else [p for p in everyone if p["key"] == who]
    roles = {}
    for seminar in seminars_of(trip).prefetch_related("roles"):
        for role in seminar.roles.all():
            roles[(seminar.pk, role.enrollment_id)] = role.get_role_display()
    costs = travel_costs(trip)
    pages = []
    for person in people:
        # A trainee's page has the seminars they take part in; the host's staff have all.
        enrollment_id = person["enrollment"].pk if person["enrollment"] else None
        rows = [
            {**row, "role": roles.get((row.get("seminar"), enrollment_id), "")}
            for row in schedule
            if enrollment_id is None
            or row.get("seminar") is None
            or (row["seminar"], enrollment_id) in roles
        ]
        pages.append(
            {
                "person": person,
                "rows": rows,
                "cards": itinerary.cards(rows, trip, now) if now is not None else [],
                "costs": costs.get(person["key"]),
            }
        )
    staff_ids = [p["user"].pk for p in everyone if p["enrollment"] is None]
    return {
        "trip": trip,
        "program": trip.program,
        "pages": pages,
        "places": [m.name for m in trip.municipalities.all()] + trip.place_list,
        "contact": trip.created_by,
        "contacts": _contacts(trip, staff_ids) if sees_numbers else [],
        "trip_is_on": now is not None and itinerary.is_on(trip, now),
    }


def _contacts(trip: Trip, staff_ids) -> list[dict]:
    # The document is Japanese whatever the reader's language (its roles too).
    with translation.override("ja"):
        return contacts.trip_contacts(trip.program, trip, staff_ids)


def _schedule(trip: Trip) -> list[dict]:
    """The trip's legs and seminars in time order, as the table and the cards read them."""
    schedule = []
    for leg in trip.legs.all():
        schedule.append(
            {
                "at": timezone.localtime(leg.depart_at),
                "until": timezone.localtime(leg.arrive_at),
                "what": leg_title(leg),
                "detail": " ".join(filter(None, [leg.get_mode_display(), leg.notes])),
                "fare": leg.fare,
                "origin": leg.origin_place,
                "destination": leg.destination,
                "mode": leg.get_mode_display(),
                "service": leg.service,
                "notes": leg.notes,
            }
        )
    for seminar in seminars_of(trip):
        start = timezone.make_aware(timezone.datetime.combine(seminar.date, seminar.start_time))
        schedule.append(
            {
                "at": start,
                "until": timezone.make_aware(
                    timezone.datetime.combine(seminar.date, seminar.end_time)
                ),
                "what": seminar.title,
                "detail": " ".join(filter(None, [seminar.venue, seminar.address])),
                "fare": None,
                "seminar": seminar.pk,
                "venue": seminar.venue,
                "address": seminar.address,
            }
        )
    schedule.sort(key=lambda item: item["at"])
    return schedule


def travel_costs(trip: Trip) -> dict[str, dict]:
    """Each traveller's travel costs (by participant key), in the payer's own words as they
    were when the lines were made: the fares summed per word (each leg's fare is in the
    schedule above), lodging and allowances line by line with the ceiling where lodging is
    capped."""
    lines = (
        Expense.objects.filter(trip=trip).select_related("enrollment__municipality").order_by("pk")
    )
    found: dict[str, dict] = {}
    for line in sorted(lines, key=lambda e: (KIND_ORDER[e.kind], e.pk)):
        key = f"e{line.enrollment_id}" if line.enrollment_id else f"s{line.staff_id}"
        if line.payer == Payer.HOST:
            payer = trip.program.host.name
        else:
            payer = str(line.enrollment.municipality)
        costs = found.setdefault(key, {"payers": [], "lines": [], "fares": {}, "total": 0})
        if payer not in costs["payers"]:
            costs["payers"].append(payer)
        costs["total"] += line.amount
        if line.leg_id:
            fare = costs["fares"].get(line.label)
            if fare is None:
                fare = costs["fares"][line.label] = {"label": line.label, "legs": 0, "amount": 0}
                costs["lines"].append(fare)
            fare["legs"] += 1
            fare["amount"] += line.amount
            fare["note"] = f"{fare['legs']}区間（行程表の運賃）"
            continue
        costs["lines"].append(
            {
                "label": line.label,
                "note": line.note,
                "amount": line.amount,
                "over_ceiling": line.over_ceiling,
            }
        )
    return found


def itinerary_html(trip: Trip) -> str:
    """The PDF's HTML: Japanese, its stylesheet inline (the engine reads no static files)."""
    with translation.override("ja"):
        return render_to_string(
            "reports/itinerary.html",
            {**itinerary_context(trip), "for_pdf": True, "stylesheet": _stylesheet()},
        )


def _stylesheet() -> str:
    from django.contrib.staticfiles import finders

    with open(finders.find("css/itinerary.css"), encoding="utf-8") as handle:
        return handle.read()


def content_hash(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()


def with_dates(html: str, now) -> str:
    """The HTML with the build time as the document's creation and modification dates
    (`dcterms.created`/`dcterms.modified`, which the engine writes to the PDF's metadata);
    added after the content is hashed, so the same content keeps its version."""
    stamp = timezone.localtime(now).isoformat(timespec="seconds")
    meta = (
        f'<meta name="dcterms.created" content="{stamp}">'
        f'<meta name="dcterms.modified" content="{stamp}">'
    )
    return html.replace("</head>", meta + "</head>", 1)


PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
# A little tighter: the margins, the line height and the charts. Used only when it saves a
# last page that would hold a line or two (LONELY_LINES). A user stylesheet comes before
# the document's own in the cascade, hence !important.
TIGHTER = """
@page { margin: 16mm 15mm 15mm !important; }
.doc { line-height: 1.5 !important; }
.doc figure svg { max-width: 150mm !important; }
"""
LONELY_LINES = 3


def _lines_on_last_page(document) -> int:
    """The lines of text in the last page's content (its headers and footers left out)."""
    from weasyprint.formatting_structure.boxes import LineBox, MarginBox

    def count(box) -> int:
        if isinstance(box, MarginBox):
            return 0
        if isinstance(box, LineBox):
            return 1
        return sum(count(child) for child in getattr(box, "children", ()))

    return count(document.pages[-1]._page_box)


def render_pdf(html: str) -> bytes:
    """A tagged PDF/UA-1: a structure tree from the HTML (headings, tables with their
    headers, lists, figures with their text), the language, the title shown in the window
    (DisplayDocTitle), and XMP metadata from <title>, <meta name="author"> and the dates
    (`with_dates`). A last page that would hold no more than a couple of lines is avoided
    when a slightly tighter layout (TIGHTER) saves it."""
    from weasyprint import CSS, HTML

    # A character no installed font has is printed as 〓, never as an empty box.
    source = HTML(string=fonts.printable(html), base_url=None)
    document = source.render(**PDF_OPTIONS)
    if len(document.pages) > 1 and _lines_on_last_page(document) <= LONELY_LINES:
        tighter = source.render(stylesheets=[CSS(string=TIGHTER)], **PDF_OPTIONS)
        if len(tighter.pages) < len(document.pages):
            document = tighter
    return document.write_pdf(**PDF_OPTIONS)


# CSV ----------------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell Excel will not run: text starting like a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_rows(header: list[str], rows):
    """UTF-8 with a BOM (Excel in Japan reads it as UTF-8), one line at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for row in [header, *rows]:
        writer.writerow([safe_cell(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
