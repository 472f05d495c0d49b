"""Trip reports (復命書): the trainee writes theirs, a reader opens one, a coordinator
acknowledges it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs import access
from programs.autosave import client_markers, invalid_answer, refused_answer, saved_answer
from programs.client import posted_next
from programs.refusals import show_refusal

from .. import access as trip_access
from .. import forms as f
from ..models import TripReport, TripReportStatus
from ..selectors import trip_reports as selectors
from ..services import trip_reports as report_services
from ..services.common import TripRefused


def trip_report_write(request, pk: int, trip_pk: int):
    """The trainee's own report on a trip they went on, saved as they type (see
    static/js/reflection.js and `trip_report_autosave`). A GET writes nothing: until the
    trainee first saves it, the page shows a new, empty report, and the POST that saves it
    creates the row."""
    program, trip, enrollment = trip_access.get_own_trip_enrollment(request.user, pk, trip_pk)
    writable = report_services.can_write(trip)
    report = TripReport.objects.filter(trip=trip, enrollment=enrollment).first()
    if not writable and (report is None or report.status == TripReportStatus.DRAFT):
        # Nothing filed to read back: say when it can be written, or that it cannot.
        messages.info(
            request,
            _("You can write your trip report from the first day of the trip.")
            if trip.start_date > timezone.localdate()
            else _("This trip's reports are closed."),
        )
        return redirect("seminars:trip_detail", pk=program.pk, trip_pk=trip.pk)
    report = report or report_services.new_report(trip, enrollment)
    form = f.TripReportForm(
        request.POST or None,
        initial={name: getattr(report, name) for name in report_services.FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        text = report_services.ReportText(**form.cleaned_data)
        markers = client_markers(request.POST)
        try:
            if "submit" in request.POST:
                report_services.submit(report, text, by=request.user, **markers)
                messages.success(request, _("Trip report submitted."))
            else:
                report_services.save_report(report, text, by=request.user, **markers)
                messages.success(request, _("Draft saved."))
        except TripRefused as refused:
            show_refusal(refused, form=form)
        else:
            return redirect("seminars:trip_report_write", pk=program.pk, trip_pk=trip.pk)
    context = selectors.write_page(program, trip, report, form, writable=writable)
    return render(request, "seminars/trip_report_write.html", context)


@require_POST
def trip_report_autosave(request, pk: int, trip_pk: int):
    """The write page's automatic save: answers JSON as a reflection's does (the page shows
    it, never reloads). Only the trainee on the trip; refused once the report is submitted."""
    _program, trip, enrollment = trip_access.get_own_trip_enrollment(request.user, pk, trip_pk)
    form = f.TripReportForm(request.POST)
    if not form.is_valid():
        return invalid_answer(form)
    report = TripReport.objects.filter(trip=trip, enrollment=enrollment).first()
    try:
        report_services.refuse_unless_writable(trip, timezone.localdate())
        saved = report_services.save_report(
            report or report_services.new_report(trip, enrollment),
            report_services.ReportText(**form.cleaned_data),
            by=request.user,
            **client_markers(request.POST),
        )
    except TripRefused as refused:
        return refused_answer(refused)
    return saved_answer(request, saved.report, saved.applied)


def trip_report_detail(request, pk: int, trip_pk: int, report_pk: int):
    program, trip = trip_access.get_trip_for_user(request.user, pk, trip_pk)
    report = get_object_or_404(
        TripReport.objects.visible_to(request.user).select_related(
            "enrollment__trainee",
            "enrollment__municipality",
            "acknowledged_by",
            "municipality_confirmed_by",
        ),
        pk=report_pk,
        trip=trip,
    )
    return render(
        request,
        "seminars/trip_report_detail.html",
        {
            "program": program,
            "trip": trip,
            "report": report,
            "header": report_services.header(report),
            "can_acknowledge": access.can_edit_program(request.user, program)
            and report.status == TripReportStatus.SUBMITTED,
            "can_confirm": report.status != TripReportStatus.DRAFT
            and report_services.may_confirm(request.user, report),
        },
    )


@require_POST
def trip_report_acknowledge(request, pk: int, trip_pk: int, report_pk: int):
    program, trip = trip_access.get_trip_for_user(request.user, pk, trip_pk, write=True)
    report = get_object_or_404(TripReport.objects.visible_to(request.user), pk=report_pk, trip=trip)
    try:
        report_services.acknowledge(report, by=request.user)
    except TripRefused as refused:
        show_refusal(refused, request=request)
    else:
        messages.success(request, _("Acknowledged."))
    return redirect(
        "seminars:trip_report_detail", pk=program.pk, trip_pk=trip.pk, report_pk=report.pk
    )


@require_POST
def trip_report_confirm(request, pk: int, trip_pk: int, report_pk: int):
    """The municipality's 確認 by its contact. Outside the person's scope: 404; in it but
    not a contact of the trainee's municipality (the host's people, the trainee): 403."""
    program, trip = trip_access.get_trip_for_user(request.user, pk, trip_pk)
    report = get_object_or_404(
        TripReport.objects.visible_to(request.user).select_related(
            "enrollment__municipality", "trip__program__host"
        ),
        pk=report_pk,
        trip=trip,
    )
    if not report_services.may_confirm(request.user, report):
        raise PermissionDenied
    try:
        report_services.confirm_for_municipality(
            report, by=request.user, now=timezone.now(), seen=request.POST.get("seen", "")[:40]
        )
    except TripRefused as refused:
        show_refusal(refused, request=request)
    else:
        messages.success(request, _("Confirmed."))
    detail = reverse("seminars:trip_report_detail", args=[program.pk, trip.pk, report.pk])
    return redirect(posted_next(request, detail))
