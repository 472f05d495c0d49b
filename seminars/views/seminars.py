"""Seminars, with what their page holds: the trainees' roles, the follow-ups and the
materials."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs import access, stored_files, way_out
from programs.integers import id_param
from programs.refusals import show_refusal

from .. import access as trip_access
from .. import forms as f
from ..models import FollowUp, Material, Trip
from ..selectors import planning
from ..services import seminars as seminar_services
from ..services.common import TripRefused, host_people
from .common import form_page, saved_redirect


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
        if "from" in request.GET:  # a seminar placeholder of the week (予定枠)
            placeholder = planning.placeholder_of(program, id_param(request.GET["from"]))
            if placeholder is None:
                raise Http404
            initial = planning.seminar_initial(placeholder)
            trip = trip or planning.trip_on(program, placeholder.date)
    form = f.SeminarForm(request.POST or None, program=program, initial=initial)
    room = way_out.posted(request.POST)  # a button of the clash's way out
    saved = saved_redirect(
        request,
        form,
        lambda data: seminar_services.save_seminar(
            program,
            seminar_services.SeminarPlan(**data),
            by=request.user,
            trip=trip,
            seminar=seminar,
            make_room=room,
        ),
        done=_("Seminar saved; it is in the week."),
        then=lambda: way_out.made_room(room),
        to=lambda saved: _saved_url(program, saved),
    )
    if saved:
        return saved
    if seminar:
        back = ("seminars:seminar_detail", program.pk, seminar.pk)
    elif trip:
        back = ("seminars:trip_detail", program.pk, trip.pk)
    else:
        back = ("seminars:trip_list", program.pk)
    return form_page(
        request,
        form,
        title=_("Change the seminar") if seminar else _("Add a seminar"),
        program=program,
        trip=trip,
        back=back,
        submit=_("Save the seminar"),
        delete_url=("seminars:seminar_delete", program.pk, seminar.pk) if seminar else None,
        clash=_clash(request, form, program),
    )


def _saved_url(program, seminar) -> str:
    """A trip's seminar is read on the trip's page; a local one on its own."""
    if seminar.trip_id:
        return reverse("seminars:trip_detail", args=[program.pk, seminar.trip_id])
    return reverse("seminars:seminar_detail", args=[program.pk, seminar.pk])


def _clash(request, form, program):
    refused = getattr(form, "refusal", None)
    if refused is None:
        return None
    plan = seminar_services.SeminarPlan(**form.typed)
    return way_out.clash_context(refused, program, request.user, plan)


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
            show_refusal(refused, request=request)
        else:
            messages.success(request, _("Roles saved."))
    return redirect("seminars:seminar_detail", pk=program.pk, seminar_pk=seminar.pk)


def _seminar_form(request, pk, seminar_pk, make_form, action, *, done, title, submit):
    """A form posted from the seminar's page: back to it when the service accepts, the
    form again with the message next to its field when it refuses. `make_form(program)`
    reads the POST; `action(seminar, cleaned_data)` calls the service."""
    program, seminar = trip_access.get_seminar_for_user(request.user, pk, seminar_pk, write=True)
    if request.method != "POST":  # a reload of a refused form's address
        return redirect("seminars:seminar_detail", pk=program.pk, seminar_pk=seminar.pk)
    form = make_form(program)
    saved = saved_redirect(
        request,
        form,
        lambda data: action(seminar, data),
        done=done,
        to=lambda _result: reverse("seminars:seminar_detail", args=[program.pk, seminar.pk]),
    )
    return saved or form_page(
        request,
        form,
        title=title,
        program=program,
        trip=seminar.trip,
        back=("seminars:seminar_detail", program.pk, seminar.pk),
        submit=submit,
    )


def follow_up_add(request, pk: int, seminar_pk: int):
    return _seminar_form(
        request,
        pk,
        seminar_pk,
        lambda program: f.FollowUpForm(request.POST, owners=_owners(program)),
        lambda seminar, data: seminar_services.add_follow_up(
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
    return _seminar_form(
        request,
        pk,
        seminar_pk,
        lambda _program: f.MaterialForm(request.POST, request.FILES),
        lambda seminar, data: seminar_services.add_material(seminar, data["file"], by=request.user),
        done=_("Material added."),
        title=_("Add a material"),
        submit=_("Upload"),
    )


def material_download(request, pk: int, seminar_pk: int, material_pk: int):
    program, seminar = trip_access.get_seminar_for_user(request.user, pk, seminar_pk)
    material = get_object_or_404(Material, pk=material_pk, seminar=seminar)
    return stored_files.download(
        request,
        material.file,
        filename=material.name,
        content_type=material.content_type,
        as_attachment=not material.content_type.startswith("image/"),
    )


@require_POST
def material_delete(request, pk: int, seminar_pk: int, material_pk: int):
    program, seminar = trip_access.get_seminar_for_user(request.user, pk, seminar_pk, write=True)
    material = get_object_or_404(Material, pk=material_pk, seminar=seminar)
    seminar_services.delete_material(material, by=request.user)
    messages.success(request, _("Material removed."))
    return redirect("seminars:seminar_detail", pk=program.pk, seminar_pk=seminar.pk)
