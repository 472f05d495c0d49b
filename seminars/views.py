"""Pages of trips, seminars and trip reports. Each starts from the program the person may
see and a scoped query inside it: anything outside answers 404; a reader who tries to change
something gets 403."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs import access
from programs import cache as kenshu_cache
from programs.integers import id_param

from . import access as trip_access
from . import forms as f
from . import trip_pages
from .models import (
    Expense,
    FollowUp,
    Leg,
    Material,
    Trip,
    TripReport,
    TripReportStatus,
)
from .services import expenses as expense_services
from .services import legs as leg_services
from .services import seminars as seminar_services
from .services import trip_reports as report_services
from .services import trips as trip_services
from .services.common import TripRefused, host_people


def _refused(form, refused: TripRefused) -> None:
    form.add_error(refused.field if refused.field in form.fields else None, refused.message)


def _saved(request, form, save, *, done: str, to):
    """On a valid POST: `save(cleaned_data)` through a service; accepted, its message and a
    redirect to `to(result)`; refused, the message next to its field and None (the caller
    shows the form again with what the person typed)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except TripRefused as refused:
        _refused(form, refused)
        return None
    messages.success(request, done)
    return redirect(to(result))


def _form_page(request, form, *, title, program, back, submit, trip=None, delete_url=None):
    return render(
        request,
        "seminars/form.html",
        {
            "form": form,
            "title": title,
            "program": program,
            "trip": trip,
            "back_url": reverse(back[0], args=back[1:]),
            "submit": submit,
            "delete_url": reverse(delete_url[0], args=delete_url[1:]) if delete_url else None,
        },
    )


# Trips -------------------------------------------------------------------------------------


def trip_list(request, pk: int):
    program = access.get_program_for_user(request.user, pk)
    content = kenshu_cache.cached_render(
        request,
        "seminars/trip_list_content.html",
        lambda: trip_pages.trip_list_context(request.user, program),
        kind="trips",
        scopes=_trip_page_scopes(program),
        parts=(program.pk,),
    )
    return render(request, "seminars/trip_list.html", {"program": program, "content": content})


def _trip_page_scopes(program) -> list[str]:
    """Trip pages are kept rendered until a trip, seminar or report of this program, or its
    week (enrolments, people), changes."""
    return kenshu_cache.program_page_scopes(program, "week", "seminars")


def _plan(data: dict) -> trip_services.TripPlan:
    return trip_services.TripPlan(
        purpose=data["purpose"],
        start_date=data["start_date"],
        end_date=data["end_date"],
        municipalities=list(data["municipalities"]),
        places=data["places"],
        trainees=list(data["trainees"]),
        staff=list(data["staff"]),
        lodging=data["lodging"],
        status=data["status"],
    )


def trip_new(request, pk: int):
    program = access.get_program_for_user(request.user, pk, write=True)
    # Usually every trainee goes, with the coordinator who plans it.
    initial = {
        "start_date": program.start_date,
        "end_date": program.start_date,
        "trainees": list(program.enrollments.active()),
        "staff": [request.user],
    }
    form = f.TripForm(request.POST or None, program=program, initial=initial)
    saved = _saved(
        request,
        form,
        lambda data: trip_services.save_trip(program, _plan(data), by=request.user),
        done=_("Trip saved. Add its legs and seminars."),
        to=lambda trip: trip_url(program, trip),
    )
    return saved or _form_page(
        request,
        form,
        title=_("Plan a trip"),
        program=program,
        back=("seminars:trip_list", program.pk),
        submit=_("Save the trip"),
    )


def trip_edit(request, pk: int, trip_pk: int):
    program, trip = trip_access.get_trip_for_user(request.user, pk, trip_pk, write=True)
    initial = {
        "purpose": trip.purpose,
        "start_date": trip.start_date,
        "end_date": trip.end_date,
        "municipalities": list(trip.municipalities.all()),
        "places": trip.places,
        "trainees": list(trip.trainees.all()),
        "staff": list(trip.staff.all()),
        "lodging": trip.lodging,
        "status": trip.status,
    }
    form = f.TripForm(request.POST or None, program=program, trip=trip, initial=initial)
    saved = _saved(
        request,
        form,
        lambda data: trip_services.save_trip(program, _plan(data), by=request.user, trip=trip),
        done=_("Trip saved; the week follows it."),
        to=lambda trip: trip_url(program, trip),
    )
    return saved or _form_page(
        request,
        form,
        title=_("Change the trip"),
        program=program,
        trip=trip,
        back=("seminars:trip_detail", program.pk, trip.pk),
        submit=_("Save the trip"),
    )


def trip_detail(request, pk: int, trip_pk: int):
    """The trip page. Who may see it is decided from the database on every request (the
    trip is found in the person's scope, with its destinations, in one query); only what
    it shows is kept rendered, per person, until this program's trips or week change."""
    program, trip, destinations = trip_pages.program_and_trip(request.user, pk, trip_pk)
    if trip is None:
        raise Http404  # outside the person's scope
    html = kenshu_cache.cached_render(
        request,
        "seminars/trip_detail_content.html",
        lambda: trip_pages.trip_context(request.user, program, trip, destinations),
        kind="trip",
        scopes=_trip_page_scopes(program),
        parts=(program.pk, trip.pk),
    )
    return render(
        request,
        "seminars/trip_detail.html",
        {"program": program, "title": trip.purpose, "content": html},
    )


def trip_expenses(request, pk: int, trip_pk: int):
    """The trip's expense lines, one by one (the trip page shows their sums): the host's
    people see every line, a trainee their own, a supervisor their municipality's."""
    program, trip, _destinations = trip_pages.program_and_trip(request.user, pk, trip_pk)
    if trip is None:
        raise Http404  # outside the person's scope
    return render(
        request,
        "seminars/trip_expenses.html",
        {**trip_pages.lines_context(request.user, program, trip), "title": _("Expense lines")},
    )


# Legs --------------------------------------------------------------------------------------


def leg_edit(request, pk: int, trip_pk: int, leg_pk: int | None = None):
    program, trip = trip_access.get_trip_for_user(request.user, pk, trip_pk, write=True)
    leg = get_object_or_404(Leg, pk=leg_pk, trip=trip) if leg_pk else None
    if leg:
        initial = {name: getattr(leg, name) for name in f.LegForm.base_fields}
    else:
        initial = f.LegForm.initial_after(trip.legs.last())
        initial.setdefault("depart_at", f"{trip.start_date.isoformat()}T09:00")
        initial.setdefault("arrive_at", f"{trip.start_date.isoformat()}T10:00")
    form = f.LegForm(request.POST or None, initial=initial)
    saved = _saved(
        request,
        form,
        lambda data: leg_services.save_leg(
            trip, leg_services.LegPlan(**data), by=request.user, leg=leg
        ),
        done=_("Leg saved; the week and the fares follow it."),
        to=lambda _leg: trip_url(program, trip),
    )
    return saved or _form_page(
        request,
        form,
        title=_("Change a leg") if leg else _("Add a leg"),
        program=program,
        trip=trip,
        back=("seminars:trip_detail", program.pk, trip.pk),
        submit=_("Save the leg"),
        delete_url=("seminars:leg_delete", program.pk, trip.pk, leg.pk) if leg else None,
    )


@require_POST
def leg_delete(request, pk: int, trip_pk: int, leg_pk: int):
    program, trip = trip_access.get_trip_for_user(request.user, pk, trip_pk, write=True)
    leg = get_object_or_404(Leg, pk=leg_pk, trip=trip)
    try:
        leg_services.delete_leg(leg, by=request.user)
    except TripRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Leg removed."))
    return redirect("seminars:trip_detail", pk=program.pk, trip_pk=trip.pk)


# Expenses ----------------------------------------------------------------------------------


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
            "category": expense.category,
            "amount": expense.amount,
            "payer": expense.payer,
            "note": expense.note,
        }
    form = f.ExpenseForm(request.POST or None, people=people, initial=initial)
    saved = _saved(
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
    return saved or _form_page(
        request,
        form,
        title=_("Change an expense") if expense else _("Add an expense"),
        program=program,
        trip=trip,
        back=("seminars:trip_expenses" if expense else "seminars:trip_detail", program.pk, trip.pk),
        submit=_("Save the expense"),
        delete_url=("seminars:expense_delete", program.pk, trip.pk, expense.pk)
        if expense and not expense.leg_id
        else None,
    )


def trip_url(program, trip) -> str:
    return reverse("seminars:trip_detail", args=[program.pk, trip.pk])


def lines_url(program, trip, line=None) -> str:
    """The expense lines page, at a line where one is named."""
    url = reverse("seminars:trip_expenses", args=[program.pk, trip.pk])
    return f"{url}#line-{line.pk}" if line else url


@require_POST
def expense_delete(request, pk: int, trip_pk: int, expense_pk: int):
    program, trip = trip_access.get_trip_for_user(request.user, pk, trip_pk, write=True)
    expense = get_object_or_404(Expense, pk=expense_pk, trip=trip)
    try:
        expense_services.delete_expense(expense, by=request.user)
    except TripRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Expense removed."))
    return redirect(lines_url(program, trip))


# Seminars ----------------------------------------------------------------------------------


def seminar_edit(request, pk: int, seminar_pk: int | None = None):
    if seminar_pk:
        program, seminar = trip_access.get_seminar_for_user(
            request.user, pk, seminar_pk, write=True
        )
        trip = seminar.trip
        initial = {name: getattr(seminar, name) for name in f.SeminarForm.base_fields}
    else:
        program = access.get_program_for_user(request.user, pk, write=True)
        seminar = None
        trip = None
        if "trip" in request.GET:  # the trip the new seminar belongs to: one of the program's
            trip_pk = id_param(request.GET["trip"])
            if trip_pk is None:
                raise Http404
            trip = get_object_or_404(Trip, pk=trip_pk, program=program)
        first_day = trip.start_date if trip else program.start_date
        initial = {"date": first_day, "start_time": "13:00", "end_time": "15:00"}
    form = f.SeminarForm(request.POST or None, program=program, initial=initial)
    saved = _saved(
        request,
        form,
        lambda data: seminar_services.save_seminar(
            program,
            seminar_services.SeminarPlan(**data),
            by=request.user,
            trip=trip,
            seminar=seminar,
        ),
        done=_("Seminar saved; it is in the week."),
        to=lambda saved: reverse("seminars:seminar_detail", args=[program.pk, saved.pk]),
    )
    if saved:
        return saved
    if seminar:
        back = ("seminars:seminar_detail", program.pk, seminar.pk)
    elif trip:
        back = ("seminars:trip_detail", program.pk, trip.pk)
    else:
        back = ("seminars:trip_list", program.pk)
    return _form_page(
        request,
        form,
        title=_("Change the seminar") if seminar else _("Add a seminar"),
        program=program,
        trip=trip,
        back=back,
        submit=_("Save the seminar"),
        delete_url=("seminars:seminar_delete", program.pk, seminar.pk) if seminar else None,
    )


def seminar_detail(request, pk: int, seminar_pk: int):
    program, seminar = trip_access.get_seminar_for_user(request.user, pk, seminar_pk)
    can_edit = access.can_edit_program(request.user, program)
    roles = seminar.roles.select_related("enrollment__trainee")
    follow_ups = seminar.follow_ups.select_related("owner")
    if not access.works_for_host(request.user, program):
        # A supervisor sees their own municipality's trainees; a trainee their own row and
        # the follow-ups they own.
        from programs.models import Enrollment

        roles = roles.filter(enrollment__in=Enrollment.objects.visible_to(request.user))
        follow_ups = follow_ups.filter(owner=request.user)
    roles = list(roles)
    context = {
        "program": program,
        "seminar": seminar,
        "roles": roles,
        "follow_ups": follow_ups,
        "materials": seminar.materials.all(),
        "can_edit": can_edit,
    }
    if can_edit:
        enrollments = (
            seminar.trip.trainees.select_related("trainee")
            if seminar.trip_id
            else program.enrollments.active().select_related("trainee")
        )
        context["roles_form"] = f.RolesForm(
            enrollments=enrollments, current={r.enrollment_id: r.role for r in roles}
        )
        context["follow_up_form"] = f.FollowUpForm(owners=_owners(program))
        context["material_form"] = f.MaterialForm()
    return render(request, "seminars/seminar_detail.html", context)


def _owners(program):
    from programs.models import User

    return User.objects.filter(
        pk__in=[*host_people(program).values_list("pk", flat=True)]
        + list(program.enrollments.active().values_list("trainee", flat=True))
    ).order_by("family_name_kana", "email")


@require_POST
def seminar_delete(request, pk: int, seminar_pk: int):
    program, seminar = trip_access.get_seminar_for_user(request.user, pk, seminar_pk, write=True)
    trip = seminar.trip
    seminar_services.delete_seminar(seminar, by=request.user)
    messages.success(request, _("Seminar removed from the week."))
    if trip:
        return redirect("seminars:trip_detail", pk=program.pk, trip_pk=trip.pk)
    return redirect("seminars:trip_list", pk=program.pk)


def seminar_roles(request, pk: int, seminar_pk: int):
    program, seminar = trip_access.get_seminar_for_user(request.user, pk, seminar_pk, write=True)
    if request.method != "POST":  # a reload of a refused form's address
        return redirect("seminars:seminar_detail", pk=program.pk, seminar_pk=seminar.pk)
    enrollments = seminar.trip.trainees.all() if seminar.trip_id else program.enrollments.active()
    form = f.RolesForm(request.POST, enrollments=enrollments, current={})
    if form.is_valid():
        try:
            seminar_services.set_roles(seminar, form.roles(), by=request.user)
        except TripRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Roles saved."))
    return redirect("seminars:seminar_detail", pk=program.pk, seminar_pk=seminar.pk)


def _seminar_form(request, program, seminar, form, action, *, done: str, title: str, submit: str):
    """A form posted from the seminar's page: back to it when the service accepts, the
    form again with the message next to its field when it refuses."""
    saved = _saved(
        request,
        form,
        action,
        done=done,
        to=lambda _result: reverse("seminars:seminar_detail", args=[program.pk, seminar.pk]),
    )
    return saved or _form_page(
        request,
        form,
        title=title,
        program=program,
        trip=seminar.trip,
        back=("seminars:seminar_detail", program.pk, seminar.pk),
        submit=submit,
    )


def follow_up_add(request, pk: int, seminar_pk: int):
    program, seminar = trip_access.get_seminar_for_user(request.user, pk, seminar_pk, write=True)
    if request.method != "POST":  # a reload of a refused form's address
        return redirect("seminars:seminar_detail", pk=program.pk, seminar_pk=seminar.pk)
    return _seminar_form(
        request,
        program,
        seminar,
        f.FollowUpForm(request.POST, owners=_owners(program)),
        lambda data: seminar_services.add_follow_up(
            seminar, data["action"], data["owner"], data["due_date"], by=request.user
        ),
        done=_("Follow-up added."),
        title=_("Add a follow-up"),
        submit=_("Add"),
    )


@require_POST
def follow_up_done(request, pk: int, seminar_pk: int, follow_up_pk: int):
    program, seminar = trip_access.get_seminar_for_user(request.user, pk, seminar_pk, write=True)
    follow_up = get_object_or_404(FollowUp, pk=follow_up_pk, seminar=seminar)
    seminar_services.set_follow_up_done(follow_up, request.POST.get("done") == "1", by=request.user)
    return redirect("seminars:seminar_detail", pk=program.pk, seminar_pk=seminar.pk)


def material_upload(request, pk: int, seminar_pk: int):
    program, seminar = trip_access.get_seminar_for_user(request.user, pk, seminar_pk, write=True)
    if request.method != "POST":  # a reload of a refused form's address
        return redirect("seminars:seminar_detail", pk=program.pk, seminar_pk=seminar.pk)
    return _seminar_form(
        request,
        program,
        seminar,
        f.MaterialForm(request.POST, request.FILES),
        lambda data: seminar_services.add_material(seminar, data["file"], by=request.user),
        done=_("Material added."),
        title=_("Add a material"),
        submit=_("Upload"),
    )


def material_download(request, pk: int, seminar_pk: int, material_pk: int):
    program, seminar = trip_access.get_seminar_for_user(request.user, pk, seminar_pk)
    material = get_object_or_404(Material, pk=material_pk, seminar=seminar)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        content_type=material.content_type,
        as_attachment=not material.content_type.startswith("image/"),
        filename=material.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def material_delete(request, pk: int, seminar_pk: int, material_pk: int):
    program, seminar = trip_access.get_seminar_for_user(request.user, pk, seminar_pk, write=True)
    material = get_object_or_404(Material, pk=material_pk, seminar=seminar)
    seminar_services.delete_material(material, by=request.user)
    messages.success(request, _("Material removed."))
    return redirect("seminars:seminar_detail", pk=program.pk, seminar_pk=seminar.pk)


# Trip reports (復命書) -----------------------------------------------------------------------


def trip_report_write(request, pk: int, trip_pk: int):
    """The trainee's own report on a trip they went on."""
    program, trip = trip_access.get_trip_for_user(request.user, pk, trip_pk)
    enrollment = trip.trainees.filter(trainee=request.user).select_related(
        "trainee", "municipality"
    )
    enrollment = enrollment.first()
    if enrollment is None:
        raise Http404
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
    report = report or report_services.report_for(trip, enrollment)
    form = f.TripReportForm(
        request.POST or None,
        initial={name: getattr(report, name) for name in report_services.FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        text = report_services.ReportText(**form.cleaned_data)
        try:
            if "submit" in request.POST:
                report_services.submit(report, text, by=request.user)
                messages.success(request, _("Trip report submitted."))
            else:
                report_services.save_report(report, text, by=request.user)
                messages.success(request, _("Draft saved."))
        except TripRefused as refused:
            _refused(form, refused)
        else:
            return redirect("seminars:trip_report_write", pk=program.pk, trip_pk=trip.pk)
    return render(
        request,
        "seminars/trip_report_write.html",
        {
            "program": program,
            "trip": trip,
            "report": report,
            "header": report_services.header(report),
            "form": form,
            "locked": report.status == TripReportStatus.ACKNOWLEDGED or not writable,
        },
    )


def trip_report_detail(request, pk: int, trip_pk: int, report_pk: int):
    program, trip = trip_access.get_trip_for_user(request.user, pk, trip_pk)
    report = get_object_or_404(
        TripReport.objects.visible_to(request.user).select_related(
            "enrollment__trainee", "enrollment__municipality", "acknowledged_by"
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
        },
    )


@require_POST
def trip_report_acknowledge(request, pk: int, trip_pk: int, report_pk: int):
    program, trip = trip_access.get_trip_for_user(request.user, pk, trip_pk, write=True)
    report = get_object_or_404(TripReport.objects.visible_to(request.user), pk=report_pk, trip=trip)
    try:
        report_services.acknowledge(report, by=request.user)
    except TripRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Acknowledged."))
    return redirect(
        "seminars:trip_report_detail", pk=program.pk, trip_pk=trip.pk, report_pk=report.pk
    )
