"""Interview pages: the program's interviews and the schedule form, and the moves between
states. The interviewer's page is in `interview_conduct`, the trainee's in
`interview_review`; the article's preview and exports live in reports/. Anything outside a
person's scope answers 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from programs import access
from programs import cache as kenshu_cache
from programs.models import Municipality
from programs.refusals import show_refusal

from .. import access as trainee_access
from .. import typed
from ..forms import InterviewScheduleForm
from ..selectors import interviews as selectors
from ..services import interviews as services
from ..services.interviews import InterviewRefused, Plan


def interview_list(request, pk: int):
    """The program's interviews: every one for the host's people; for a supervisor, their
    municipality's once reviewed by the trainee. The table is cached until an interview, a
    program, an enrolment or an activity changes."""
    program = access.get_program_for_user(request.user, pk)
    is_host = access.works_for_host(request.user, program)
    if not is_host and not Municipality.objects.supervised_by(request.user).exists():
        raise Http404
    content = kenshu_cache.cached_render(
        request,
        "trainees/interview_list_content.html",
        lambda: selectors.list_context(request.user, program, is_host),
        kind="interview-list",
        scopes=kenshu_cache.program_page_scopes(program, "week", "trainees"),
        parts=(program.pk,),
    )
    return render(
        request,
        "trainees/interview_list.html",
        {
            "program": program,
            "content": content,
            "is_host": is_host,
            "can_edit": access.can_edit_program(request.user, program),
        },
    )


def interview_new(request, pk: int):
    """A coordinator schedules an interview."""
    program = access.get_program_for_user(request.user, pk, write=True)
    form = InterviewScheduleForm(request.POST or None, program=program)
    saved, status = _saved_schedule(
        request,
        form,
        lambda data: services.schedule(
            data["enrollment"], _plan(data), by=request.user, template=data["template"]
        ),
        _("Interview scheduled. It is in the week."),
    )
    if saved:
        return saved
    return render(
        request,
        "trainees/interview_new.html",
        {"program": program, "form": form},
        status=status,
    )


def _saved_schedule(request, form, save, done: str):
    """On a POST, `save(cleaned_data)` through the service: accepted, its message and the
    interview's page; refused or not valid, the form again with status 400. Returns the
    redirect (or None) and the status of the form page."""
    if request.method != "POST":
        return None, 200
    if form.is_valid():
        try:
            interview = save(form.cleaned_data)
        except InterviewRefused as refused:
            show_refusal(refused, form=form)
        else:
            messages.success(request, done)
            return redirect("trainees:interview_conduct", pk=interview.pk), 200
    return None, 400


def _plan(data) -> Plan:
    return Plan(
        interviewers=list(data["interviewers"]),
        date=data.get("date"),
        start_time=data.get("start_time"),
        end_time=data.get("end_time"),
        place=data.get("place", ""),
        online_url=data.get("online_url", ""),
        slot=data.get("slot"),
    )


def interview_schedule(request, pk: int):
    """A coordinator changes when and where (until the interview is held)."""
    interview = trainee_access.get_host_interview_for_user(request.user, pk)
    if not services.can_coordinate(request.user, interview):
        raise PermissionDenied
    program = interview.enrollment.program
    initial = {
        "slot": None if interview.owns_activity else interview.activity,
        "date": interview.activity.date,
        "start_time": interview.activity.start_time,
        "end_time": interview.activity.end_time,
        "place": interview.activity.place,
        "online_url": interview.online_url,
        "interviewers": list(interview.interviewers.all()),
    }
    form = InterviewScheduleForm(
        request.POST or None, program=program, interview=interview, initial=initial
    )
    saved, status = _saved_schedule(
        request,
        form,
        lambda data: services.reschedule(interview, _plan(data), by=request.user),
        _("Interview moved. The week and calendars follow."),
    )
    if saved:
        return saved
    return render(
        request,
        "trainees/interview_schedule.html",
        {"interview": interview, "program": program, "form": form},
        status=status,
    )


@require_POST
def interview_move(request, pk: int):
    """finish (interviewers), approve or request changes (the supervisor), publish (a
    coordinator)."""
    interview = trainee_access.get_interview_for_user(request.user, pk)
    move = request.POST.get("move", "")
    refused_comment = False
    try:
        if move == "request_changes":
            services.request_changes(interview, request.POST.get("comment", ""), by=request.user)
        elif move in services.MOVES:
            services.MOVES[move](interview, by=request.user)
        else:
            raise Http404
    except InterviewRefused as refused:
        if refused.code == "forbidden":
            raise PermissionDenied from refused
        if move == "request_changes":  # the comment comes back in its field
            refused_comment = True
            typed.keep(
                request,
                interview,
                refused.errors.get("comment") or refused.message,
                comment=request.POST.get("comment", ""),
            )
        else:
            show_refusal(refused, request=request)
    else:
        messages.success(request, str(MOVE_MESSAGES[move]))
    if access.works_for_host(request.user, interview.enrollment.program):
        return redirect("trainees:interview_conduct", pk=interview.pk)
    if move == "request_changes" and not refused_comment:
        # Back with the trainee: the supervisor no longer sees it until it is reviewed again.
        return redirect("trainees:interview_list", pk=interview.enrollment.program_id)
    return redirect("reports:article_preview", pk=interview.pk)


MOVE_MESSAGES = {
    "finish": gettext_lazy("Interview finished: the trainee can now read it, correct and consent."),
    "approve": gettext_lazy("Approved for publication."),
    "request_changes": gettext_lazy("Sent back with your comment."),
    "publish": gettext_lazy("Published."),
}
