"""The survey pages: a trainee answers a phase; the host reads the results and coordinators
set the questions and the follow-up."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from programs import access
from programs.refusals import show_refusal

from .. import access as trainee_access
from ..forms import SurveyAnswerForm, SurveySettingsForm, field_errors
from ..models import Phase
from ..selectors import surveys as selectors
from ..services import surveys as survey_services


def survey_answer(request, enrollment_pk: int, phase: str):
    enrollment = trainee_access.get_own_enrollment(request.user, enrollment_pk)
    if phase not in Phase.values:
        raise Http404
    program = enrollment.program
    survey = survey_services.survey_to_read(program)
    window = survey_services.windows(program, survey).get(phase)
    if window is None:
        raise Http404
    questions = survey_services.questions_of(survey.question_set)
    response, values = selectors.earlier_answers(request.user, enrollment, phase)
    errors, status = {}, 200
    if request.method == "POST":
        form = SurveyAnswerForm(request.POST, questions=questions)
        form.is_valid()  # every field is optional: the survey's rules decide
        try:
            survey_services.answer(enrollment, phase, form.answers())
        except survey_services.SurveyRefused as refused:
            show_refusal(refused, form=form)
            values = {name: form[name].value() or "" for name in form.fields}
            errors, status = field_errors(form), 400
        else:
            messages.success(request, _("Thank you. Your answers are saved."))
            return redirect("programs:trainee_today")
    context = selectors.answer_page(enrollment, phase, window, questions, response, values, errors)
    return render(request, "trainees/survey_answer.html", context, status=status)


def survey_results(request, pk: int):
    """Change per question and per trainee, drawn as SVG; coordinators set the questions and
    the follow-up here."""
    program = trainee_access.get_host_program(request.user, pk)
    survey = survey_services.survey_to_read(program)
    form = None
    status = 200
    if access.can_edit_program(request.user, program):
        form = SurveySettingsForm(request.POST or None, instance=survey, program=program)
        if request.method == "POST":
            if _save_settings(request, program, form):
                messages.success(request, _("Survey settings saved."))
                return redirect("trainees:survey_results", pk=program.pk)
            status = 400
    elif request.method == "POST":
        raise PermissionDenied
    context = selectors.results_page(program, survey) | {"form": form}
    return render(request, "trainees/survey_results.html", context, status=status)


def _save_settings(request, program, form) -> bool:
    """The coordinator's question set and follow-up; False when refused (said on the form)."""
    if not form.is_valid():
        return False
    try:
        survey_services.change_question_set(
            program,
            form.cleaned_data["question_set"],
            form.cleaned_data["followup_days"],
            by=request.user,
        )
    except survey_services.SurveyRefused as refused:
        show_refusal(refused, form=form)
        return False
    return True
