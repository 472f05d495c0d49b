"""Pages of the core: home pages per role, people and invitations, language, health."""

from datetime import timedelta

from allauth.account.utils import get_next_redirect_url
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from config.jinja2 import url_by_pk
from config.translated import choice_labels

from .. import access, registry
from .. import cache as kenshu_cache
from ..client import client_ip
from ..compiled import CompiledQuery, run_together
from ..forms import AcceptInvitationForm, InvitationAddressForm, InvitationForm, LanguageForm
from ..health import health_status
from ..models import (
    Activity,
    Enrollment,
    HostCompany,
    Invitation,
    Membership,
    Municipality,
    Program,
    Status,
    TraineeProfile,
)
from ..services import invitations as invitation_services
from ..services.memberships import MembershipRefused, remove_membership


def home(request):
    """Send each person to the home page of their first role."""
    roles = access.roles_of(request.user)
    if roles["host"]:
        return redirect("programs:host_home")
    if roles["trainee"]:
        return redirect("programs:trainee_today")
    if roles["supervisor"]:
        return redirect("programs:municipality_home")
    return render(request, "programs/no_role.html")


def host_home(request):
    """The coordinator's dashboard: programs running this week and next, trainees on site
    today, programs by status. A fixed number of queries whatever the rows."""
    if not access.host_ids_of(request.user):
        raise Http404
    content = kenshu_cache.cached_render(
        request,
        "programs/host_home_content.html",
        lambda: _dashboard_context(request),
        kind="dashboard",
        scopes=kenshu_cache.host_page_scopes(access.host_ids_of(request.user), "week"),
    )
    return render(
        request,
        "programs/host_home.html",
        {
            "content": content,
            "due": registry.due_for(request.user, timezone.now()),
            "today": timezone.localdate(),
            "coordinated": access.roles_of(request.user)["coordinated_ids"],
        },
    )


# The dashboard's queries, compiled once per connection (programs.compiled): the host's
# people only (the view checked it), their hosts by id, no scoped subqueries.
DASHBOARD_HOSTS = CompiledQuery(
    lambda hosts: (
        HostCompany.objects.filter(pk__in=hosts)
        .order_by("name")
        .values_list("pk", "name")
        .annotate(member_count=Count("memberships"))
    )
)
DASHBOARD_COUNTS = CompiledQuery(
    lambda hosts, today: (
        Program.objects.filter(host_id__in=hosts)
        .with_effective_status(today)
        .order_by()
        .values_list("effective_status")
        .annotate(n=Count("pk"))
    )
)
DASHBOARD_UPCOMING = CompiledQuery(
    lambda hosts, today, monday, next_sunday: (
        Program.objects.filter(host_id__in=hosts)
        .with_effective_status(today)
        .filter(start_date__lte=next_sunday, end_date__gte=monday)
        .exclude(status=Status.DRAFT)
        .order_by("start_date", "title")
        .values_list("pk", "title", "start_date", "end_date", "effective_status")
        .annotate(trainees=Count("enrollments", filter=Q(enrollments__withdrawn_at__isnull=True)))[
            :50
        ]
    )
)
# The programs running today chosen in a subquery, not by joining every enrolment to its
# program: PostgreSQL then reads the few enrolments by their program's index (0.49 → 0.18 ms
# with 2,000 enrolments), where the join scanned them all.
DASHBOARD_ON_SITE = CompiledQuery(
    lambda hosts, today: (
        Enrollment.objects.active()
        .filter(
            program__in=Program.objects.filter(
                host_id__in=hosts,
                status=Status.PUBLISHED,
                start_date__lte=today,
                end_date__gte=today,
            ).values("pk")
        )
        .order_by("program__title", "trainee__family_name_kana")
        .values_list(
            "trainee__family_name",
            "trainee__given_name",
            "trainee__email",
            "municipality__name",
            "program__title",
        )[:200]
    )
)


UPCOMING_FIELDS = ("pk", "title", "start_date", "end_date", "effective_status", "trainees")


def _dashboard_context(request) -> dict:
    # The host's people only (the view checked it): their hosts by id, no scoped subqueries.
    host_ids = sorted(access.host_ids_of(request.user))
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    next_sunday = monday + timedelta(days=13)
    # Sent together: one round trip on PostgreSQL.
    host_rows, count_rows, upcoming_rows, on_site = run_together(
        [
            DASHBOARD_HOSTS.later(host_ids),
            DASHBOARD_COUNTS.later(host_ids, today),
            DASHBOARD_UPCOMING.later(host_ids, today, monday, next_sunday),
            DASHBOARD_ON_SITE.later(host_ids, today),
        ]
    )
    hosts = [{"pk": pk, "name": name, "member_count": n} for pk, name, n in host_rows]
    counts = dict(count_rows)
    upcoming = [dict(zip(UPCOMING_FIELDS, row, strict=True)) for row in upcoming_rows]
    this_week, next_week = _("this week"), _("next week")
    status_labels = choice_labels(Status)
    detail, week = url_by_pk("programs:program_detail"), url_by_pk("programs:week_grid")
    return {
        "hosts": [
            {**h, "people_url": reverse("programs:host_people", args=[h["pk"]])} for h in hosts
        ],
        "status_counts": [
            {"status": value, "label": label, "count": counts.get(value, 0)}
            for value, label in Status.choices
        ],
        "list_url": reverse("programs:program_list"),
        "upcoming": [
            {
                "url": detail(p["pk"]),
                "week_url": week(p["pk"]),
                "title": p["title"],
                "dates": f"{p['start_date']:%m/%d}–{p['end_date']:%m/%d}",
                "status": p["effective_status"],
                "status_label": status_labels[p["effective_status"]],
                "trainees": ngettext("%(counter)s trainee", "%(counter)s trainees", p["trainees"])
                % {"counter": p["trainees"]},
                "when": this_week if p["start_date"] <= monday + timedelta(days=6) else next_week,
            }
            for p in upcoming
        ],
        "on_site": [
            {
                "name": f"{family} {given}".strip() or email,
                "municipality": municipality,
                "program": title,
            }
            for family, given, email, municipality, title in on_site
        ],
    }


def host_people(request, pk: int):
    """The people of a host company: members, invited trainees and supervisors, invitations."""
    host = access.get_host_company_for_user(request.user, pk)
    can_manage = HostCompany.objects.coordinated_by(request.user).filter(pk=host.pk).exists()
    members = list(
        Membership.objects.visible_to(request.user)
        .filter(host_company=host)
        .select_related("user")
        .order_by("role", "user__family_name_kana", "user__email")
    )
    invitations = list(
        Invitation.objects.visible_to(request.user)
        .filter(host_company=host)
        .select_related("municipality", "invited_by", "accepted_by")
        .order_by("-created_at")[:200]
    )
    return render(
        request,
        "programs/host_people.html",
        {
            "host": host,
            "members": members,
            "invitations": invitations,
            "can_manage": can_manage,
            # The roles whose failed invitation this person may point at another address.
            "correctable_roles": invitation_services.invitable_roles(request.user, host)
            if can_manage
            else (),
            "now": timezone.now(),
        },
    )


def invitation_create(request, pk: int):
    host = access.get_host_company_for_user(request.user, pk, write=True)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invitation_services.create_invitation(
                invited_by=request.user,
                email=data["email"],
                role=data["role"],
                host_company=host,
                municipality=data["municipality"],
                family_name=data["family_name"],
                given_name=data["given_name"],
                department=data["department"],
                position=data["position"],
                ip=client_ip(request),
            )
        except invitation_services.InvitationRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, being_sent(invitation.email))
            return redirect("programs:host_people", pk=host.pk)
    return render(
        request,
        "programs/invitation_form.html",
        {"host": host, "form": form, "days": settings.KENSHU_INVITATION_DAYS},
    )


def _act_on_invitation(request, pk: int, invitation_pk: int, action, success: str):
    """Run one invitation service for a coordinator; report the outcome as a message."""
    host = access.get_host_company_for_user(request.user, pk, write=True)
    invitation = access.get_invitation_for_user(request.user, host, invitation_pk)
    try:
        action(invitation, by=request.user, ip=client_ip(request))
    except invitation_services.InvitationRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, success % {"email": invitation.email})
    return redirect("programs:host_people", pk=host.pk)


@require_POST
def invitation_resend(request, pk: int, invitation_pk: int):
    return _act_on_invitation(
        request,
        pk,
        invitation_pk,
        invitation_services.resend_invitation,
        _("The invitation to %(email)s is being sent again with a new link."),
    )


def being_sent(email: str) -> str:
    """What the page says once an invitation is created: the worker sends it after the
    response, so it is never called sent here."""
    return _(
        "The invitation to %(email)s is being sent. If it cannot be sent, the list of "
        "invitations says so."
    ) % {"email": email}


def invitation_address(request, pk: int, invitation_pk: int):
    """Correct the address of an invitation (one that could not be sent) and send it again:
    for the coordinators of its host."""
    host = access.get_host_company_for_user(request.user, pk, write=True)
    invitation = access.get_invitation_for_user(request.user, host, invitation_pk)
    return _correct_address(request, invitation, reverse("programs:host_people", args=[host.pk]))


def program_invitation_address(request, pk: int, invitation_pk: int):
    """The same, from the program page's list of invitations: for those who may edit it."""
    program = access.get_program_for_user(request.user, pk, write=True)
    invitation = get_object_or_404(
        Invitation.objects.visible_to(request.user).filter(program=program), pk=invitation_pk
    )
    return _correct_address(
        request, invitation, reverse("programs:program_detail", args=[program.pk])
    )


def _correct_address(request, invitation, back: str):
    form = InvitationAddressForm(request.POST or None, initial={"email": invitation.email_visible})
    if request.method == "POST" and form.is_valid():
        try:
            invitation_services.correct_and_resend(
                invitation, form.cleaned_data["email"], by=request.user, ip=client_ip(request)
            )
        except invitation_services.InvitationRefused as refused:
            form.add_error(refused.field if refused.field == "email" else None, refused.message)
        else:
            messages.success(request, being_sent(invitation.email))
            return HttpResponseRedirect(back)
    return render(
        request,
        "programs/invitation_address.html",
        {"invitation": invitation, "form": form, "back": back},
    )


@require_POST
def invitation_revoke(request, pk: int, invitation_pk: int):
    return _act_on_invitation(
        request,
        pk,
        invitation_pk,
        invitation_services.revoke_invitation,
        _("Invitation to %(email)s withdrawn."),
    )


@require_POST
def membership_remove(request, pk: int, membership_pk: int):
    host = access.get_host_company_for_user(request.user, pk, write=True)
    membership = access.get_membership_for_user(request.user, host, membership_pk)
    try:
        remove_membership(membership, by=request.user, ip=client_ip(request))
    except MembershipRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("%(person)s is no longer %(role)s.")
            % {"person": membership.user, "role": membership.get_role_display()},
        )
    return redirect("programs:host_people", pk=host.pk)


def trainee_today(request):
    """A trainee's "today": today's activities, and what the other apps say is waiting
    (a reflection to write, a survey, unread feedback), asked through the registry."""
    profile = access.get_trainee_profile(request.user)
    now = timezone.now()
    today = timezone.localdate(now)
    activities = (
        Activity.objects.of_trainee(request.user)
        .live()
        .filter(date=today)
        .select_related("facilitator", "program")
        .order_by("start_time")
    )
    return render(
        request,
        "programs/trainee_today.html",
        {
            "profile": profile,
            "today": today,
            "activities": activities,
            "due": registry.due_for(request.user, now),
        },
    )


def municipality_home(request):
    """A supervisor's home: their municipalities and those municipalities' trainees."""
    municipalities = list(
        Municipality.objects.supervised_by(request.user).prefetch_related(
            Prefetch(
                "trainee_profiles",
                queryset=TraineeProfile.objects.visible_to(request.user)
                .select_related("user")
                .order_by("user__family_name_kana", "user__email"),
            )
        )
    )
    if not municipalities:
        raise Http404
    return render(
        request,
        "programs/municipality_home.html",
        {
            "municipalities": municipalities,
            "due": registry.due_for(request.user, timezone.now()),
        },
    )


@login_not_required
@never_cache
def invitation_accept(request, token: str):
    """The link in an invitation email: set a password (or log in) and take the role."""
    try:
        check = invitation_services.check_invitation(token)
    except invitation_services.InvitationRefused as refused:
        status = 404 if refused.code == "unknown" else 410
        return render(
            request,
            "programs/invitation_unusable.html",
            {"message": refused.message},
            status=status,
        )
    invitation = check.invitation
    signed_in = request.user.is_authenticated
    needs_form = check.existing_user is None and not signed_in
    form = AcceptInvitationForm(
        request.POST or None,
        email=invitation.email,
        initial={"family_name": invitation.family_name, "given_name": invitation.given_name},
    )
    context = {
        "invitation": invitation,
        "form": form,
        "needs_form": needs_form,
        "existing_user": check.existing_user,
    }
    if request.method == "POST" and (not needs_form or form.is_valid()):
        data = form.cleaned_data if needs_form else {}
        try:
            user = invitation_services.accept_invitation(
                token,
                current_user=request.user,
                password=data.get("password1", ""),
                family_name=data.get("family_name", ""),
                given_name=data.get("given_name", ""),
                family_name_kana=data.get("family_name_kana", ""),
                given_name_kana=data.get("given_name_kana", ""),
                ip=client_ip(request),
            )
        except invitation_services.InvitationRefused as refused:
            context["refusal"] = refused.message
        else:
            if not signed_in:
                login(request, user, backend="programs.auth.ModelBackend")
            messages.success(request, _("Welcome to Kenshu."))
            return redirect("programs:home")
    return render(request, "programs/invitation_accept.html", context)


@login_not_required
@require_POST
def set_language(request):
    """Switch the language; remembered on the account for a signed-in person, in a cookie
    for everyone."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or get_next_redirect_url(request) or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            request.user.language = language
            request.user.save(update_fields=["language"])
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@login_not_required
@require_GET
@never_cache
def healthz(request):
    status = health_status()
    healthy = all(value == "ok" for value in status.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **status}, status=200 if healthy else 503
    )


def email_management_closed(request):
    raise Http404
