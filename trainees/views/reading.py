"""Readers of reflections: host, mentor, supervisor. A reflection's page and its comment
thread, marking it reviewed, the trainees × days matrix of a program, the inbox of new
submissions, and the supervisor's list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs import access
from programs import cache as kenshu_cache
from programs.integers import id_param, int_param
from programs.models import Municipality
from programs.refusals import show_refusal

from .. import access as trainee_access
from ..models import DailyReflection
from ..selectors import reading as reading_selectors
from ..selectors import reflections as selectors
from ..services import reflections as reflection_services
from ..services.reflections import ReflectionRefused, deadline_of
from .reflections import render_write


def reflection_detail(request, pk: int):
    reflection = trainee_access.get_visible_reflection(request.user, pk)
    if reflection.enrollment.trainee_id == request.user.pk:
        return redirect("trainees:reflection_write", reflection.enrollment_id, reflection.date)
    return _render_detail(request, reflection)


def _render_detail(request, reflection, *, comment_text="", comment_errors=None, status=200):
    context = selectors.detail_page(request.user, reflection)
    context |= {"comment_text": comment_text, "comment_errors": comment_errors or {}}
    return render(request, "trainees/reflection_detail.html", context, status=status)


@require_POST
def reflection_comment(request, pk: int):
    """A comment in the thread; or, from the page's script, the trainee's word that they
    have read the thread (`X-Kenshu-Read`), so that opening the page writes nothing."""
    reflection = trainee_access.get_visible_reflection(request.user, pk)
    if request.headers.get("X-Kenshu-Read") == "1":
        reflection_services.mark_comments_read(reflection, request.user)
        return HttpResponse(status=204)
    body = request.POST.get("body", "")
    own = reflection.enrollment.trainee_id == request.user.pk
    try:
        reflection_services.add_comment(reflection, body, by=request.user)
    except ReflectionRefused as refused:
        if refused.code == "forbidden":
            # They may read it (or it would be 404 above), not write in its thread.
            raise PermissionDenied from refused
        if own:
            return render_write(
                request,
                reflection.enrollment,
                reflection.date,
                comment_text=body,
                comment_errors=refused.errors,
                status=400,
            )
        return _render_detail(
            request, reflection, comment_text=body, comment_errors=refused.errors, status=400
        )
    messages.success(request, _("Comment posted."))
    if own:
        # A reply answers the thread: the trainee has read it.
        reflection_services.mark_comments_read(reflection, request.user)
        return redirect(
            reverse("trainees:reflection_write", args=[reflection.enrollment_id, reflection.date])
            + "#thread"
        )
    return redirect(reverse("trainees:reflection_detail", args=[reflection.pk]) + "#thread")


@require_POST
def reflection_review(request, pk: int):
    reflection = trainee_access.get_visible_reflection(request.user, pk)
    try:
        reflection_services.mark_reviewed(reflection, by=request.user)
    except ReflectionRefused as refused:
        if refused.code == "forbidden":
            raise PermissionDenied from refused
        show_refusal(refused, request=request)
    else:
        messages.success(request, _("Marked as reviewed. The reflection is now locked."))
    return redirect("trainees:reflection_detail", pk=reflection.pk)


def reflection_matrix(request, pk: int):
    """Trainees × days: each reflection's state; a click opens a submitted one. A fixed
    number of queries whatever the trainees and days, and the rendered table is cached
    until a reflection, a comment, a program, an enrolment or an activity changes."""
    program = trainee_access.get_host_program(request.user, pk)
    today = timezone.localdate()
    content = kenshu_cache.cached_render(
        request,
        "trainees/reflection_matrix_content.html",
        lambda: reading_selectors.matrix_context(program),
        kind="reflection-matrix",
        scopes=kenshu_cache.program_page_scopes(program, "week", "trainees"),
        parts=(program.pk, timezone.now() > deadline_of(program, today)),  # cells turn "overdue"
    )
    return render(
        request, "trainees/reflection_matrix.html", {"program": program, "content": content}
    )


def reflection_inbox(request):
    """New submissions across the host's programs, oldest waiting first, fifty a page."""
    host_ids = access.host_ids_of(request.user)
    if not host_ids:
        raise Http404
    # ASCII digits only ("²" and "２" are digits to str.isdigit): anything else is page 1.
    number = int_param(request.GET.get("page"), maximum=99_999) or 1
    content = kenshu_cache.cached_render(
        request,
        "trainees/reflection_inbox_content.html",
        lambda: reading_selectors.inbox_context(host_ids, number),
        kind="reflection-inbox",
        scopes=kenshu_cache.host_page_scopes(host_ids, "week", "trainees"),
        parts=(number,),
    )
    return render(request, "trainees/reflection_inbox.html", {"content": content})


def supervisor_reflections(request):
    """A supervisor's municipalities' trainees' submitted reflections (never drafts)."""
    municipalities = list(Municipality.objects.supervised_by(request.user))
    if not municipalities:
        raise Http404
    reflections = (
        DailyReflection.objects.visible_to(request.user)
        .submitted()
        .filter(enrollment__municipality__in=municipalities)
        .select_related("enrollment__trainee", "enrollment__program", "enrollment__municipality")
        .order_by("-date", "enrollment__trainee__family_name_kana", "pk")
    )
    # ?program= narrows to one program; anything but an id (2**70, "1e5", "٣") names no
    # program: not found, as an id of no program of theirs finds no reflection.
    raw_program = request.GET.get("program", "")
    program_id = id_param(raw_program)
    if raw_program and program_id is None:
        raise Http404
    if program_id is not None:
        reflections = reflections.filter(enrollment__program_id=program_id)
    page = Paginator(reflections, 30).get_page(int_param(request.GET.get("page")) or 1)
    return render(
        request,
        "trainees/supervisor_reflections.html",
        {
            "page": page,
            "program_id": program_id or "",
            "items": selectors.supervisor_items(page),
        },
    )
