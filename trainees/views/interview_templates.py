"""The host's interview templates: the built-in one and their own."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from programs import access
from programs.integers import id_param
from programs.models import HostCompany
from programs.refusals import show_refusal

from ..forms import InterviewTemplateForm, field_errors
from ..models import InterviewTemplate
from ..services import interviews as services
from ..services.interviews import InterviewRefused


def _editing(request, templates):
    """The host's own template being edited (?edit=, or the form's template_id), None when
    none is; not found for an id of none of theirs (2**70, "1e5", "٣" among the latter)."""
    edit_id = request.GET.get("edit") or request.POST.get("template_id") or ""
    if not edit_id:
        return None
    wanted = id_param(edit_id)
    editing = next((t for t in templates if t.pk == wanted), None)
    if editing is None:
        raise Http404
    return editing


def interview_templates(request, pk: int):
    """The host's interview templates: the built-in one and their own; coordinators write a
    new one, or start from an existing one (the built-in one is copied, never changed)."""
    host = access.get_host_company_for_user(request.user, pk)
    can_edit = HostCompany.objects.coordinated_by(request.user).filter(pk=host.pk).exists()
    templates = list(
        InterviewTemplate.objects.usable_by(host)
        .prefetch_related("questions")
        .order_by("-host_id", "name")
    )
    editing = _editing(request, templates)
    start = next((t for t in templates if str(t.pk) == request.GET.get("from", "")), None)
    source = editing or start
    values = {
        "name": (editing.name if editing else (start.name + _(" (copy)") if start else "")),
        "questions": "\n".join(q.text for q in source.questions.all()) if source else "",
    }
    errors, status = {}, 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = InterviewTemplateForm(request.POST)
        form.is_valid()  # read as sent: the service's rules decide
        values = form.sent()
        try:
            services.save_template(
                host,
                values["name"],
                values["questions"],
                by=request.user,
                template=editing if editing and editing.host_id else None,
            )
        except InterviewRefused as refused:
            show_refusal(refused, form=form)
            errors, status = field_errors(form), 400
        else:
            messages.success(request, _("Template saved."))
            return redirect("trainees:interview_templates", pk=host.pk)
    return render(
        request,
        "trainees/interview_templates.html",
        {
            "host": host,
            "templates": templates,
            "can_edit": can_edit,
            "editing": editing if editing and editing.host_id else None,
            "values": values,
            "errors": errors,
        },
        status=status,
    )
