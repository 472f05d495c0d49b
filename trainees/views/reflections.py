"""The trainee's reflection pages: the page for one day (saved as they type, submitted with
the button) and the list of their reflections."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from programs import access
from programs.autosave import client_markers, refused_answer, saved_answer

from .. import access as trainee_access
from ..models import ReflectionStatus
from ..selectors import reflections as selectors
from ..services import reflections as reflection_services
from ..services.reflections import ReflectionRefused, reflection_days


def reflection_write(request, enrollment_pk: int, day):
    """The trainee's page for one day: the five sections and the rating, saved as they type
    (see static/js/reflection.js), submitted with the button; the comment thread below."""
    enrollment = trainee_access.get_own_enrollment(request.user, enrollment_pk)
    program = enrollment.program
    days = reflection_days(program)
    if day not in days or day > timezone.localdate():
        raise Http404
    if request.method == "POST":
        if request.headers.get("X-Kenshu-Autosave") == "1":
            return _autosave(request, enrollment, day)
        return _save(request, enrollment, day)
    return render_write(request, enrollment, day, days=days)


def _save(request, enrollment, day):
    """The plain form's save or submit; back to the page with a message."""
    action = request.POST.get("action", "save")
    markers = client_markers(request.POST)
    try:
        if action == "submit":
            saved = reflection_services.submit(
                enrollment, day, request.POST, by=request.user, **markers
            )
        else:
            saved = reflection_services.save_draft(
                enrollment, day, request.POST, by=request.user, **markers
            )
    except ReflectionRefused as refused:
        values, _errors = reflection_services.clean_content(request.POST)
        return render_write(
            request,
            enrollment,
            day,
            values=values,
            errors=refused.errors or {"__all__": refused.message},
            status=409 if refused.code == "locked" else 400,
        )
    messages.add_message(request, *_saved_message(saved, action))
    return redirect("trainees:reflection_write", enrollment.pk, day)


def _saved_message(saved, action: str) -> tuple[int, str]:
    row = saved.reflection
    if action != "submit":
        return messages.SUCCESS, (
            _("Draft saved.")
            if row.status == ReflectionStatus.DRAFT
            else _("Changes saved. The reflection stays submitted; readers see the changes.")
        )
    if not saved.applied:
        return messages.INFO, _("This reflection was already submitted.")
    if not saved.first_submission:
        return messages.SUCCESS, _("Changes submitted.")
    if row.late:
        return messages.WARNING, _("Submitted after the deadline: it is marked late. Thank you.")
    return messages.SUCCESS, _("Submitted. Thank you.")


def render_write(
    request,
    enrollment,
    day,
    *,
    values=None,
    errors=None,
    comment_text="",
    comment_errors=None,
    status=200,
    days=None,
):
    context = selectors.write_page(
        request.user, enrollment, day, values=values, errors=errors, days=days
    )
    context |= {"comment_text": comment_text, "comment_errors": comment_errors or {}}
    return render(request, "trainees/reflection_write.html", context, status=status)


def _autosave(request, enrollment, day) -> JsonResponse:
    """The page's automatic save: answers JSON (the page shows it, never reloads)."""
    try:
        saved = reflection_services.save_draft(
            enrollment, day, request.POST, by=request.user, **client_markers(request.POST)
        )
    except ReflectionRefused as refused:
        return refused_answer(refused)
    return saved_answer(request, saved.reflection, saved.applied)


def my_reflections(request):
    """A trainee's reflections, program by program: each day's state, unread comments."""
    access.get_trainee_profile(request.user)
    programs = selectors.my_programs(request.user)
    return render(request, "trainees/my_reflections.html", {"programs": programs})
