"""The people of a host company: its members and invitations, and removing a member."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access
from ..client import client_ip
from ..models import Invitation, Membership
from ..models.organisations import HOST_ROLES
from ..phones import PhoneForm
from ..refusals import show_refusal
from ..services import invitations as invitation_services
from ..services.memberships import MembershipRefused, remove_membership, set_phone


def host_people(request, pk: int):
    """The people of a host company: members, invited trainees and supervisors, invitations."""
    host = access.get_host_company_for_user(request.user, pk)
    can_manage = access.coordinates(request.user, host)
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


def membership_phone(request, pk: int, membership_pk: int):
    """A coordinator sets the telephone number of one of the host's people (their own
    included): the number the travellers of a trip call."""
    host = access.get_host_company_for_user(request.user, pk, write=True)
    membership = access.get_membership_for_user(request.user, host, membership_pk)
    if membership.role not in HOST_ROLES:
        raise Http404
    form = PhoneForm(request.POST or None, initial={"phone": membership.phone})
    if request.method == "POST" and form.is_valid():
        try:
            set_phone(
                membership, form.cleaned_data["phone"], by=request.user, ip=client_ip(request)
            )
        except MembershipRefused as refused:
            show_refusal(refused, form=form)
        else:
            messages.success(
                request,
                _("Telephone number of %(person)s saved.") % {"person": membership.user},
            )
            return redirect("programs:host_people", pk=host.pk)
    return render(
        request,
        "programs/membership_phone.html",
        {"host": host, "membership": membership, "form": form},
    )


@require_POST
def membership_remove(request, pk: int, membership_pk: int):
    host = access.get_host_company_for_user(request.user, pk, write=True)
    membership = access.get_membership_for_user(request.user, host, membership_pk)
    try:
        remove_membership(membership, by=request.user, ip=client_ip(request))
    except MembershipRefused as refused:
        show_refusal(refused, request=request)
    else:
        messages.success(
            request,
            _("%(person)s is no longer %(role)s.")
            % {"person": membership.user, "role": membership.get_role_display()},
        )
    return redirect("programs:host_people", pk=host.pk)
