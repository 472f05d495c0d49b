"""Interview pages: the program's interviews and the schedule form, the interviewer's page
(answers saved as they type), the trainee's review and consent. The article's preview and
exports live in reports/. Anything outside a person's scope answers 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from config.jinja2 import url_by_pk
from config.translated import choice_labels
from programs import access
from programs import cache as kenshu_cache
from programs.integers import id_param
from programs.models import HostCompany, Municipality

from . import access as trainee_access
from . import typed
from .cells import display_name
from .forms import InterviewScheduleForm
from .models import (
    ANSWER_LIMIT,
    ARTICLE_TEXT_LIMIT,
    Interview,
    InterviewState,
    NameForm,
)
from .services import interviews as services
from .services.interviews import InterviewRefused, Plan
from .views import _client_markers


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
        lambda: _list_context(request, program, is_host),
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


def _list_context(request, program, is_host: bool) -> dict:
    """One query for the interviews' cells and, when there are any, one for their
    interviewers (in the order they were added). The host's people see every interview of
    their host's program (`Interview.objects.visible_to` gives them all of them), so their
    query names the program; anyone else's stays scoped."""
    if is_host:
        interviews = Interview.objects.filter(enrollment__program_id=program.pk)
    else:
        interviews = Interview.objects.visible_to(request.user).filter(
            enrollment__program_id=program.pk
        )
    found = list(
        interviews.order_by("activity__date", "activity__start_time", "pk").values_list(
            "pk",
            "state",
            "enrollment__trainee__family_name",
            "enrollment__trainee__given_name",
            "enrollment__trainee__email",
            "enrollment__municipality__name",
            "activity__date",
            "activity__start_time",
            "activity__end_time",
        )
    )
    interviewers: dict[int, list[str]] = {}
    if found:
        for interview_id, family, given, email in (
            Interview.interviewers.through.objects.filter(
                interview_id__in=[row[0] for row in found]
            )
            .order_by("pk")
            .values_list("interview_id", "user__family_name", "user__given_name", "user__email")
        ):
            interviewers.setdefault(interview_id, []).append(display_name(family, given, email))
    link = url_by_pk("trainees:interview_conduct" if is_host else "reports:article_preview")
    state_labels = choice_labels(InterviewState)
    return {
        "rows": [
            {
                "name": display_name(family, given, email),
                "municipality": municipality,
                "state": state,
                "state_label": state_labels.get(state, state),
                "when": f"{day:%m/%d} {start:%H:%M}–{end:%H:%M}",
                "interviewers": ", ".join(interviewers.get(pk, ())),
                "url": link(pk),
            }
            for pk, state, family, given, email, municipality, day, start, end in found
        ]
    }


def interview_new(request, pk: int):
    """A coordinator schedules an interview."""
    program = access.get_program_for_user(request.user, pk, write=True)
    form = InterviewScheduleForm(request.POST or None, program=program)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                interview = services.schedule(
                    data["enrollment"], _plan(data), by=request.user, template=data["template"]
                )
            except InterviewRefused as refused:
                _form_errors(form, refused)
                status = 400
            else:
                messages.success(request, _("Interview scheduled. It is in the week."))
                return redirect("trainees:interview_conduct", pk=interview.pk)
        else:
            status = 400
    return render(
        request,
        "trainees/interview_new.html",
        {"program": program, "form": form},
        status=status,
    )


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


def _form_errors(form, refused: InterviewRefused) -> None:
    if not refused.errors:
        form.add_error(None, refused.message)
    for name, message in refused.errors.items():
        form.add_error(name if name in form.fields else None, message)


def interview_conduct(request, pk: int):
    """The interviewer's page: each question with its answer (saved as they type), a
    highlight mark, follow-up questions, the article's introduction and closing."""
    interview = trainee_access.get_host_interview_for_user(request.user, pk)
    can_conduct = services.can_conduct(request.user, interview)
    editable = can_conduct and interview.state in services.EDITABLE_STATES
    errors, status = {}, 200
    if request.method == "POST":
        if not can_conduct:
            raise PermissionDenied
        markers = _client_markers(request.POST)
        markers.pop("base_revision")
        try:
            applied = services.save_answers(interview, request.POST, by=request.user, **markers)
        except InterviewRefused as refused:
            if request.headers.get("X-Kenshu-Autosave") == "1":
                return JsonResponse(
                    {"ok": False, "code": refused.code, "errors": refused.errors},
                    status=409 if refused.code == "locked" else 400,
                )
            errors, status = refused.errors or {"__all__": refused.message}, 400
        else:
            if request.headers.get("X-Kenshu-Autosave") == "1":
                saved_at = timezone.localtime()
                return JsonResponse(
                    {
                        "ok": True,
                        "applied": applied,
                        "revision": interview.revision,
                        "message": _("Saved at %(time)s") % {"time": f"{saved_at:%H:%M:%S}"},
                    }
                )
            messages.success(request, _("Answers saved."))
            return redirect("trainees:interview_conduct", pk=interview.pk)
    questions = [
        {
            "q": q,
            "answer": request.POST.get(f"answer-{q.pk}", q.answer) if errors else q.answer,
            "error": errors.get(f"answer-{q.pk}", "") or errors.get(f"text-{q.pk}", ""),
        }
        for q in interview.questions.order_by("order", "pk")
    ]
    events = list(interview.events.select_related("actor"))
    return render(
        request,
        "trainees/interview_conduct.html",
        {
            "interview": interview,
            "enrollment": interview.enrollment,
            "program": interview.enrollment.program,
            "questions": questions,
            "editable": editable,
            "can_coordinate": services.can_coordinate(request.user, interview),
            "can_conduct": can_conduct,
            "events": events,
            "errors": errors,
            "form_error": errors.get("__all__", "")
            or (_("Some fields need attention. What you typed is kept below.") if errors else ""),
            "limit": ANSWER_LIMIT,
            "article_limit": ARTICLE_TEXT_LIMIT,
            "interviewers": ", ".join(u.display_name for u in interview.interviewers.all()),
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
    except InterviewRefused as refused:
        if refused.code == "forbidden":
            raise PermissionDenied from refused
        if action == "add":  # the question comes back in its field, with the reason beside it
            question = request.POST.get("question", "")
            typed.keep(request, interview, refused.message, question=question)
            return redirect(
                reverse("trainees:interview_conduct", args=[interview.pk]) + "#follow-heading"
            )
        messages.error(request, refused.message)
    return redirect(reverse("trainees:interview_conduct", args=[interview.pk]) + "#questions")


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
            messages.error(request, refused.errors.get("comment") or refused.message)
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
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.reschedule(interview, _plan(form.cleaned_data), by=request.user)
            except InterviewRefused as refused:
                _form_errors(form, refused)
                status = 400
            else:
                messages.success(request, _("Interview moved. The week and calendars follow."))
                return redirect("trainees:interview_conduct", pk=interview.pk)
        else:
            status = 400
    return render(
        request,
        "trainees/interview_schedule.html",
        {"interview": interview, "program": program, "form": form},
        status=status,
    )


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


def _name_examples(interview) -> list:
    """Each name form with how this trainee's name would read, e.g. イニシャル（S.T.さん）."""
    from .names import initials_known, trainee_name

    examples = []
    for value, label in NameForm.choices:
        if value == NameForm.INITIALS and not initials_known(interview.enrollment.trainee):
            examples.append((value, label))
            continue
        original = interview.name_form
        interview.name_form = value
        examples.append((value, f"{label}（{trainee_name(interview)}）"))
        interview.name_form = original
    return examples


def interview_review(request, pk: int):
    """The trainee reads the transcript, corrects their own answers, consents per answer
    and chooses how their name appears."""
    interview = get_object_or_404(
        Interview.objects.visible_to(request.user)
        .filter(enrollment__trainee=request.user)
        .select_related("enrollment__program__host", "activity"),
        pk=pk,
    )
    errors, status = {}, 200
    values = request.POST if request.method == "POST" else None
    if request.method == "POST":
        try:
            services.review(interview, request.POST, by=request.user)
        except InterviewRefused as refused:
            if refused.code == "forbidden":
                raise Http404 from refused
            if refused.code == "state":  # a second click, or another tab: the first was saved
                messages.info(request, _("Your answers and consent were already sent."))
                return redirect("trainees:interview_review", pk=interview.pk)
            errors, status = refused.errors or {"__all__": refused.message}, 400
        else:
            messages.success(request, _("Thank you. Your answers and consent are saved."))
            return redirect("trainees:interview_review", pk=interview.pk)
    questions = []
    for q in interview.questions.order_by("order", "pk"):
        consent = (
            values.get(f"consent-{q.pk}", "")
            if values is not None
            else ({True: "yes", False: "no"}.get(q.consent, ""))
        )
        questions.append(
            {
                "q": q,
                "answer": values.get(f"answer-{q.pk}", q.answer)
                if values is not None
                else q.answer,
                "consent": consent,
                "error": errors.get(f"consent-{q.pk}", "") or errors.get(f"answer-{q.pk}", ""),
            }
        )
    name_form = values.get("name_form", "") if values is not None else interview.name_form
    return render(
        request,
        "trainees/interview_review.html",
        {
            "interview": interview,
            "program": interview.enrollment.program,
            "questions": questions,
            "can_review": interview.state == InterviewState.INTERVIEWED,
            "name_forms": _name_examples(interview),
            "name_form": name_form,
            "name_error": errors.get("name_form", ""),
            "form_error": errors.get("__all__", ""),
            "has_errors": bool(errors),
            "limit": ANSWER_LIMIT,
        },
        status=status,
    )


def interview_templates(request, pk: int):
    """The host's interview templates: the built-in one and their own; coordinators write a
    new one, or start from an existing one (the built-in one is copied, never changed)."""
    from .models import InterviewTemplate

    host = access.get_host_company_for_user(request.user, pk)
    can_edit = HostCompany.objects.coordinated_by(request.user).filter(pk=host.pk).exists()
    templates = list(
        InterviewTemplate.objects.usable_by(host)
        .prefetch_related("questions")
        .order_by("-host_id", "name")
    )
    editing = None
    edit_id = request.GET.get("edit") or request.POST.get("template_id") or ""
    if edit_id:
        # An id of the host's templates, or not found (2**70, "1e5", "٣" among the latter).
        wanted = id_param(edit_id)
        editing = next((t for t in templates if t.pk == wanted), None)
        if editing is None:
            raise Http404
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
        values = {
            "name": request.POST.get("name", ""),
            "questions": request.POST.get("questions", ""),
        }
        try:
            services.save_template(
                host,
                values["name"],
                values["questions"],
                by=request.user,
                template=editing if editing and editing.host_id else None,
            )
        except InterviewRefused as refused:
            errors, status = refused.errors or {"name": refused.message}, 400
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
