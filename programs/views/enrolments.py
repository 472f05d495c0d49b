"""A program's enrolments: several registered trainees enrolled at once, each one's mentor
chosen on its row, and a withdrawal asked for, confirmed, then done."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from .. import access
from ..client import client_ip
from ..forms import EnrollForm, MentorForm, WithdrawForm
from ..refusals import show_refusal
from ..selectors.program_page import mentor_options, program_page_context
from ..services import programs as program_services


@require_POST
def enrollment_create(request, pk: int):
    """The trainees ticked, enrolled together (all or none). Refused or nothing ticked, the
    program's page again with the message next to the tick boxes and the ticks kept."""
    program = access.get_program_to_run(request.user, pk)
    form = EnrollForm(request.POST, program=program, user=request.user)
    if form.is_valid():
        trainees = list(form.cleaned_data["trainees"])
        try:
            program_services.enroll_many(
                program,
                trainees,
                by=request.user,
                mentor=form.cleaned_data["mentor"],
                ip=client_ip(request),
            )
        except program_services.ProgramRefused as refused:
            show_refusal(refused, form=form)
        else:
            messages.success(request, enrolled_message(trainees))
            return redirect("programs:program_detail", pk=program.pk)
    context = program_page_context(request.user, program, timezone.localdate(), enroll_form=form)
    return render(request, "programs/program_detail.html", context, status=400)


def enrolled_message(trainees) -> str:
    if len(trainees) == 1:
        return _("%(person)s enrolled.") % {"person": trainees[0]}
    return ngettext(
        "%(count)s trainee enrolled.", "%(count)s trainees enrolled.", len(trainees)
    ) % {"count": len(trainees)}


@require_POST
def enrollment_mentor(request, pk: int, enrollment_pk: int):
    """The mentor of one enrolment, from its row's select. With htmx the row is drawn again
    in place; without, back to the program's page with a message."""
    program = access.get_program_to_run(request.user, pk)
    enrollment = access.get_enrollment_for_user(request.user, program, enrollment_pk)
    form = MentorForm(request.POST, program=program)
    done, error = "", ""
    if form.is_valid():
        try:
            program_services.set_mentor(
                enrollment, form.cleaned_data["mentor"], by=request.user, ip=client_ip(request)
            )
        except program_services.ProgramRefused as refused:
            error = refused.message
        else:
            done = _("Mentor of %(person)s saved.") % {"person": enrollment.trainee}
    else:
        error = _("Choose one of the host company's people.")
    if request.headers.get("HX-Request"):
        enrollment.refresh_from_db()
        row = {"program": program, "e": enrollment, "can_edit": True, "done": done}
        row |= {"error": error, "mentor_options": mentor_options(program)}
        return render(request, "programs/_enrollment_row.html", row)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect("programs:program_detail", pk=program.pk)


@require_http_methods(["GET", "POST"])
def enrollment_withdraw(request, pk: int, enrollment_pk: int):
    """GET: who, what a withdrawal does (what they wrote is kept) and the optional reason;
    POST: the withdrawal."""
    program = access.get_program_to_run(request.user, pk)
    enrollment = access.get_enrollment_for_user(request.user, program, enrollment_pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            program_services.withdraw(
                enrollment,
                by=request.user,
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except program_services.ProgramRefused as refused:
            show_refusal(refused, request=request)
        else:
            messages.success(
                request,
                _("%(person)s withdrawn. What they wrote is kept.")
                % {"person": enrollment.trainee},
            )
        return redirect("programs:program_detail", pk=program.pk)
    context = {"program": program, "enrollment": enrollment, "form": form}
    return render(request, "programs/enrollment_withdraw.html", context)
