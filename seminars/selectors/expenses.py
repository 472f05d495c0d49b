"""A trip's expenses: the sums the trip page shows (per person and category, per payer, per
paying municipality) and the expense lines page, one line each."""

from django.db.models import Count, F, Sum

from config.jinja2 import url_by_pk
from programs import access
from programs.compiled import CompiledQuery
from programs.models import Enrollment
from programs.prefectures import Prefecture

from ..models import Expense, Payer, over_ceiling
from ..services import expenses as expense_services
from . import rules as rules_rows
from .common import display_name, yen

LINE_FIELDS = (
    "pk",
    "enrollment_id",
    "staff_id",
    "kind",
    "label",
    "amount",
    "payer",
    "note",
    "generated",
    "actual_cost",
    "ceiling",
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
    # Each person's fares in the legs' order, then their lodging and allowances.
    return expenses.order_by(
        "enrollment__trainee__family_name_kana",
        "staff__family_name_kana",
        F("leg__depart_at").asc(nulls_last=True),
        "pk",
    ).values(*LINE_FIELDS)


HOST_LINES = CompiledQuery(lambda trip: _line_rows(Expense.objects.filter(trip=trip)))


LINE_ONLY = ("pk", "note", "generated", "actual_cost", "ceiling")


def _joined_sums(expenses):
    """The lines summed per person, category and payer, with the people's names."""
    fields = [name for name in LINE_FIELDS if name not in LINE_ONLY]
    return expenses.order_by().values(*fields).annotate(sum=Sum("amount"), lines=Count("pk"))


SUM_FIELDS = ("enrollment_id", "staff_id", "kind", "label", "payer")


def line_sums(expenses):
    """The lines summed per person, category and payer (with how many lines each): a few
    rows per person however many legs, from the expenses table alone (the names come from
    the travellers, read beside it)."""
    return expenses.order_by().values(*SUM_FIELDS).annotate(sum=Sum("amount"), lines=Count("pk"))


HOST_LINE_SUMS = CompiledQuery(lambda trip: line_sums(Expense.objects.filter(trip=trip)))


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


def _payer_key(line: dict, host_name: str, names: dict) -> tuple[tuple, str]:
    """(payer key, payer name) of a line: the host, or the trainee's municipality named with
    its prefecture (府中市 is in 東京都 and in 広島県), each named once."""
    if line["payer"] == Payer.HOST:
        return ("host",), host_name
    muni = line["enrollment__municipality_id"]
    name = names.get(muni)
    if name is None:
        name = names[muni] = (
            f"{Prefecture(line['enrollment__municipality__prefecture']).label} "
            f"{line['enrollment__municipality__name']}"
        )
    return ("m", muni), name


def _expenses(lines: list[dict], program, trip, host_name: str) -> dict:
    """Per payer, the participant × category table in the payer's words, and the totals per
    payer and per paying municipality, as `services.expenses` (by_category, totals) compute
    them, from the lines summed per person, kind, word and payer (`line_sums`); the lines
    themselves are on their own page (`lines_context`)."""
    names: dict[int, str] = {}
    items = []
    for line in lines:
        payer, payer_name = _payer_key(line, host_name, names)
        enrollment_id = line["enrollment_id"]
        items.append(
            {
                "person": ("e", enrollment_id) if enrollment_id else ("s", line["staff_id"]),
                "name": line["person"],
                "municipality": line["municipality"],
                "payer": payer,
                "payer_name": payer_name,
                "kind": line["kind"],
                "label": line["label"],
                "amount": line["sum"],
            }
        )
    tables = expense_services.payer_tables(items)
    for table in tables:
        for row in table["rows"]:
            row["amounts"] = [yen(a) if a else "" for a in row["amounts"]]
            row["total"] = yen(row["total"])
        table["column_totals"] = [yen(a) if a else "" for a in table["column_totals"]]
        table["total"] = yen(table["total"])
    per_municipality = [(t["payer"], t["total"]) for t in tables if t["key"][0] == "m"]
    return {
        "line_count": sum(line["lines"] for line in lines),
        "payer_tables": tables,
        "total": yen(sum(line["sum"] for line in lines)),
        "per_payer": sorted((t["payer"], t["total"]) for t in tables),
        "per_municipality": per_municipality,
    }


def trip_sums(user, program, trip, rows: dict, is_host: bool) -> dict:
    """The trip page's sums (`_expenses`), from the sums read with its other rows (`rows`,
    `selectors.trips`), or, when a line is of someone no longer on the trip, from the lines
    read again with the people's names."""
    lines = _named_sums(rows["lines"], rows)
    if lines is None:
        expenses = Expense.objects.filter(trip=trip.pk)
        if not is_host:
            visible = Enrollment.objects.visible_to(user).filter(program=program)
            expenses = expenses.filter(enrollment__in=visible)
        lines = _lines(list(_joined_sums(expenses)))
    return _expenses(lines, program, trip, program.host.name)


# The expense lines page ---------------------------------------------------------------------


def lines_context(user, program, trip) -> dict:
    """Every expense line of the trip the person may see (the host's people: all; anyone
    else: their trainees'), in the order of the CSV, a table per payer in the payer's words,
    each with the payer's rules as they stand and, for who may change them, their page."""
    is_host = access.works_for_host(user, program)
    if is_host:
        rows = HOST_LINES.dicts(trip.pk)
    else:
        mine = Enrollment.objects.visible_to(user).filter(program=program)
        rows = list(_line_rows(Expense.objects.filter(trip=trip.pk, enrollment__in=mine)))
    can_edit = access.can_edit_program(user, program)
    edit_url = url_by_pk("seminars:expense_edit", program.pk, trip.pk)
    host_name = program.host.name
    names: dict[int, str] = {}
    tables: dict[tuple, dict] = {}
    total = 0
    for line in _lines(rows):
        total += line["amount"]
        payer, payer_name = _payer_key(line, host_name, names)
        table = tables.setdefault(payer, {"payer": payer_name, "key": payer, "lines": [], "sum": 0})
        table["sum"] += line["amount"]
        table["lines"].append(
            {
                "pk": line["pk"],
                "edit_url": edit_url(line["pk"]) if can_edit and not line["generated"] else "",
                "person": line["person"],
                "municipality": line["municipality"],
                "category": line["label"],
                "note": line["note"],
                "generated": line["generated"],
                "over_ceiling": over_ceiling(line["actual_cost"], line["ceiling"]),
                "amount": yen(line["amount"]),
            }
        )
    shown = sorted(tables.values(), key=lambda t: (t["key"][0] == "host", t["payer"]))
    rules_rows.describe(user, program, shown)
    for table in shown:
        table["sum"] = yen(table["sum"])
    return {
        "program": program,
        "trip": trip,
        "tables": shown,
        "line_count": len(rows),
        # Nights but no cost per night: lodging paid at cost cannot be computed yet.
        "lodging_cost_missing": trip.end_date > trip.start_date and trip.lodging_cost is None,
        "total": yen(total),
        "can_edit": can_edit,
        "is_host": is_host,
    }
