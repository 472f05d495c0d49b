"""The trainee's page of their interview: they read the transcript, correct their own
answers, consent per answer and choose how their name appears."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from programs.refusals import show_refusal

from .. import access as trainee_access
from ..forms import InterviewReviewForm, field_errors
from ..models import ANSWER_LIMIT, InterviewState
from ..selectors import interviews as selectors
from ..services import interviews as services
from ..services.interviews import InterviewRefused


def interview_review(request, pk: int):
    """The trainee reads the transcript, corrects their own answers, consents per answer
    and chooses how their name appears."""
    interview = trainee_access.get_own_interview(request.user, pk)
    form, status = None, 200
    if request.method == "POST":
        form = InterviewReviewForm(request.POST)
        form.is_valid()  # every field is optional: the service's rules decide
        try:
            services.review(interview, **form.review(), by=request.user)
        except InterviewRefused as refused:
            if refused.code == "forbidden":
                raise Http404 from refused
            if refused.code == "state":  # a second click, or another tab: the first was saved
                messages.info(request, _("Your answers and consent were already sent."))
                return redirect("trainees:interview_review", pk=interview.pk)
            questions = list(interview.questions.order_by("order", "pk"))
            # Every question's fields, so that each message sits next to its own.
            form = InterviewReviewForm(request.POST, questions=questions)
            form.is_valid()
            show_refusal(refused, form=form)
            return _render_review(request, interview, questions, form, status=400)
        messages.success(request, _("Thank you. Your answers and consent are saved."))
        return redirect("trainees:interview_review", pk=interview.pk)
    questions = interview.questions.order_by("order", "pk")
    return _render_review(request, interview, questions, form, status=status)


def _render_review(request, interview, questions, form, *, status: int):
    errors = field_errors(form) if form is not None else {}
    return render(
        request,
        "trainees/interview_review.html",
        {
            "interview": interview,
            "program": interview.enrollment.program,
            "questions": selectors.review_questions(questions, form),
            "can_review": interview.state == InterviewState.INTERVIEWED,
            "name_forms": selectors.name_examples(interview),
            "name_form": form.sent("name_form", "") if form is not None else interview.name_form,
            "name_error": errors.get("name_form", ""),
            "form_error": errors.get("__all__", ""),
            "has_errors": bool(errors),
            "limit": ANSWER_LIMIT,
        },
        status=status,
    )
