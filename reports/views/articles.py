"""Documents that leave the system. The interview article: a preview that looks like the
published article (with the supervisor's approval and the coordinator's publish button), and
exports as Markdown and as clean HTML once approved."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from trainees import typed
from trainees.models import InterviewState
from trainees.services import interviews as interview_services

from .. import articles
from ..access import get_article_for_user

EXPORTABLE = (InterviewState.APPROVED, InterviewState.PUBLISHED)


def article_preview(request, pk: int):
    interview, is_host = get_article_for_user(request.user, pk)
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
    interview, _is_host = get_article_for_user(request.user, pk)
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
