"""Documents that leave the system. The interview article: a preview that looks like the
published article (with the supervisor's approval and the coordinator's publish button), and
exports as Markdown and as clean HTML once approved."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from programs import access
from trainees import access as trainee_access
from trainees import typed
from trainees.models import Interview, InterviewState
from trainees.services import interviews as interview_services

from . import articles

EXPORTABLE = (InterviewState.APPROVED, InterviewState.PUBLISHED)


def _interview(request, pk: int) -> tuple[Interview, bool]:
    """The interview and whether the person is one of its host's people."""
    interview = trainee_access.get_interview_for_user(request.user, pk)
    is_host = access.works_for_host(request.user, interview.enrollment.program)
    if not is_host and interview.state in (InterviewState.DRAFT, InterviewState.INTERVIEWED):
        raise Http404  # the trainee sees the article once they have consented
    return interview, is_host


def article_preview(request, pk: int):
    interview, is_host = _interview(request, pk)
    article = articles.build(interview)
    return render(
        request,
        "reports/article_preview.html",
        {
            "interview": interview,
            "article": article,
            "is_host": is_host,
            "is_trainee": interview.enrollment.trainee_id == request.user.pk,
            "can_approve": interview.state == InterviewState.REVIEWED
            and interview_services.is_supervisor_of(request.user, interview),
            "can_publish": interview.state == InterviewState.APPROVED
            and interview_services.can_coordinate(request.user, interview),
            "exportable": interview.state in EXPORTABLE,
            "typed": typed.take(request, interview),
        },
    )


def _export(request, pk: int, kind: str) -> HttpResponse:
    interview, _is_host = _interview(request, pk)
    if interview.state not in EXPORTABLE:
        return HttpResponse(
            _("The article can be exported once the supervisor has approved it."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    article = articles.build(interview)
    if kind == "md":
        body, content_type = articles.to_markdown(article), "text/markdown; charset=utf-8"
    else:
        body, content_type = articles.to_html(article), "text/html; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="interview-{interview.pk}.{kind}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def article_markdown(request, pk: int):
    return _export(request, pk, "md")


def article_html(request, pk: int):
    return _export(request, pk, "html")
