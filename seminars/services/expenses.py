"""Travel costs in whole yen: lines per participant, and the totals a municipality's
accounting asks for (per person, per payer, per municipality)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from programs.formats import money
from programs.integers import id_param
from programs.plain_text import check_plain_text
from programs.services.activity_log import record_activity

from ..models import KIND_ORDER, Expense, ExpenseKind, Payer, Trip, over_ceiling
from .common import TripRefused, refuse_unless_coordinator
from .travel_costs import rules_for


@dataclass
class ExpensePlan:
    participant: str  # "e<enrollment pk>" or "s<user pk>", as `trips.participants` keys them
    kind: str
    amount: int
    payer: str
    note: str = ""
    label: str = ""  # the payer's word; empty: the word of the payer's rules for `kind`


def _participant(trip: Trip, plan: ExpensePlan) -> tuple[int | None, int | None]:
    """(enrollment id, staff id) of someone on the trip, or a refusal."""
    kind, pk = plan.participant[:1], id_param(plan.participant[1:])
    if kind == "e" and pk is not None and trip.trainees.filter(pk=pk).exists():
        return pk, None
    if kind == "s" and pk is not None and trip.staff.filter(pk=pk).exists():
        if plan.payer == Payer.MUNICIPALITY:
            raise TripRefused(_("The host pays for its own staff."), field="payer")
        return None, pk
    raise TripRefused(_("Choose someone on this trip."), field="participant")


def _label(trip: Trip, plan: ExpensePlan, enrollment_id: int | None) -> str:
    """The category in the payer's words: typed, or the payer's rules' word for the kind."""
    if plan.label.strip():
        return plan.label.strip()
    if plan.payer == Payer.HOST:
        key = ("host", trip.program.host_id)
    else:
        key = (
            "m",
            trip.trainees.filter(pk=enrollment_id).values_list("municipality", flat=True)[0],
        )
    word = rules_for([key])[key].word(plan.kind)
    if not word:
        raise TripRefused(
            _("The payer's rules have no such category: name it in the payer's words."),
            field="label",
        )
    return word


def save_expense(trip: Trip, plan: ExpensePlan, *, by, expense: Expense | None = None):
    """Add or change a line typed by hand. The participant must be on the trip; the host
    pays its own staff; amounts are whole, non-negative yen. A computed line is not typed
    over: it follows the trip and the payer's rules."""
    refuse_unless_coordinator(by, trip.program)
    check_plain_text({"note": plan.note, "label": plan.label}, refuse=TripRefused)
    if expense is not None and expense.generated:
        raise TripRefused(
            _(
                "This line is computed from the payer's rules: change the trip, its legs or "
                "the rules, or add a line."
            )
        )
    if plan.amount < 0:
        raise TripRefused(_("An amount cannot be negative."), field="amount")
    if plan.kind not in ExpenseKind.values:
        raise TripRefused(_("Choose a category."), field="kind")
    if plan.payer not in Payer.values:
        raise TripRefused(_("Choose who pays."), field="payer")
    enrollment_id, staff_id = _participant(trip, plan)
    label = _label(trip, plan, enrollment_id)
    with transaction.atomic():
        creating = expense is None
        expense = expense or Expense(trip=trip)
        expense.enrollment_id, expense.staff_id = enrollment_id, staff_id
        expense.kind, expense.label, expense.amount = plan.kind, label, plan.amount
        expense.payer, expense.note = plan.payer, plan.note
        expense.save()
        record_activity(
            by,
            "trip.expense_added" if creating else "trip.expense_changed",
            trip,
            host_company=trip.program.host,
            data={"expense": expense.pk, "amount": expense.amount},
        )
    return expense


def delete_expense(expense: Expense, *, by) -> None:
    refuse_unless_coordinator(by, expense.trip.program)
    if expense.generated:
        raise TripRefused(
            _("This line is computed from the payer's rules: change the trip or its legs instead.")
        )
    expense.delete()


def lines(trip: Trip, *, enrollments=None):
    """The trip's lines with the people they concern, in one query. `enrollments` limits
    them to those a reader may see (a supervisor's own trainees)."""
    qs = (
        Expense.objects.filter(trip=trip)
        .select_related("enrollment__trainee", "enrollment__municipality", "staff", "leg")
        .order_by("enrollment__trainee__family_name_kana", "staff__family_name_kana", "leg", "pk")
    )
    if enrollments is not None:
        qs = qs.filter(enrollment__in=enrollments)
    return list(qs)


def person_of(line: Expense) -> str:
    return (line.enrollment.trainee if line.enrollment_id else line.staff).display_name


def municipality_of(line: Expense) -> str:
    return line.enrollment.municipality.name if line.enrollment_id else ""


def rows(expense_lines, host_name: str, edit_url: str = "") -> list[dict]:
    """The lines as the lines page prints them: every cell a ready string. `edit_url` is a
    line's address with "{pk}" for its id."""
    return [
        {
            "pk": line.pk,
            "edit_url": edit_url.replace("{pk}", str(line.pk)),
            "person": person_of(line),
            "municipality": municipality_of(line),
            "category": line.label,
            "note": line.note,
            "payer": host_name if line.payer == Payer.HOST else municipality_of(line),
            "amount": line.amount,
            "amount_text": money(line.amount),
            "over_ceiling": over_ceiling(line.actual_cost, line.ceiling),
        }
        for line in expense_lines
    ]


def _person_key(line: Expense) -> tuple:
    # By id, not by name: two people of the same name stay two rows.
    return ("e", line.enrollment_id) if line.enrollment_id else ("s", line.staff_id)


def _municipality_labels(expense_lines) -> dict[int, str]:
    """Each paying municipality named with its prefecture (府中市 is in 東京都 and in
    広島県), looked up once per municipality."""
    found = {}
    for line in expense_lines:
        if line.enrollment_id and line.enrollment.municipality_id not in found:
            found[line.enrollment.municipality_id] = str(line.enrollment.municipality)
    return found


def payer_tables(items) -> list[dict]:
    """Per payer, participant × category in the payer's own words, with each row's and each
    column's total: the tables a payer's accounting reads. `items` are dicts of `person`
    (a key), `name`, `municipality`, `payer` (a key), `payer_name`, `kind`, `label` and
    `amount`; the paying municipalities come first, by name, then the host."""
    tables: dict[tuple, dict] = {}
    for item in items:
        table = tables.setdefault(
            item["payer"],
            {"payer": item["payer_name"], "key": item["payer"], "order": {}, "people": {}},
        )
        order = table["order"]
        order[item["label"]] = min(order.get(item["label"], 99), KIND_ORDER[item["kind"]])
        row = table["people"].setdefault(
            item["person"],
            {"name": item["name"], "municipality": item["municipality"], "by_label": {}},
        )
        row["by_label"][item["label"]] = row["by_label"].get(item["label"], 0) + item["amount"]
    shown = []
    for table in tables.values():
        labels = sorted(table["order"], key=lambda label: (table["order"][label], label))
        people = sorted(
            table["people"].values(), key=lambda row: (row["municipality"] == "", row["name"])
        )
        for row in people:
            row["amounts"] = [row["by_label"].get(label, 0) for label in labels]
            row["total"] = sum(row["amounts"])
            del row["by_label"]
        shown.append(
            {
                "payer": table["payer"],
                "key": table["key"],
                "categories": labels,
                "rows": people,
                "column_totals": [sum(r["amounts"][i] for r in people) for i in range(len(labels))],
                "total": sum(r["total"] for r in people),
            }
        )
    return sorted(shown, key=lambda t: (t["key"][0] == "host", t["payer"]))


def by_category(expense_lines, host_name: str) -> list[dict]:
    """`payer_tables` of these lines (model instances, as `lines` reads them)."""
    labels = _municipality_labels(expense_lines)
    items = []
    for line in expense_lines:
        host_pays = line.payer == Payer.HOST
        muni = line.enrollment.municipality_id if line.enrollment_id else None
        items.append(
            {
                "person": _person_key(line),
                "name": person_of(line),
                "municipality": municipality_of(line),
                "payer": ("host",) if host_pays else ("m", muni),
                "payer_name": host_name if host_pays else labels[muni],
                "kind": line.kind,
                "label": line.label,
                "amount": line.amount,
            }
        )
    return payer_tables(items)


def totals(expense_lines, host_name: str) -> dict:
    """Totals per participant, per payer and per paying municipality (keyed by id, named
    with their prefecture), and the grand total."""
    per_person: dict[tuple, list] = {}
    per_payer: dict[tuple, list] = {}
    per_municipality: dict[int, list] = {}
    labels = _municipality_labels(expense_lines)
    for line in expense_lines:
        per_person.setdefault(_person_key(line), [person_of(line), 0])[1] += line.amount
        if line.payer == Payer.HOST:
            per_payer.setdefault(("host",), [host_name, 0])[1] += line.amount
        else:
            muni = line.enrollment.municipality_id
            label = labels[muni]
            per_payer.setdefault(("m", muni), [label, 0])[1] += line.amount
            per_municipality.setdefault(muni, [label, 0])[1] += line.amount
    return {
        "per_person": sorted(tuple(v) for v in per_person.values()),
        "per_payer": sorted(tuple(v) for v in per_payer.values()),
        "per_municipality": sorted(tuple(v) for v in per_municipality.values()),
        "total": sum(line.amount for line in expense_lines),
    }
