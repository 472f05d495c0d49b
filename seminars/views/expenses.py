"""A trip's expenses: the lines page, and adding, changing and removing a line."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access as trip_access
from .. import forms as f
from ..models import Expense
from ..selectors import expenses as expense_selectors
from ..services import expenses as expense_services
from ..services import travel_costs
from ..services import trips as trip_services
from .common import form_page, lines_url, removed_redirect, saved_redirect, trip_url


def trip_expenses(request, pk: int, trip_pk: int):
    """The trip's expense lines, one by one (the trip page shows their sums): the host's
    people see every line, a trainee their own, a supervisor their municipality's."""
    program, trip, _destinations = trip_access.program_and_trip(request.user, pk, trip_pk)
    if trip is None:
        raise Http404  # outside the person's scope
    return render(
        request,
        "seminars/trip_expenses.html",
        {
            **expense_selectors.lines_context(request.user, program, trip),
            "title": _("Expense lines"),
        },
    )


def expense_edit(request, pk: int, trip_pk: int, expense_pk: int | None = None):
    program, trip = trip_access.get_trip_for_user(request.user, pk, trip_pk, write=True)
    expense = get_object_or_404(Expense, pk=expense_pk, trip=trip) if expense_pk else None
    people = trip_services.participants(trip)
    initial = {}
    if expense:
        initial = {
            "participant": f"e{expense.enrollment_id}"
            if expense.enrollment_id
            else f"s{expense.staff_id}",
            "kind": expense.kind,
            "label": expense.label,
            "amount": expense.amount,
            "payer": expense.payer,
            "note": expense.note,
        }
    form = f.ExpenseForm(request.POST or None, people=people, initial=initial)
    saved = saved_redirect(
        request,
        form,
        lambda data: expense_services.save_expense(
            trip, expense_services.ExpensePlan(**data), by=request.user, expense=expense
        ),
        done=_("Expense saved."),
        to=lambda line: (
            lines_url(program, trip, line) if expense else f"{trip_url(program, trip)}#expenses"
        ),
    )
    return saved or form_page(
        request,
        form,
        title=_("Change an expense") if expense else _("Add an expense"),
        program=program,
        trip=trip,
        back=("seminars:trip_expenses" if expense else "seminars:trip_detail", program.pk, trip.pk),
        submit=_("Save the expense"),
        delete_url=("seminars:expense_delete", program.pk, trip.pk, expense.pk)
        if expense and not expense.generated
        else None,
    )


@require_POST
def expense_delete(request, pk: int, trip_pk: int, expense_pk: int):
    program, trip = trip_access.get_trip_for_user(request.user, pk, trip_pk, write=True)
    expense = get_object_or_404(Expense, pk=expense_pk, trip=trip)
    return removed_redirect(
        request,
        lambda: expense_services.delete_expense(expense, by=request.user),
        done=_("Expense removed."),
        to=lines_url(program, trip),
    )


@require_POST
def expenses_recompute(request, pk: int, trip_pk: int):
    """Compute the trip's lines again from its legs, nights and the payers' rules as they
    stand (a finished trip keeps its lines until this is asked for); typed lines stay."""
    program, trip = trip_access.get_trip_for_user(request.user, pk, trip_pk, write=True)
    return removed_redirect(
        request,
        lambda: travel_costs.recompute(trip, by=request.user),
        done=_("The lines were computed again from the payers' rules."),
        to=lines_url(program, trip),
    )
