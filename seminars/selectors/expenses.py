"""A trip's expenses: the sums the trip page shows (per person and category, per payer, per
paying municipality) and the expense lines page, one line each."""

from django.db.models import Count, Sum

from config.jinja2 import url_by_pk
from config.translated import choice_labels
from programs import access
from programs.compiled import CompiledQuery
from programs.models import Enrollment
from programs.prefectures import Prefecture

from ..models import Expense, ExpenseCategory, Payer
from .common import display_name, yen

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


def _expenses(lines: list[dict], program, trip, host_name: str) -> dict:
    """The participant × category matrix and the totals per payer and per paying
    municipality, as `services.expenses` (by_category, totals) compute them, from the lines
    summed per person, category and payer (`line_sums`); the lines themselves are on their
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
