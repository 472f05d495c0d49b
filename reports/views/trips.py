"""Trip documents: the itinerary (print view and PDF, built by a worker) and the expenses
CSV. Built from the same scoped queries as the trip page; outsiders get 404."""

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from seminars.access import sees_trip_numbers

from .. import documents
from ..access import get_trip_for_user
from ..selectors.documents import latest_itinerary
from ..selectors.export_trips import expense_header, expense_lines
from ..services import documents as document_services


def itinerary_print(request, pk: int, trip_pk: int):
    """The host's people: every traveller's page (or one, with ?who=). A trainee: their own
    page only. The PDF is made from the same template; on a phone the page shows the
    schedule as cards, from the next one while the trip is on."""
    program, trip, is_host = get_trip_for_user(request.user, pk, trip_pk)
    who = request.GET.get("who") or None
    travellers = []
    if not is_host:
        mine = trip.trainees.filter(trainee=request.user).values_list("pk", flat=True).first()
        if mine is None:
            raise Http404
        who = f"e{mine}"
        travellers = [request.user.pk]  # a trainee on the trip
    context = documents.itinerary_context(
        trip,
        who=who,
        now=timezone.now(),
        sees_numbers=sees_trip_numbers(request.user, is_host=is_host, traveller_ids=travellers),
    )
    if not context["pages"]:
        raise Http404
    latest = latest_itinerary(trip) if is_host else None
    return render(
        request,
        "reports/itinerary.html",
        {**context, "for_pdf": False, "is_host": is_host, "latest": latest},
    )


def itinerary_pdf(request, pk: int, trip_pk: int):
    """Ask for the PDF: the version already built when nothing changed, else a new one that
    a worker builds (never in this web process)."""
    program, trip, _is_host = get_trip_for_user(request.user, pk, trip_pk, host_only=True)
    if request.method != "POST":
        return redirect("reports:itinerary_print", pk=program.pk, trip_pk=trip.pk)
    report = document_services.request_itinerary(trip, by=request.user)
    return redirect("reports:report_status", pk=report.pk)


def trip_expenses_csv(request, pk: int, trip_pk: int):
    program, trip, _is_host = get_trip_for_user(request.user, pk, trip_pk, host_only=True)
    response = StreamingHttpResponse(
        # The exports' expense lines without their program and dates columns.
        documents.csv_rows(
            expense_header()[3:], (row[3:] for row in expense_lines(trip.expenses.all()))
        ),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"旅費_{trip.start_date:%Y%m%d}_{trip.pk}.csv"
    )
    return response
