"""The interviewer's page: each question with its answer (saved as they type), a highlight
mark, follow-up questions, the article's introduction and closing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs.autosave import client_markers
from programs.formats import join_names
from programs.integers import id_param
from programs.refusals import show_refusal

from .. import access as trainee_access
from .. import typed
from ..forms import InterviewAnswersForm, field_errors
from ..models import ANSWER_LIMIT, ARTICLE_TEXT_LIMIT
from ..selectors import interviews as selectors
from ..services import interviews as services
from ..services.interviews import InterviewRefused


def interview_conduct(request, pk: int):
    """The interviewer's page: each question with its answer (saved as they type), a
    highlight mark, follow-up questions, the article's introduction and closing."""
    interview = trainee_access.get_host_interview_for_user(request.user, pk)
    can_conduct = services.can_conduct(request.user, interview)
    form, errors, status = None, {}, 200
    if request.method == "POST":
        if not can_conduct:
            raise PermissionDenied
        form = InterviewAnswersForm(request.POST)
        form.is_valid()  # every field is optional: the service's rules decide
        autosave = request.headers.get("X-Kenshu-Autosave") == "1"
        markers = client_markers(request.POST)
        markers.pop("base_revision")
        try:
            applied = services.save_answers(interview, **form.changes(), by=request.user, **markers)
        except InterviewRefused as refused:
            if autosave:
                return JsonResponse(
                    {"ok": False, "code": refused.code, "errors": refused.errors},
                    status=409 if refused.code == "locked" else 400,
                )
            show_refusal(refused, form=form)
            errors, status = field_errors(form), 400
        else:
            if autosave:
                return _autosaved(interview, applied)
            messages.success(request, _("Answers saved."))
            return redirect("trainees:interview_conduct", pk=interview.pk)
    return _render_conduct(request, interview, can_conduct, form, errors, status)


def _autosaved(interview, applied: bool) -> JsonResponse:
    saved_at = timezone.localtime()
    return JsonResponse(
        {
            "ok": True,
            "applied": applied,
            "revision": interview.revision,
            "message": _("Saved at %(time)s") % {"time": f"{saved_at:%H:%M:%S}"},
        }
    )


def _render_conduct(request, interview, can_conduct: bool, form, errors: dict, status: int):
    questions = selectors.conduct_questions(interview, form, errors)
    events = list(interview.events.select_related("actor"))
    return render(
        request,
        "trainees/interview_conduct.html",
        {
            "interview": interview,
            "enrollment": interview.enrollment,
            "program": interview.enrollment.program,
            "questions": questions,
            "editable": can_conduct and interview.state in services.EDITABLE_STATES,
            "can_coordinate": services.can_coordinate(request.user, interview),
            "can_conduct": can_conduct,
            "events": events,
            "errors": errors,
            "form_error": errors.get("__all__", "")
            or (_("Some fields need attention. What you typed is kept below.") if errors else ""),
            "limit": ANSWER_LIMIT,
            "article_limit": ARTICLE_TEXT_LIMIT,
            "interviewers": join_names(u.display_name for u in interview.interviewers.all()),
            "slot_cancelled": interview.activity.cancelled_at is not None,
            "typed": typed.take(request, interview),
        },
        status=status,
    )


@require_POST
def interview_questions(request, pk: int):
    """Add a follow-up question, move one up or down, remove an unanswered one."""
    interview = trainee_access.get_host_interview_for_user(request.user, pk)
    action = request.POST.get("action", "")
    try:
        if action == "add":
            services.add_question(
                interview,
                request.POST.get("question", ""),
                by=request.user,
                after=id_param(request.POST.get("after")),
            )
            messages.success(request, _("Question added."))
        else:
            _change_question(request, interview, action)
    except InterviewRefused as refused:
        if refused.code == "forbidden":
            raise PermissionDenied from refused
        if action == "add":  # the question comes back in its field, with the reason beside it
            question = request.POST.get("question", "")
            typed.keep(request, interview, refused.message, question=question)
            return redirect(
                reverse("trainees:interview_conduct", args=[interview.pk]) + "#follow-heading"
            )
        show_refusal(refused, request=request)
    return redirect(reverse("trainees:interview_conduct", args=[interview.pk]) + "#questions")


def _change_question(request, interview, action: str) -> None:
    """Move a question up or down, or remove it; 404 for any other action or question."""
    question_id = id_param(request.POST.get("question_id"))
    if question_id is None:
        raise Http404
    question = get_object_or_404(interview.questions, pk=question_id)
    if action in ("up", "down"):
        services.move_question(question, -1 if action == "up" else 1, by=request.user)
    elif action == "remove":
        services.remove_question(question, by=request.user)
        messages.success(request, _("Question removed."))
    else:
        raise Http404


@require_POST
def interview_article(request, pk: int):
    interview = trainee_access.get_host_interview_for_user(request.user, pk)
    try:
        services.edit_article(
            interview,
            request.POST.get("introduction", ""),
            request.POST.get("closing", ""),
            by=request.user,
        )
    except InterviewRefused as refused:
        if refused.code == "forbidden":
            raise PermissionDenied from refused
        typed.keep(
            request,
            interview,
            " ".join(refused.errors.values()) or refused.message,
            introduction=request.POST.get("introduction", ""),
            closing=request.POST.get("closing", ""),
        )
    else:
        messages.success(request, _("Article text saved."))
    return redirect(reverse("trainees:interview_conduct", args=[interview.pk]) + "#article")
