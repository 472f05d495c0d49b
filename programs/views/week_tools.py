"""The week's tools: apply a template, copy a past week, save this week as a template."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access
from ..client import client_ip
from ..forms import ApplyTemplateForm, CopyWeekForm, SaveTemplateForm
from ..refusals import show_refusal
from ..services import week as week_services
from ..services import week_templates


def week_tools(request, pk: int):
    """Apply a template, copy a past week, save this week as a template."""
    program = access.get_program_for_user(request.user, pk, write=True)
    return render(
        request,
        "programs/week_tools.html",
        {
            "program": program,
            "template_form": ApplyTemplateForm(user=request.user, program=program, prefix="apply"),
            "copy_form": CopyWeekForm(user=request.user, program=program, prefix="copy"),
            "save_template_form": SaveTemplateForm(),
        },
    )


def _week_form_action(request, pk, form_class, action, form_kwargs):
    program = access.get_program_for_user(request.user, pk, write=True)
    form = form_class(request.POST, **form_kwargs(program))
    if not form.is_valid():
        messages.error(request, _("Choose what to apply."))
        return redirect("programs:week_grid", pk=program.pk)
    try:
        message = action(program, form.cleaned_data)
    except week_services.ActivityRefused as refused:
        show_refusal(refused, request=request)
    else:
        messages.success(request, message)
    return redirect("programs:week_grid", pk=program.pk)


@require_POST
def week_apply_template(request, pk: int):
    def action(program, data):
        created = week_templates.apply_template(
            program,
            data["template"],
            skip_weekends=data["skip_weekends"],
            by=request.user,
            ip=client_ip(request),
        )
        return _("%(count)s activities added from “%(name)s”.") % {
            "count": len(created),
            "name": data["template"].name,
        }

    return _week_form_action(
        request,
        pk,
        ApplyTemplateForm,
        action,
        form_kwargs=lambda program: {"user": request.user, "program": program, "prefix": "apply"},
    )


@require_POST
def week_copy(request, pk: int):
    def action(program, data):
        created = week_templates.copy_week(
            data["source"],
            program,
            skip_weekends=data["skip_weekends"],
            by=request.user,
            ip=client_ip(request),
        )
        return _("%(count)s activities copied from “%(name)s”.") % {
            "count": len(created),
            "name": data["source"].title,
        }

    return _week_form_action(
        request,
        pk,
        CopyWeekForm,
        action,
        form_kwargs=lambda program: {"user": request.user, "program": program, "prefix": "copy"},
    )


@require_POST
def week_save_template(request, pk: int):
    def action(program, data):
        template = week_templates.save_as_template(
            program, data["name"], by=request.user, ip=client_ip(request)
        )
        return _("Template “%(name)s” saved.") % {"name": template.name}

    return _week_form_action(request, pk, SaveTemplateForm, action, form_kwargs=lambda program: {})
