"""Travel costs in whole yen: lines per participant, and the totals a municipality's
accounting asks for (per person, per payer, per municipality)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from config.translated import choice_labels
from programs.formats import money
from programs.integers import id_param
from programs.plain_text import check_plain_text
from programs.services.activity_log import record_activity

from ..models import Expense, ExpenseCategory, Payer, Trip
from .common import TripRefused, refuse_unless_coordinator


@dataclass
class ExpensePlan:
    participant: str  # "e<enrollment pk>" or "s<user pk>", as `trips.participants` keys them
    category: str
    amount: int
    payer: str
    note: str = ""


def save_expense(trip: Trip, plan: ExpensePlan, *, by, expense: Expense | None = None):
    """Add or change a line. The participant must be on the trip; the host pays its own
    staff; amounts are whole, non-negative yen."""
    refuse_unless_coordinator(by, trip.program)
    check_plain_text({"note": plan.note}, refuse=TripRefused)
    if plan.amount < 0:
        raise TripRefused(_("An amount cannot be negative."), field="amount")
    if plan.category not in ExpenseCategory.values:
        raise TripRefused(_("Choose a category."), field="category")
    enrollment_id = staff_id = None
    kind, pk = plan.participant[:1], id_param(plan.participant[1:])
    if kind == "e" and pk is not None and trip.trainees.filter(pk=pk).exists():
        enrollment_id = pk
    elif kind == "s" and pk is not None and trip.staff.filter(pk=pk).exists():
        staff_id = pk
        if plan.payer == Payer.MUNICIPALITY:
            raise TripRefused(_("The host pays for its own staff."), field="payer")
    else:
        raise TripRefused(_("Choose someone on this trip."), field="participant")
    with transaction.atomic():
        creating = expense is None
        expense = expense or Expense(trip=trip)
        if expense.leg_id:
            # A fare line follows its leg: only who pays it is chosen here.
            if (expense.enrollment_id, expense.staff_id) != (enrollment_id, staff_id):
                raise TripRefused(
                    _("A fare line follows its leg: change the person on the trip instead."),
                    field="participant",
                )
            for name in ("amount", "category", "note"):
                if getattr(plan, name) != getattr(expense, name):
                    raise TripRefused(
                        _("A fare line follows its leg: change the leg's fare, or add a line."),
                        field=name,
                    )
        expense.enrollment_id, expense.staff_id = enrollment_id, staff_id
        expense.category, expense.amount = plan.category, plan.amount
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
    if expense.leg_id:
        raise TripRefused(_("A fare line follows its leg: change or remove the leg instead."))
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
    """The lines as the trip page prints them: every cell a ready string (labels looked up
    once, not once per line: a choice label is a translation). `edit_url` is a line's
    address with "{pk}" for its id."""
    categories = choice_labels(ExpenseCategory)
    return [
        {
            "pk": line.pk,
            "edit_url": edit_url.replace("{pk}", str(line.pk)),
            "person": person_of(line),
            "municipality": municipality_of(line),
            "category": categories[line.category],
            "note": line.note,
            "payer": host_name if line.payer == Payer.HOST else municipality_of(line),
            "amount": line.amount,
            "amount_text": money(line.amount),
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


def by_category(expense_lines) -> dict:
    """Participant × category, with each row's and each column's total: the table a
    municipality's accounting reads."""
    categories = list(ExpenseCategory)
    found: dict[tuple, dict] = {}
    for line in expense_lines:
        row = found.setdefault(
            _person_key(line),
            {
                "name": person_of(line),
                "municipality": municipality_of(line),
                "amounts": [0] * len(categories),
            },
        )
        row["amounts"][categories.index(ExpenseCategory(line.category))] += line.amount
    ordered = sorted(found.values(), key=lambda row: (row["municipality"] == "", row["name"]))
    for row in ordered:
        row["total"] = sum(row["amounts"])
    return {
        "categories": list(choice_labels(ExpenseCategory).values()),
        "rows": ordered,
        "column_totals": [sum(r["amounts"][i] for r in ordered) for i in range(len(categories))],
    }


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
