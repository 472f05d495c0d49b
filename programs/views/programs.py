"""Programs: list, create, edit, detail, the status workflow, enrolments and rosters."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from config.jinja2 import url_by_pk
from config.translated import choice_labels

from .. import access, registry
from .. import cache as kenshu_cache
from ..client import client_ip
from ..compiled import CompiledQuery, run_together
from ..forms import (
    EnrollForm,
    InviteTraineeForm,
    ProgramFilterForm,
    ProgramForm,
    RosterUploadForm,
    WithdrawForm,
)
from ..integers import int_param
from ..models import Enrollment, HostCompany, Municipality, Program, Role, RosterImport, Status
from ..services import invitations as invitation_services
from ..services import programs as program_services
from ..services import roster as roster_services
from .core import being_sent

PAGE_SIZE = 50
PREFECTURES = dict(Municipality._meta.get_field("prefecture").flatchoices)
FISCAL_YEAR = gettext_lazy("FY%(year)s")


def program_rows(programs: list[dict], municipalities: dict[int, list[str]]) -> list[dict]:
    """Shape programs (`.values()` dicts) for the list template: every cell a string."""
    rows = []
    detail = url_by_pk("programs:program_detail")
    fiscal_year = str(FISCAL_YEAR)  # translated once per table, not once per row
    labels = choice_labels(Status)
    for p in programs:
        status = p["effective_status"]
        rows.append(
            {
                "url": detail(p["pk"]),
                "title": p["title"],
                "host": p["host__name"],
                # isoformat(): the same text as strftime's %Y-%m-%d, in a fifth of the time
                "dates": f"{p['start_date'].isoformat()} – {p['end_date'].isoformat()[5:]}",
                "fiscal_year": fiscal_year % {"year": p["fiscal_year"]},
                "status": status,
                "status_label": labels[status],
                "trainees": p["trainees"],
                "municipalities": "、".join(sorted(municipalities.get(p["pk"], []))) or "—",
            }
        )
    return rows


def program_list(request):
    """A page of 50 programs: a fixed number of queries whatever the number of programs or
    trainees; the rendered content is cached until a program, enrolment or person changes."""
    content = kenshu_cache.cached_render(
        request,
        "programs/program_list_content.html",
        lambda: _program_list_context(request),
        kind="program_list",
        scopes=kenshu_cache.host_page_scopes(_hosts_of_visible_programs(request.user), "week"),
        parts=(request.GET.urlencode(),),
    )
    return render(request, "programs/program_list.html", {"content": content})


def _hosts_of_visible_programs(user) -> set[int]:
    """The host's people see their hosts' programs; anyone else (a supervisor, a trainee) the
    programs of the hosts their trainees or they themselves are enrolled with."""
    hosts = access.host_ids_of(user)
    if hosts:
        return hosts
    return set(
        Program.objects.visible_to(user).order_by().values_list("host_id", flat=True).distinct()
    )


ROW_FIELDS = (
    "pk",
    "title",
    "host__name",
    "start_date",
    "end_date",
    "fiscal_year",
    "status",
    "effective_status",
)


# The list's queries, written once: run through the ORM, or compiled once per connection
# (programs.compiled) for its most read form — the first page, unfiltered, for someone who
# only works for hosts (their programs are their hosts', their enrolments those programs').
def _years(programs):
    return programs.order_by().values_list("fiscal_year").annotate(n=Count("pk"))


PAGE_ORDER = ("-start_date", "title", "pk")  # the pk last: one order, whichever query asks


def _page_rows(programs, today):
    return programs.with_effective_status(today).order_by(*PAGE_ORDER)


def _trainees(enrollments, program_ids):
    return (
        enrollments.active()
        .filter(program__in=program_ids)
        .order_by()
        .values_list("program", "municipality__name")
        .annotate(n=Count("pk"))
    )


def _municipalities(enrollments):
    return Municipality.objects.filter(pk__in=enrollments.active().values("municipality"))


HOST_YEARS = CompiledQuery(lambda hosts: _years(Program.objects.filter(host_id__in=hosts)))
HOST_FIRST_PAGE = CompiledQuery(
    lambda hosts, today: _page_rows(Program.objects.filter(host_id__in=hosts), today).values_list(
        *ROW_FIELDS
    )[:PAGE_SIZE]
)
# The first page's trainees, its programs chosen again in a subquery, so that the four
# queries go to the database together (one round trip on PostgreSQL).
FIRST_PAGE_TRAINEES = CompiledQuery(
    lambda hosts: _trainees(
        Enrollment.objects.all(),
        Program.objects.filter(host_id__in=hosts).order_by(*PAGE_ORDER).values("pk")[:PAGE_SIZE],
    )
)
HOST_MUNICIPALITIES = CompiledQuery(
    lambda hosts: _municipalities(
        Enrollment.objects.filter(program__host_id__in=hosts)
    ).values_list("pk", "prefecture", "name")
)


def _program_list_context(request) -> dict:
    today = timezone.localdate()
    hosts = access.only_hosts(request.user)
    if hosts and not request.GET:
        return _first_page_for_hosts(request, hosts, today)
    base = access.programs_for(request.user)
    per_year = dict(_years(base))
    years = sorted(per_year, reverse=True)
    visible_enrollments = access.enrollments_for(request.user)
    municipalities = _municipalities(visible_enrollments)
    form = ProgramFilterForm(request.GET or None, years=years, municipalities=municipalities)
    programs = _page_rows(base, today)
    filtered = False
    if form.is_valid():
        filtered = any(form.cleaned_data.values())
        data = form.cleaned_data
        if data["q"]:
            programs = programs.filter(
                Q(title__icontains=data["q"]) | Q(host__name__icontains=data["q"])
            )
        if data["fiscal_year"]:
            programs = programs.filter(fiscal_year=data["fiscal_year"])
        if data["status"]:
            programs = programs.filter(effective_status=data["status"])
        if data["municipality"]:
            programs = programs.filter(
                pk__in=visible_enrollments.active()
                .filter(municipality=data["municipality"])
                .values("program")
            )
    paginator = Paginator(programs.values_list(*ROW_FIELDS), PAGE_SIZE)
    if not filtered:
        paginator.count = sum(per_year.values())  # counted with the years, one query less
    page = paginator.get_page(int_param(request.GET.get("page")) or 1)
    rows = [dict(zip(ROW_FIELDS, row, strict=True)) for row in page.object_list]
    trainees = list(_trainees(visible_enrollments, [p["pk"] for p in rows]))
    options = list(municipalities.values_list("pk", "prefecture", "name"))
    return _list_context(request, form, years, rows, trainees, options, page)


def _first_page_for_hosts(request, hosts: list[int], today) -> dict:
    year_rows, page_rows, trainees, options = run_together(
        [
            HOST_YEARS.later(hosts),
            HOST_FIRST_PAGE.later(hosts, today),
            FIRST_PAGE_TRAINEES.later(hosts),
            HOST_MUNICIPALITIES.later(hosts),
        ]
    )
    per_year = dict(year_rows)
    years = sorted(per_year, reverse=True)
    paginator = Paginator([], PAGE_SIZE)
    paginator.count = sum(per_year.values())
    page = paginator.get_page(1)
    rows = [dict(zip(ROW_FIELDS, row, strict=True)) for row in page_rows]
    # No filter given: the filters are drawn from the form's class, without making a form
    # (copying its four fields costs more than the page's four queries).
    return _list_context(request, None, years, rows, trainees, options, page)


def _list_context(request, form, years, rows, trainees, municipality_options, page) -> dict:
    # The page's trainees, counted per program and municipality.
    names: dict[int, list[str]] = {}
    counts: dict[int, int] = {}
    for program_id, name, n in trainees:
        names.setdefault(program_id, []).append(name)
        counts[program_id] = counts.get(program_id, 0) + n
    for p in rows:
        p["trainees"] = counts.get(p["pk"], 0)
    query = request.GET.copy()
    query.pop("page", None)
    bound = form is not None and form.is_bound
    return {
        "q": request.GET.get("q", "") if bound else "",
        "filters": _filter_choices(request.GET if bound else {}, years, municipality_options),
        "rows": program_rows(rows, names),
        "page": page,
        "query": query.urlencode(),
        "can_create": bool(access.roles_of(request.user)["coordinated_ids"])
        or (request.user.is_superuser and HostCompany.objects.exists()),
    }


def _filter_choices(picked, years, municipality_options) -> list[tuple]:
    """The three filter <select>s as (name, label, [(value, text, selected)]): the same
    options and labels the form's fields offer, without Django's widget templates."""
    fields = ProgramFilterForm.base_fields
    options = (
        ("fiscal_year", ProgramFilterForm.year_choices(years)),
        ("status", fields["status"].choices),
        (
            "municipality",
            [
                ("", "---------"),
                *(  # labelled as str(municipality) is: "都道府県 名前"
                    (pk, f"{PREFECTURES[prefecture]} {name}")
                    for pk, prefecture, name in municipality_options
                ),
            ],
        ),
    )
    return [
        (
            name,
            fields[name].label,
            [(str(v), str(text), str(v) == picked.get(name, "")) for v, text in choices],
        )
        for name, choices in options
    ]


def program_create(request):
    hosts = list(HostCompany.objects.coordinated_by(request.user))
    if not hosts:
        return render(request, "programs/no_role.html", status=404)
    host_id = request.POST.get("host") or request.GET.get("host")
    host = next((h for h in hosts if str(h.pk) == str(host_id)), hosts[0])
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        program = form.save(commit=False)
        program.host = host
        try:
            program_services.save_program(program, by=request.user, ip=client_ip(request))
        except program_services.ProgramRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _("Program created. Now build its week."))
            return redirect("programs:week_grid", pk=program.pk)
    return render(
        request,
        "programs/program_form.html",
        {"form": form, "hosts": hosts, "host": host, "program": None},
    )


def program_edit(request, pk: int):
    program = access.get_program_for_user(request.user, pk, write=True)
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        try:
            program_services.save_program(
                form.save(commit=False), by=request.user, ip=client_ip(request)
            )
        except program_services.ProgramRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, _("Program saved."))
            return redirect("programs:program_detail", pk=program.pk)
    return render(
        request,
        "programs/program_form.html",
        {"form": form, "program": program, "host": program.host},
    )


def program_detail(request, pk: int):
    program = access.get_program_for_user(request.user, pk)
    can_edit = access.can_edit_program(request.user, program)
    enrollments = list(
        Enrollment.objects.visible_to(request.user)
        .filter(program=program)
        .select_related("trainee", "municipality", "mentor")
        .order_by("withdrawn_at", "trainee__family_name_kana", "trainee__email")
    )
    context = {
        "program": program,
        "status": program.effective_status,
        "status_label": choice_labels(Status)[program.effective_status],
        "moves": program_services.allowed_moves(program, timezone.localdate()) if can_edit else [],
        "can_edit": can_edit,
        "enrollments": enrollments,
        "sections": registry.program_sections(request.user, program),
        "roster_import": program.roster_imports.defer("upload", "rows").first()
        if can_edit
        else None,
        "pending_invitations": list(program.invitations.pending().select_related("municipality"))
        if can_edit
        else [],
    }
    if can_edit:
        context["enroll_form"] = EnrollForm(program=program, user=request.user)
        context["withdraw_form"] = WithdrawForm()
    return render(request, "programs/program_detail.html", context)


MOVE_MESSAGES = {
    "publish": gettext_lazy("Program published."),
    "unpublish": gettext_lazy("Program back to draft."),
    "report": gettext_lazy("Program marked as reported."),
}


@require_POST
def program_move(request, pk: int):
    program = access.get_program_for_user(request.user, pk, write=True)
    move = request.POST.get("move", "")
    try:
        program_services.move_program(
            program, move, by=request.user, today=timezone.localdate(), ip=client_ip(request)
        )
    except program_services.ProgramRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, str(MOVE_MESSAGES[move]))
    return redirect("programs:program_detail", pk=program.pk)


@require_POST
def enrollment_create(request, pk: int):
    program = access.get_program_for_user(request.user, pk, write=True)
    form = EnrollForm(request.POST, program=program, user=request.user)
    if form.is_valid():
        try:
            program_services.enroll(
                program,
                form.cleaned_data["trainee"],
                by=request.user,
                mentor=form.cleaned_data["mentor"],
                ip=client_ip(request),
            )
        except program_services.ProgramRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, _("%(person)s enrolled.") % {"person": form.cleaned_data["trainee"]}
            )
    else:
        messages.error(request, _("Choose a trainee to enrol."))
    return redirect("programs:program_detail", pk=program.pk)


@require_POST
def enrollment_withdraw(request, pk: int, enrollment_pk: int):
    program = access.get_program_for_user(request.user, pk, write=True)
    enrollment = access.get_enrollment_for_user(request.user, program, enrollment_pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        program_services.withdraw(enrollment, by=request.user, reason=reason, ip=client_ip(request))
    except program_services.ProgramRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("%(person)s withdrawn. What they wrote is kept.") % {"person": enrollment.trainee},
        )
    return redirect("programs:program_detail", pk=program.pk)


def invite_trainee(request, pk: int):
    program = access.get_program_for_user(request.user, pk, write=True)
    form = InviteTraineeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invitation_services.create_invitation(
                invited_by=request.user,
                email=data["email"],
                role=Role.TRAINEE,
                host_company=program.host,
                municipality=data["municipality"],
                family_name=data["family_name"],
                given_name=data["given_name"],
                department=data["department"],
                position=data["position"],
                program=program,
                ip=client_ip(request),
            )
        except invitation_services.InvitationRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, being_sent(invitation.email))
            return redirect("programs:program_detail", pk=program.pk)
    return render(request, "programs/invite_trainee.html", {"program": program, "form": form})


def roster_upload(request, pk: int):
    """Step 1: upload. The file is kept and read by a worker (step 2, roster_import)."""
    program = access.get_program_for_user(request.user, pk, write=True)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > roster_services.MAX_BYTES:
            form.add_error("file", _("The file is larger than 5 MB."))
        else:
            roster_import = roster_services.start_reading(
                program, upload.read(), upload.name, by=request.user, ip=client_ip(request)
            )
            return redirect("programs:roster_import", pk=program.pk, import_pk=roster_import.pk)
    return render(request, "programs/roster.html", {"program": program, "form": form})


def _roster_import(request, pk: int, import_pk: int):
    program = access.get_program_for_user(request.user, pk, write=True)
    roster_import = get_object_or_404(
        RosterImport.objects.defer("upload"), pk=import_pk, program=program
    )
    return program, roster_import


def roster_import(request, pk: int, import_pk: int):
    """Step 2: the file being read (the page refreshes itself), then the preview, nothing
    written yet; or why the file could not be read, beside a form to upload it again."""
    program, roster_import = _roster_import(request, pk, import_pk)
    State = RosterImport.State
    if roster_import.state in (State.QUEUED, State.RUNNING, State.DONE, State.FAILED):
        return redirect("programs:program_detail", pk=program.pk)
    now = timezone.now()
    context = {"program": program, "roster_import": roster_import}
    refusal = roster_import.error if roster_import.state == State.REFUSED else ""
    if roster_services.reading_stopped(roster_import, now=now):
        refusal = _("Reading this file stopped before the end. Upload it again.")
    elif roster_import.state == State.PREVIEW:
        try:
            preview = roster_services.RosterPreview.from_json(roster_import.rows)
        except roster_services.RosterRefused as refused:
            refusal = refused.message
        else:
            context.update(
                preview=preview,
                shown=_preview_rows(preview),
                expired=roster_services.preview_expired(roster_import, now=now),
            )
    if refusal:
        form = RosterUploadForm()
        form.errors["file"] = form.error_class(  # with its id: the input points to it
            [refusal], field_id=form["file"].auto_id
        )
        context.update(form=form, refused=True)
    return render(request, "programs/roster.html", context)


def _preview_rows(preview, limit: int = 300):
    """Invalid rows first (all of them, up to the limit), then the others."""
    ordered = sorted(preview.rows, key=lambda r: (r.status != "invalid", r.line))
    return ordered[:limit]


@require_POST
def roster_confirm(request, pk: int, import_pk: int):
    """Step 3: confirm. A worker applies every row or none; the program page shows the result."""
    program, roster_import = _roster_import(request, pk, import_pk)
    try:
        roster_services.confirm_roster(
            roster_import, by=request.user, now=timezone.now(), ip=client_ip(request)
        )
    except roster_services.RosterRefused as refused:
        messages.error(request, refused.message)
        if roster_import.state == RosterImport.State.PREVIEW:
            return redirect("programs:roster_import", pk=program.pk, import_pk=roster_import.pk)
        return redirect("programs:program_detail", pk=program.pk)
    messages.success(request, _("The roster is being applied: its result appears below."))
    return redirect("programs:program_detail", pk=program.pk)
