"""Programs: list, create, edit, detail, the status workflow and enrolments."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from config.translated import choice_labels

from .. import access, registry
from .. import cache as kenshu_cache
from ..client import client_ip
from ..forms import EnrollForm, ProgramForm, StartingWeekForm, WithdrawForm
from ..models import Enrollment, HostCompany, Status
from ..refusals import show_refusal
from ..selectors.program_list import program_list_context
from ..services import programs as program_services
from ..services import week as week_services
from ..services import week_templates


def program_list(request):
    """A page of 50 programs: a fixed number of queries whatever the number of programs or
    trainees; the rendered content is cached until a program, enrolment or person changes."""
    content = kenshu_cache.cached_render(
        request,
        "programs/program_list_content.html",
        lambda: program_list_context(request.user, request.GET, timezone.localdate()),
        kind="program_list",
        scopes=kenshu_cache.host_page_scopes(
            access.hosts_of_visible_programs(request.user), "week"
        ),
        parts=(request.GET.urlencode(),),
    )
    return render(request, "programs/program_list.html", {"content": content})


def program_create(request):
    hosts = list(HostCompany.objects.coordinated_by(request.user))
    if not hosts:
        return render(request, "programs/no_role.html", status=404)
    host_id = request.POST.get("host") or request.GET.get("host")
    host = next((h for h in hosts if str(h.pk) == str(host_id)), hosts[0])
    form = ProgramForm(request.POST or None)
    week_form = StartingWeekForm(request.POST or None, user=request.user, host=host, prefix="week")
    if request.method == "POST" and form.is_valid() and week_form.is_valid():
        program = form.save(commit=False)
        program.host = host
        template = week_form.cleaned_data["template"]
        try:
            created = week_templates.start_program(
                program,
                template,
                skip_weekends=week_form.cleaned_data["skip_weekends"],
                by=request.user,
                ip=client_ip(request),
            )
        except week_services.ActivityRefused as refused:  # the template does not fit
            week_form.add_error("template", refused.message)
        except program_services.ProgramRefused as refused:
            show_refusal(refused, form=form)
        else:
            if template is None:
                messages.success(request, _("Program created. Now build its week."))
            else:
                messages.success(
                    request,
                    _("Program created with %(count)s activities from “%(name)s”.")
                    % {"count": len(created), "name": template.name},
                )
            return redirect("programs:week_grid", pk=program.pk)
    return render(
        request,
        "programs/program_form.html",
        {"form": form, "week_form": week_form, "hosts": hosts, "host": host, "program": None},
    )


def program_edit(request, pk: int):
    program = access.get_program_for_user(request.user, pk, write=True)
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        saved = _save_program(
            request, form, form.save(commit=False), _("Program saved."), "programs:program_detail"
        )
        if saved:
            return saved
    return render(
        request,
        "programs/program_form.html",
        {"form": form, "program": program, "host": program.host},
    )


def _save_program(request, form, program, done: str, to: str):
    """Save the program a valid form holds: its message and a redirect to the page `to`
    names; refused, the message next to its field and None (the form is shown again)."""
    try:
        program_services.save_program(program, by=request.user, ip=client_ip(request))
    except program_services.ProgramRefused as refused:
        show_refusal(refused, form=form)
        return None
    messages.success(request, done)
    return redirect(to, pk=program.pk)


def program_detail(request, pk: int):
    program = access.get_program_for_user(request.user, pk)
    can_edit = access.can_edit_program(request.user, program)
    enrollments = list(
        Enrollment.objects.visible_to(request.user)
        .filter(program=program)
        .select_related("trainee", "municipality", "mentor")
        .order_by("withdrawn_at", "trainee__family_name_kana", "trainee__email")
    )
    context = {
        "program": program,
        "status": program.effective_status,
        "status_label": choice_labels(Status)[program.effective_status],
        "moves": program_services.allowed_moves(program, timezone.localdate()) if can_edit else [],
        "can_edit": can_edit,
        "enrollments": enrollments,
        "sections": registry.program_sections(request.user, program),
        "roster_import": program.roster_imports.defer("upload", "rows").first()
        if can_edit
        else None,
        "pending_invitations": list(program.invitations.pending().select_related("municipality"))
        if can_edit
        else [],
    }
    if can_edit:
        context["enroll_form"] = EnrollForm(program=program, user=request.user)
        context["withdraw_form"] = WithdrawForm()
    return render(request, "programs/program_detail.html", context)


MOVE_MESSAGES = {
    "publish": gettext_lazy("Program published."),
    "unpublish": gettext_lazy("Program back to draft."),
    "report": gettext_lazy("Program marked as reported."),
}


@require_POST
def program_move(request, pk: int):
    program = access.get_program_for_user(request.user, pk, write=True)
    move = request.POST.get("move", "")
    try:
        program_services.move_program(
            program, move, by=request.user, today=timezone.localdate(), ip=client_ip(request)
        )
    except program_services.ProgramRefused as refused:
        show_refusal(refused, request=request)
    else:
        messages.success(request, str(MOVE_MESSAGES[move]))
    return redirect("programs:program_detail", pk=program.pk)


@require_POST
def enrollment_create(request, pk: int):
    program = access.get_program_for_user(request.user, pk, write=True)
    form = EnrollForm(request.POST, program=program, user=request.user)
    if form.is_valid():
        try:
            program_services.enroll(
                program,
                form.cleaned_data["trainee"],
                by=request.user,
                mentor=form.cleaned_data["mentor"],
                ip=client_ip(request),
            )
        except program_services.ProgramRefused as refused:
            show_refusal(refused, request=request)
        else:
            messages.success(
                request, _("%(person)s enrolled.") % {"person": form.cleaned_data["trainee"]}
            )
    else:
        messages.error(request, _("Choose a trainee to enrol."))
    return redirect("programs:program_detail", pk=program.pk)


@require_POST
def enrollment_withdraw(request, pk: int, enrollment_pk: int):
    program = access.get_program_for_user(request.user, pk, write=True)
    enrollment = access.get_enrollment_for_user(request.user, program, enrollment_pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        program_services.withdraw(enrollment, by=request.user, reason=reason, ip=client_ip(request))
    except program_services.ProgramRefused as refused:
        show_refusal(refused, request=request)
    else:
        messages.success(
            request,
            _("%(person)s withdrawn. What they wrote is kept.") % {"person": enrollment.trainee},
        )
    return redirect("programs:program_detail", pk=program.pk)
