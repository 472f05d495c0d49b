"""Trip documents: the itinerary (print view and PDF, built by a worker) and the expenses
CSV. Built from the same scoped queries as the trip page; outsiders get 404."""

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs import access
from seminars.models import Trip

from . import documents, services
from .models import Report, ReportKind, ReportState


def _trip(request, pk: int, trip_pk: int, *, host_only: bool = False):
    program = access.get_program_for_user(request.user, pk)
    trip = get_object_or_404(
        Trip.objects.visible_to(request.user).select_related("program__host", "created_by"),
        pk=trip_pk,
        program=program,
    )
    is_host = program.host_id in access.host_ids_of(request.user)
    if host_only and not is_host:
        raise Http404
    return program, trip, is_host


def itinerary_print(request, pk: int, trip_pk: int):
    """The host's people: every traveller's page (or one, with ?who=). A trainee: their own
    page only. The PDF is made from the same template."""
    program, trip, is_host = _trip(request, pk, trip_pk)
    who = request.GET.get("who") or None
    if not is_host:
        mine = trip.trainees.filter(trainee=request.user).values_list("pk", flat=True).first()
        if mine is None:
            raise Http404
        who = f"e{mine}"
    context = documents.itinerary_context(trip, who=who)
    if not context["pages"]:
        raise Http404
    latest = (
        Report.objects.filter(kind=ReportKind.ITINERARY, scope=f"trip:{trip.pk}").first()
        if is_host
        else None
    )
    return render(
        request,
        "reports/itinerary.html",
        {**context, "for_pdf": False, "is_host": is_host, "latest": latest},
    )


def itinerary_pdf(request, pk: int, trip_pk: int):
    """Ask for the PDF: the version already built when nothing changed, else a new one that
    a worker builds (never in this web process)."""
    program, trip, _is_host = _trip(request, pk, trip_pk, host_only=True)
    if request.method != "POST":
        return redirect("itinerary_print", pk=program.pk, trip_pk=trip.pk)
    report = services.request_itinerary(trip, by=request.user)
    return redirect("report_status", pk=report.pk)


def _report(request, pk: int) -> Report:
    return get_object_or_404(
        Report.objects.visible_to(request.user).select_related(
            "program", "host", "municipality", "enrollment__trainee", "enrollment__municipality"
        ),
        pk=pk,
    )


def report_status(request, pk: int):
    report = _report(request, pk)
    versions = (
        Report.objects.visible_to(request.user)
        .filter(kind=report.kind, scope=report.scope)
        .order_by("-version")
    )
    trip = (
        Trip.objects.filter(pk=report.trip_id).first()
        if report.kind == ReportKind.ITINERARY
        else None
    )
    return render(
        request,
        "reports/report_status.html",
        {"report": report, "versions": versions, "trip": trip, "program": report.program},
    )


@require_POST
def report_retry(request, pk: int):
    """Whoever may hold the document may build it again after a failure."""
    report = _report(request, pk)
    services.retry(report)
    return redirect("report_status", pk=report.pk)


def report_download(request, pk: int):
    report = _report(request, pk)
    if report.state != ReportState.DONE or not report.file:
        raise Http404
    try:
        handle = report.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=True,
        filename=report.filename,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def trip_expenses_csv(request, pk: int, trip_pk: int):
    program, trip, _is_host = _trip(request, pk, trip_pk, host_only=True)
    header = [
        _("Trip"),
        _("Participant"),
        _("Affiliation"),
        _("Category"),
        _("Amount (yen)"),
        _("Paid by"),
        _("Note"),
    ]
    response = StreamingHttpResponse(
        documents.csv_rows(header, documents.expense_rows(trip)),
        content_type="text/csv; charset=utf-8",
    )
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(
        True, f"旅費_{trip.start_date:%Y%m%d}_{trip.pk}.csv"
    )
    return response
