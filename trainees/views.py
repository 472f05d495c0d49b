"""Pages for reflections and surveys. Each starts from a scoped query; anything outside the
person's scope answers 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.jinja2 import url_by_pk
from programs import access
from programs import cache as kenshu_cache
from programs.compiled import CompiledQuery, run_together
from programs.integers import id_param, int_param
from programs.models import Activity, Enrollment, Municipality, Status

from . import access as trainee_access
from .cells import DayLabels, Escape, display_name
from .forms import SurveySettingsForm
from .models import (
    COMMENT_LIMIT,
    SECTION_LIMIT,
    SECTIONS,
    DailyReflection,
    Phase,
    QuestionKind,
    ReflectionComment,
    ReflectionStatus,
    SurveyResponse,
    day_state,
)
from .registry_hooks import WAITING_FOR_REVIEW
from .services import reflections as reflection_services
from .services import surveys as survey_services
from .services.reflections import ReflectionRefused, day_label, deadline_of, reflection_days


def _state_label(state: str) -> str:
    # One word for each state on every page, looked up in the page's language.
    return {
        "missing": _("Overdue"),
        "due": _("Not submitted yet"),
        "upcoming": "",
        "draft": _("Draft"),
        "submitted": _("Submitted"),
        "late": _("Submitted late"),
        "reviewed": _("Reviewed"),
    }[state]


# The trainee writes --------------------------------------------------------------------


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
        action = request.POST.get("action", "save")
        markers = _client_markers(request.POST)
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
            return _render_write(
                request,
                enrollment,
                day,
                values=values,
                errors=refused.errors or {"__all__": refused.message},
                status=409 if refused.code == "locked" else 400,
            )
        row = saved.reflection
        if action != "submit":
            messages.success(
                request,
                _("Draft saved.")
                if row.status == ReflectionStatus.DRAFT
                else _("Changes saved. The reflection stays submitted; readers see the changes."),
            )
        elif not saved.applied:
            messages.info(request, _("This reflection was already submitted."))
        elif not saved.first_submission:
            messages.success(request, _("Changes submitted."))
        elif row.late:
            messages.warning(
                request, _("Submitted after the deadline: it is marked late. Thank you.")
            )
        else:
            messages.success(request, _("Submitted. Thank you."))
        return redirect("trainees:reflection_write", enrollment.pk, day)
    return _render_write(request, enrollment, day, days=days)


def _client_markers(data) -> dict:
    """The page's id, its change counter and the revision it started from (filled in by the
    page's script; empty without JavaScript). A counter that is not plain digits in the
    column's range (2**70, "1e5", "٣") is no counter: the save goes ahead as one from a page
    without JavaScript (never taken for a duplicate, so the text is kept), and nothing odd
    reaches the database. An odd base revision is no base revision."""
    client_id = (data.get("client_id") or "")[:40]
    raw_seq = data.get("client_seq") or "0"
    seq = int_param(raw_seq, minimum=0)
    if seq is None:
        client_id, seq = "", 0
    return {
        "client_id": client_id,
        "client_seq": seq,
        "base_revision": int_param(data.get("base_revision"), minimum=0),
    }


def _revisions(reflection, *, readers: bool) -> list[dict]:
    """Earlier versions, each section labelled; readers never see a draft's."""
    if reflection is None:
        return []
    rows = reflection.revisions.select_related("changed_by")
    if readers:
        rows = rows.for_readers()
    labels = dict(SECTIONS)
    return [
        {
            "when": r.changed_at,
            "who": r.changed_by.display_name if r.changed_by else "",
            "why": r.get_kind_display(),
            "note": r.reason if r.kind == "operator" and r.reason != "admin" else "",
            "sections": [(labels[name], r.content.get(name, "")) for name, _label in SECTIONS],
            "rating": r.content.get("self_rating"),
        }
        for r in rows
    ]


def _render_write(
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
    program = enrollment.program
    reflection = (
        DailyReflection.objects.filter(enrollment=enrollment, date=day)
        .select_related("reviewed_by")
        .first()
    )
    comments = []
    if reflection is not None:
        comments = list(reflection.comments.select_related("author"))
        if request.method == "GET":
            reflection_services.mark_comments_read(reflection, request.user)
    if values is None:
        values = (
            reflection.content()
            if reflection
            else {name: "" for name, _label in SECTIONS} | {"self_rating": None}
        )
    errors = errors or {}
    deadline = deadline_of(program, day)
    days = days if days is not None else reflection_days(program)
    index = days.index(day)
    sections = [
        {
            "name": name,
            "label": label,
            "value": values.get(name, ""),
            "error": errors.get(name, ""),
            "count": len(values.get(name, "") or ""),
        }
        for name, label in SECTIONS
    ]
    return render(
        request,
        "trainees/reflection_write.html",
        {
            "enrollment": enrollment,
            "program": program,
            "day": day,
            "reflection": reflection,
            "sections": sections,
            "rating": str(values.get("self_rating") or ""),
            "rating_error": errors.get("self_rating", ""),
            "form_error": errors.get("__all__", ""),
            "errors": errors,
            "first_error": next(
                (name for name, _l in [*SECTIONS, ("self_rating", "")] if name in errors), ""
            ),
            "revisions": _revisions(reflection, readers=False),
            "limit": SECTION_LIMIT,
            "deadline": deadline,
            "past_deadline": timezone.now() > deadline,
            "locked": reflection is not None and reflection.is_locked,
            "comments": comments,
            "comment_text": comment_text,
            "comment_errors": comment_errors or {},
            "comment_limit": COMMENT_LIMIT,
            "can_comment": reflection is not None
            and reflection_services.can_comment(request.user, reflection),
            "previous_day": days[index - 1] if index > 0 else None,
            "next_day": days[index + 1]
            if index + 1 < len(days) and days[index + 1] <= timezone.localdate()
            else None,
            "ratings": [
                (1, _("1 — not at all")),
                (2, _("2")),
                (3, _("3")),
                (4, _("4")),
                (5, _("5 — fully")),
            ],
        },
        status=status,
    )


def _autosave(request, enrollment, day) -> JsonResponse:
    """The page's automatic save: answers JSON (the page shows it, never reloads)."""
    try:
        saved = reflection_services.save_draft(
            enrollment, day, request.POST, by=request.user, **_client_markers(request.POST)
        )
    except ReflectionRefused as refused:
        return JsonResponse(
            {
                "ok": False,
                "code": refused.code,
                "errors": refused.errors or {"__all__": refused.message},
            },
            status=409 if refused.code == "locked" else 400,
        )
    row = saved.reflection
    saved_at = timezone.localtime(row.updated_at)
    return JsonResponse(
        {
            "ok": True,
            "applied": saved.applied,
            "revision": row.revision,
            "client_seq": row.client_seq if row.client_id == request.POST.get("client_id") else 0,
            "message": _("Saved at %(time)s") % {"time": f"{saved_at:%H:%M:%S}"},
        }
    )


def my_reflections(request):
    """A trainee's reflections, program by program: each day's state, unread comments."""
    access.get_trainee_profile(request.user)
    enrollments = list(
        Enrollment.objects.filter(trainee=request.user)
        .exclude(program__status=Status.DRAFT)
        .select_related("program")
        .order_by("-program__start_date")
    )
    today = timezone.localdate()
    activity_dates = reflection_services.activity_dates_by_program(
        [e.program_id for e in enrollments]
    )
    rows = {
        (r["enrollment_id"], r["date"]): r
        for r in DailyReflection.objects.visible_to(request.user)
        .filter(enrollment__in=enrollments)
        .annotate(
            unread=Count(
                "comments",
                filter=Q(comments__read_by_trainee_at__isnull=True)
                & ~Q(comments__author=request.user),
            )
        )
        .values("enrollment_id", "date", "status", "late", "unread")
    }
    now = timezone.now()
    programs = []
    for enrollment in enrollments:
        program = enrollment.program
        days = []
        for day in reflection_days(program, activity_dates.get(program.pk, set())):
            row = rows.get((enrollment.pk, day))
            state = day_state(
                row["status"] if row else None,
                bool(row and row["late"]),
                day=day,
                deadline=deadline_of(program, day),
                today=today,
                now=now,
            )
            days.append(
                {
                    "label": day_label(day),
                    "state": state,
                    "state_label": _state_label(state),
                    "url": reverse("trainees:reflection_write", args=[enrollment.pk, day])
                    if day <= today and enrollment.is_active
                    else "",
                    "unread": row["unread"] if row else 0,
                    "today": day == today,
                }
            )
        programs.append({"enrollment": enrollment, "program": program, "days": days})
    return render(request, "trainees/my_reflections.html", {"programs": programs})


# Readers: host, mentor, supervisor -------------------------------------------------------


def _visible_reflection(user, pk: int) -> DailyReflection:
    return get_object_or_404(
        DailyReflection.objects.visible_to(user).select_related(
            "enrollment__trainee",
            "enrollment__program__host",
            "enrollment__municipality",
            "enrollment__mentor",
            "reviewed_by",
        ),
        pk=pk,
    )


def reflection_detail(request, pk: int):
    reflection = _visible_reflection(request.user, pk)
    if reflection.enrollment.trainee_id == request.user.pk:
        return redirect("trainees:reflection_write", reflection.enrollment_id, reflection.date)
    return _render_detail(request, reflection)


def _render_detail(request, reflection, *, comment_text="", comment_errors=None, status=200):
    enrollment = reflection.enrollment
    program = enrollment.program
    is_host = access.works_for_host(request.user, program)
    return render(
        request,
        "trainees/reflection_detail.html",
        {
            "reflection": reflection,
            "enrollment": enrollment,
            "program": program,
            "sections": [
                {"label": label, "text": getattr(reflection, name)} for name, label in SECTIONS
            ],
            "comments": list(reflection.comments.select_related("author")),
            "can_comment": reflection_services.can_comment(request.user, reflection),
            "can_review": reflection.status == ReflectionStatus.SUBMITTED
            and access.can_edit_program(request.user, program),
            "is_host": is_host,
            "comment_text": comment_text,
            "comment_errors": comment_errors or {},
            "comment_limit": COMMENT_LIMIT,
            "deadline": deadline_of(program, reflection.date),
            "revisions": _revisions(reflection, readers=True) if is_host else [],
            "changed_after_submission": reflection.revision > reflection.submitted_revision,
        },
        status=status,
    )


@require_POST
def reflection_comment(request, pk: int):
    reflection = _visible_reflection(request.user, pk)
    body = request.POST.get("body", "")
    own = reflection.enrollment.trainee_id == request.user.pk
    try:
        reflection_services.add_comment(reflection, body, by=request.user)
    except ReflectionRefused as refused:
        if refused.code == "forbidden":
            # They may read it (or it would be 404 above), not write in its thread.
            raise PermissionDenied from refused
        if own:
            return _render_write(
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
        return redirect(
            reverse("trainees:reflection_write", args=[reflection.enrollment_id, reflection.date])
            + "#thread"
        )
    return redirect(reverse("trainees:reflection_detail", args=[reflection.pk]) + "#thread")


@require_POST
def reflection_review(request, pk: int):
    reflection = _visible_reflection(request.user, pk)
    try:
        reflection_services.mark_reviewed(reflection, by=request.user)
    except ReflectionRefused as refused:
        if refused.code == "forbidden":
            raise PermissionDenied from refused
        messages.error(request, refused.message)
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
        lambda: _matrix_context(request, program),
        kind="reflection-matrix",
        scopes=kenshu_cache.program_page_scopes(program, "week", "trainees"),
        parts=(program.pk, timezone.now() > deadline_of(program, today)),  # cells turn "overdue"
    )
    return render(
        request, "trainees/reflection_matrix.html", {"program": program, "content": content}
    )


MATRIX_ROWS = CompiledQuery(
    lambda program_id: (
        Enrollment.objects.active()
        .filter(program_id=program_id)
        .order_by("trainee__family_name_kana", "trainee__email", "pk")
        .values_list(
            "pk",
            "trainee__family_name",
            "trainee__given_name",
            "trainee__email",
            "municipality__name",
            "reflections__pk",
            "reflections__date",
            "reflections__status",
            "reflections__late",
        )
        .annotate(comment_count=Count("reflections__comments"))
    )
)
LIVE_ACTIVITY_DATES = CompiledQuery(
    lambda program_id: Activity.objects.live().filter(program_id=program_id).values_list("date")
)


def _matrix_context(request, program) -> dict:
    """One query for the trainees and their reflections' states (and one for the activity
    dates when the program has a weekend). The person works for the program's host
    (`get_host_program` checked it on this request), so every active enrolment of the program
    and every reflection's state is theirs to see, as `Enrollment.objects.visible_to` and
    `DailyReflection.objects.states_visible_to` give them: the queries name the program
    instead of repeating those scoped subqueries. Drafts show as a state, never as a link."""
    weekend = any(day.weekday() >= 5 for day in program.days)
    # One row per (enrolment, reflection); an enrolment without reflections gives one row
    # with no reflection. Both queries are compiled once per connection (programs.compiled)
    # and sent together (one round trip on PostgreSQL).
    pending = [MATRIX_ROWS.later(program.pk)]
    if weekend:
        pending.append(LIVE_ACTIVITY_DATES.later(program.pk))
    found, *dates = run_together(pending)
    activity_dates = {day for (day,) in dates[0]} if dates else set()
    days = reflection_days(program, activity_dates)
    enrollments: dict[int, list] = {}
    for pk, family, given, email, municipality, r_pk, r_date, status, late, comments in found:
        entry = enrollments.get(pk)
        if entry is None:
            entry = enrollments[pk] = [display_name(family, given, email), municipality, {}]
        if r_pk is not None:
            entry[2][r_date] = (r_pk, status, late, comments)

    today = timezone.localdate()
    now = timezone.now()
    labels = DayLabels()
    detail_url = url_by_pk("trainees:reflection_detail")
    state_labels = {}
    columns = []  # per day: its label and the state of a day without a reflection
    for day in days:
        if day > today:
            empty = "upcoming"
        else:
            empty = "missing" if deadline_of(program, day) < now else "due"
        columns.append((day, labels[day], empty))
    submitted_per_day = [0] * len(days)
    escaped = Escape()
    table = []  # (name, municipality, cells), each cell (state, label, url, comments, day)
    for name, municipality, reflections in enrollments.values():
        cells = []
        for i, (day, label, empty) in enumerate(columns):
            found_row = reflections.get(day)
            url = ""
            comments = 0
            if found_row is None:
                state = empty
            else:
                r_pk, status, late, count = found_row
                state = day_state(status, late)
                if status != ReflectionStatus.DRAFT:
                    url = detail_url(r_pk)
                    comments = count
                    submitted_per_day[i] += 1
            state_label = state_labels.get(state)
            if state_label is None:
                state_label = state_labels[state] = _state_label(state)
            cells.append(escaped.row(state, state_label, url, comments, label))
        table.append((escaped[name], escaped[municipality], cells))
    return {
        "days": [
            {"label": label, "today": day == today, "submitted": submitted_per_day[i]}
            for i, (day, label, _empty) in enumerate(columns)
        ],
        "table": table,
        "trainee_count": len(enrollments),
    }


INBOX_PAGE = 50  # reflections a page, oldest waiting first


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
        lambda: _inbox_context(host_ids, number),
        kind="reflection-inbox",
        scopes=kenshu_cache.host_page_scopes(host_ids, "week", "trainees"),
        parts=(number,),
    )
    return render(request, "trainees/reflection_inbox.html", {"content": content})


def _inbox_rows(host_ids: list[int]):
    comments = (
        ReflectionComment.objects.filter(reflection=OuterRef("pk"))
        .order_by()
        .values("reflection")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        DailyReflection.objects.filter(
            status=ReflectionStatus.SUBMITTED, enrollment__program__host_id__in=host_ids
        )
        .order_by("submitted_at", "pk")  # the pk settles ties: the same 200 every time
        .values_list(
            "pk",
            "date",
            "late",
            "submitted_at",
            "self_rating",
            "enrollment__trainee__family_name",
            "enrollment__trainee__given_name",
            "enrollment__trainee__email",
            "enrollment__municipality__name",
            "enrollment__program__title",
            Coalesce(Subquery(comments, output_field=IntegerField()), 0),
        )
    )


# The first page, and the count of all waiting, compiled once per connection
# (programs.compiled) and sent together; the other pages through the ORM.
INBOX_FIRST_PAGE = CompiledQuery(lambda hosts: _inbox_rows(hosts)[:INBOX_PAGE])


def _inbox_context(host_ids, number: int) -> dict:
    """A page of the submitted (not yet reviewed) reflections of the person's hosts'
    programs, oldest first, and how many wait in all. `host_ids` are the hosts the person
    works for (read from the database on this request): every submitted reflection of their
    programs is one `DailyReflection.objects.visible_to` gives them, so the queries name the
    hosts instead of repeating the scoped subqueries. Only the columns printed are fetched
    (no text). A page past the last shows the last."""
    hosts = sorted(host_ids)
    counted, waiting = run_together(
        [WAITING_FOR_REVIEW.later(hosts), INBOX_FIRST_PAGE.later(hosts)]
    )
    paginator = Paginator([], INBOX_PAGE)
    paginator.count = sum(n for (n,) in counted)
    page = paginator.get_page(number)
    if page.number > 1:
        waiting = list(_inbox_rows(hosts)[page.start_index() - 1 : page.end_index()])
    detail_url = url_by_pk("trainees:reflection_detail")
    labels = DayLabels()
    zone = timezone.get_current_timezone()
    escaped = Escape()
    rows = []  # tuples of escaped cells, unpacked by the template's loop
    for row in waiting:
        pk, day, late, submitted_at, rating, family, given, email, municipality, title, n = row
        at = (submitted_at or timezone.now()).astimezone(zone)  # as timezone.localtime()
        rows.append(
            escaped.row(
                detail_url(pk),
                display_name(family, given, email),
                municipality,
                labels[day],
                title,
                # formats.date_format(at, "n/j H:i"), the same in every language
                f"{at.month}/{at.day} {at.hour:02d}:{at.minute:02d}",
                late,
                rating or "—",
                n,
            )
        )
    return {"rows": rows, "page": page, "total": paginator.count}


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
            "items": [
                {
                    "reflection": r,
                    "day": day_label(r.date),
                    "url": reverse("trainees:reflection_detail", args=[r.pk]),
                }
                for r in page
            ],
        },
    )


# Surveys --------------------------------------------------------------------------------


def survey_answer(request, enrollment_pk: int, phase: str):
    enrollment = trainee_access.get_own_enrollment(request.user, enrollment_pk)
    if phase not in Phase.values:
        raise Http404
    program = enrollment.program
    survey = survey_services.survey_of(program)
    window = survey_services.windows(program, survey).get(phase)
    if window is None:
        raise Http404
    questions = survey_services.questions_of(survey.question_set)
    response = (
        SurveyResponse.objects.visible_to(request.user)
        .filter(enrollment=enrollment, phase=phase)
        .first()
    )
    previous = {}
    if response is not None:
        for a in response.answers.all():
            previous[f"q{a.question_id}"] = str(a.value) if a.value is not None else a.text
    values, errors, status = previous, {}, 200
    if request.method == "POST":
        try:
            survey_services.answer(enrollment, phase, request.POST)
        except survey_services.SurveyRefused as refused:
            values = {f"q{q.pk}": request.POST.get(f"q{q.pk}", "") for q in questions}
            errors = refused.errors or {"__all__": refused.message}
            status = 400
        else:
            messages.success(request, _("Thank you. Your answers are saved."))
            return redirect("programs:trainee_today")
    now = timezone.now()
    scale = [
        (1, _("Strongly disagree")),
        (2, _("Disagree")),
        (3, _("Neither")),
        (4, _("Agree")),
        (5, _("Strongly agree")),
    ]
    return render(
        request,
        "trainees/survey_answer.html",
        {
            "enrollment": enrollment,
            "program": program,
            "phase": phase,
            "phase_label": Phase(phase).label,
            "window": window,
            "is_open": window.is_open(now),
            "not_yet": window.opens is not None and now < window.opens,
            "response": response,
            "form_error": errors.get("__all__", ""),
            "error_count": len([k for k in errors if k != "__all__"]),
            "questions": [
                {
                    "name": f"q{q.pk}",
                    "label": q.label,
                    "likert": q.kind == QuestionKind.LIKERT,
                    "value": values.get(f"q{q.pk}", ""),
                    "error": errors.get(f"q{q.pk}", ""),
                    "number": index,
                }
                for index, q in enumerate(questions, start=1)
            ],
            "scale": scale,
            "text_limit": survey_services.TEXT_LIMIT,
        },
        status=status,
    )


def _trainee_cell(cell: dict, later: list) -> str:
    """ "4 → 5 (+1)"; with a follow-up, "4 → 5 (+1) → 4 (0)"."""
    text = "—" if cell["pre"] is None else str(cell["pre"])
    for phase in later:
        value, change = cell[phase], cell[f"{phase}_change"]
        text += " → " + ("—" if value is None else str(value))
        if change is not None:
            text += f" ({change:+d})"
    return text


def survey_results(request, pk: int):
    """Change per question and per trainee, drawn as SVG; coordinators set the questions and
    the follow-up here."""
    program = trainee_access.get_host_program(request.user, pk)
    survey = survey_services.survey_of(program)
    can_edit = access.can_edit_program(request.user, program)
    form = None
    status = 200
    if can_edit:
        form = SurveySettingsForm(request.POST or None, instance=survey, program=program)
        if request.method == "POST":
            if form.is_valid():
                try:
                    survey_services.change_question_set(
                        program,
                        form.cleaned_data["question_set"],
                        form.cleaned_data["followup_days"],
                        by=request.user,
                    )
                except survey_services.SurveyRefused as refused:
                    form.add_error("question_set", refused.message)
                    status = 400
                else:
                    messages.success(request, _("Survey settings saved."))
                    return redirect("trainees:survey_results", pk=program.pk)
            else:
                status = 400
    elif request.method == "POST":
        raise PermissionDenied
    result = survey_services.results(program)
    later = result.phases[1:]
    question_rows = [
        {
            "number": number,
            "label": item.question.label,
            "means": [
                f"{item.means[p]:.1f} (n={item.counts[p]})" if item.means[p] is not None else "—"
                for p in result.phases
            ],
            "changes": [
                f"{item.change[p]:+.1f} ({item.paired[p]})" if item.change[p] is not None else "—"
                for p in later
            ],
        }
        for number, item in enumerate(result.questions, start=1)
    ]
    answered_later = [p for p in later if result.responded.get(p)]
    trainee_rows = [
        {
            "name": row.enrollment.trainee.display_name,
            "cells": [_trainee_cell(cell, answered_later) for cell in row.cells],
        }
        for row in result.trainees
    ]
    window_list = [
        {"label": Phase(phase).label, "window": window}
        for phase, window in survey_services.windows(program, survey).items()
    ]
    return render(
        request,
        "trainees/survey_results.html",
        {
            "program": program,
            "survey": survey,
            "result": result,
            "question_rows": question_rows,
            "trainee_rows": trainee_rows,
            "chart": survey_services.chart(result),
            "form": form,
            "windows": window_list,
            "phase_labels": [Phase(p).label for p in result.phases],
            "later_phases": [Phase(p).label for p in result.phases[1:]],
            "responded": [
                {"label": Phase(p).label, "count": result.responded.get(p, 0)}
                for p in result.phases
            ],
        },
        status=status,
    )
