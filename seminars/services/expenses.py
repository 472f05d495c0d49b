"""Travel costs in whole yen: lines per participant, and the totals a municipality's
accounting asks for (per person, per payer, per municipality)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from programs.services.activity import record_activity

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
    if plan.amount < 0:
        raise TripRefused(_("An amount cannot be negative."), field="amount")
    if plan.category not in ExpenseCategory.values:
        raise TripRefused(_("Choose a category."), field="category")
    enrollment_id = staff_id = None
    kind, pk = plan.participant[:1], plan.participant[1:]
    if kind == "e" and pk.isdigit() and trip.trainees.filter(pk=int(pk)).exists():
        enrollment_id = int(pk)
    elif kind == "s" and pk.isdigit() and trip.staff.filter(pk=int(pk)).exists():
        staff_id = int(pk)
        if plan.payer == Payer.MUNICIPALITY:
            raise TripRefused(_("The host pays for its own staff."), field="payer")
    else:
        raise TripRefused(_("Choose someone on this trip."), field="participant")
    with transaction.atomic():
        creating = expense is None
        expense = expense or Expense(trip=trip)
        if expense.leg_id and (expense.enrollment_id, expense.staff_id) != (
            enrollment_id,
            staff_id,
        ):
            raise TripRefused(
                _("A fare line follows its leg: change the person on the trip instead."),
                field="participant",
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


def by_category(expense_lines) -> dict:
    """Participant × category, with each row's and each column's total: the table a
    municipality's accounting reads."""
    categories = list(ExpenseCategory)
    rows: dict[str, dict] = {}
    for line in expense_lines:
        name = person_of(line)
        row = rows.setdefault(
            name,
            {"name": name, "municipality": municipality_of(line), "amounts": [0] * len(categories)},
        )
        row["amounts"][categories.index(ExpenseCategory(line.category))] += line.amount
    ordered = [rows[name] for name in sorted(rows)]
    for row in ordered:
        row["total"] = sum(row["amounts"])
    return {
        "categories": [c.label for c in categories],
        "rows": ordered,
        "column_totals": [sum(r["amounts"][i] for r in ordered) for i in range(len(categories))],
    }


def totals(expense_lines, host_name: str) -> dict:
    """Totals per participant, per payer and per paying municipality, and the grand total."""
    per_person: dict[str, int] = defaultdict(int)
    per_payer: dict[str, int] = defaultdict(int)
    per_municipality: dict[str, int] = defaultdict(int)
    for line in expense_lines:
        per_person[person_of(line)] += line.amount
        if line.payer == Payer.HOST:
            per_payer[host_name] += line.amount
        else:
            per_payer[municipality_of(line)] += line.amount
            per_municipality[municipality_of(line)] += line.amount
    return {
        "per_person": sorted(per_person.items()),
        "per_payer": sorted(per_payer.items()),
        "per_municipality": sorted(per_municipality.items()),
        "total": sum(line.amount for line in expense_lines),
    }
