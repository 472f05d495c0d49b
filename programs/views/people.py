"""The people of a host company: its members and invitations, and removing a member."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access
from ..client import client_ip
from ..models import Invitation, Membership
from ..refusals import show_refusal
from ..services import invitations as invitation_services
from ..services.memberships import MembershipRefused, remove_membership


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
