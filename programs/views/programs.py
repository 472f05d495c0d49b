"""Programs: list, create, edit, detail, the checklist before publishing and the status
workflow (enrolments: views/enrolments.py)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from config.translated import choice_labels

from .. import access
from .. import cache as kenshu_cache
from ..client import client_ip
from ..forms import ProgramForm, StartingWeekForm
from ..models import HostCompany, Status
from ..refusals import show_refusal
from ..selectors.program_list import program_list_context
from ..selectors.program_page import program_page_context
from ..selectors.publish import publish_checklist
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
    context = program_page_context(request.user, program, timezone.localdate())
    return render(request, "programs/program_detail.html", context)


def program_publish(request, pk: int):
    """Before publishing: what is ready and what is missing (warnings that do not block);
    its button posts to `program_move` with move=publish."""
    program = access.get_program_to_run(request.user, pk)
    today = timezone.localdate()
    context = {
        "program": program,
        "items": publish_checklist(program, today),
        "can_publish": "publish" in program_services.allowed_moves(program, today),
        "status_label": choice_labels(Status)[program.effective_status],
    }
    return render(request, "programs/program_publish.html", context)


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
