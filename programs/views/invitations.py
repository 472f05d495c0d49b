"""Invitations: inviting someone into a role (or a trainee into a program), sending an
invitation again, correcting its address, withdrawing it, and accepting it by its link."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import access
from ..client import client_ip
from ..forms import (
    AcceptInvitationForm,
    InvitationAddressForm,
    InvitationForm,
    InviteTraineeForm,
)
from ..models import Role
from ..refusals import show_refusal
from ..services import acceptance
from ..services import invitations as invitation_services


def invitation_create(request, pk: int):
    host = access.get_host_company_for_user(request.user, pk, write=True)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = _send_invitation(
            request,
            form,
            reverse("programs:host_people", args=[host.pk]),
            role=form.cleaned_data["role"],
            host_company=host,
        )
        if sent:
            return sent
    return render(
        request,
        "programs/invitation_form.html",
        {"host": host, "form": form, "days": settings.KENSHU_INVITATION_DAYS},
    )


def invite_trainee(request, pk: int):
    program = access.get_program_for_user(request.user, pk, write=True)
    form = InviteTraineeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = _send_invitation(
            request,
            form,
            reverse("programs:program_detail", args=[program.pk]),
            role=Role.TRAINEE,
            host_company=program.host,
            program=program,
        )
        if sent:
            return sent
    return render(request, "programs/invite_trainee.html", {"program": program, "form": form})


def _send_invitation(request, form, done_url: str, **chosen):
    """Create the invitation a valid form describes, in the role, host (and program) the
    page chose: its message and a redirect to done_url; refused, the message next to its
    field and None (the caller shows the form again)."""
    data = form.cleaned_data
    try:
        invitation = invitation_services.create_invitation(
            invited_by=request.user,
            email=data["email"],
            municipality=data["municipality"],
            family_name=data["family_name"],
            given_name=data["given_name"],
            department=data["department"],
            position=data["position"],
            ip=client_ip(request),
            **chosen,
        )
    except invitation_services.InvitationRefused as refused:
        show_refusal(refused, form=form)
        return None
    messages.success(request, being_sent(invitation.email))
    return redirect(done_url)


def _act_on_invitation(request, pk: int, invitation_pk: int, action, success: str):
    """Run one invitation service for a coordinator; report the outcome as a message."""
    host = access.get_host_company_for_user(request.user, pk, write=True)
    invitation = access.get_invitation_for_user(request.user, host, invitation_pk)
    try:
        action(invitation, by=request.user, ip=client_ip(request))
    except invitation_services.InvitationRefused as refused:
        show_refusal(refused, request=request)
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


@require_POST
def invitation_revoke(request, pk: int, invitation_pk: int):
    return _act_on_invitation(
        request,
        pk,
        invitation_pk,
        invitation_services.revoke_invitation,
        _("Invitation to %(email)s withdrawn."),
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
    invitation = access.get_program_invitation_for_user(request.user, program, invitation_pk)
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
            show_refusal(refused, form=form)
        else:
            messages.success(request, being_sent(invitation.email))
            return HttpResponseRedirect(back)
    return render(
        request,
        "programs/invitation_address.html",
        {"invitation": invitation, "form": form, "back": back},
    )


@login_not_required
@never_cache
def invitation_accept(request, token: str):
    """The link in an invitation email: set a password (or log in) and take the role."""
    try:
        check = acceptance.check_invitation(token)
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
            user = acceptance.accept_invitation(
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
