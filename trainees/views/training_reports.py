"""The 研修報告書 pages: the trainee writes theirs (saved as they type, submitted with the
button), a reader opens a submitted one, the municipality's contact confirms it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs.autosave import client_markers, refused_answer, saved_answer
from programs.client import posted_next
from programs.refusals import show_refusal

from .. import access as trainee_access
from ..selectors import training_reports as selectors
from ..services import training_reports as services
from ..services.training_reports import TrainingReportRefused


def training_report_write(request, enrollment_pk: int):
    """The trainee's own 研修報告書: before the program's last day has passed the page says
    when it opens; then the form (see static/js/reflection.js for the automatic save)."""
    enrollment = trainee_access.get_own_enrollment(request.user, enrollment_pk)
    today = timezone.localdate()
    if request.method == "POST":
        if request.headers.get("X-Kenshu-Autosave") == "1":
            return _autosave(request, enrollment, today)
        return _save(request, enrollment, today)
    return _render_write(request, enrollment, today)


def _render_write(request, enrollment, today, *, values=None, errors=None, status=200):
    context = selectors.write_page(enrollment, today, values=values, errors=errors)
    return render(request, "trainees/training_report_write.html", context, status=status)


def _save(request, enrollment, today):
    markers = client_markers(request.POST)
    submitting = request.POST.get("action") == "submit"
    try:
        if submitting:
            saved = services.submit(
                enrollment, request.POST, by=request.user, now=timezone.now(), **markers
            )
        else:
            saved = services.save_draft(
                enrollment, request.POST, by=request.user, today=today, **markers
            )
    except TrainingReportRefused as refused:
        values, _errors = services.clean_text(request.POST)
        return _render_write(
            request,
            enrollment,
            today,
            values=values,
            errors=refused.errors or {"__all__": refused.message},
            status=409 if refused.code == "locked" else 400,
        )
    if not submitting:
        messages.success(request, _("Draft saved."))
    elif saved.applied:
        messages.success(request, _("Training report submitted. Thank you."))
    else:
        messages.info(request, _("This training report was already submitted."))
    return redirect("trainees:training_report_write", enrollment.pk)


def _autosave(request, enrollment, today) -> JsonResponse:
    try:
        saved = services.save_draft(
            enrollment,
            request.POST,
            by=request.user,
            today=today,
            **client_markers(request.POST),
        )
    except TrainingReportRefused as refused:
        return refused_answer(refused)
    return saved_answer(request, saved.report, saved.applied)


def training_report_detail(request, pk: int):
    """A submitted 研修報告書 for its readers (the trainee, the host's people, the mentor, the
    contacts of the trainee's municipality), with its 確認 and, for the contact, the button."""
    report = trainee_access.get_visible_training_report(request.user, pk)
    return render(
        request,
        "trainees/training_report_detail.html",
        {
            "report": report,
            "enrollment": report.enrollment,
            "program": report.enrollment.program,
            "parts": [
                (label, getattr(report, name)) for name, label in selectors.part_labels().items()
            ],
            "can_confirm": report.is_submitted and services.may_confirm(request.user, report),
        },
    )


@require_POST
def training_report_confirm(request, pk: int):
    """The contact's 確認. Outside the person's scope: 404; in it but not a contact of the
    trainee's municipality (the host's people, the trainee): 403."""
    report = trainee_access.get_visible_training_report(request.user, pk)
    if not services.may_confirm(request.user, report):
        raise PermissionDenied
    try:
        services.confirm(report, by=request.user, now=timezone.now())
    except TrainingReportRefused as refused:
        show_refusal(refused, request=request)
    else:
        messages.success(request, _("Confirmed."))
    return redirect(
        posted_next(request, reverse("trainees:training_report_detail", args=[report.pk]))
    )
