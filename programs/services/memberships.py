"""Granting and removing roles outside the invitation flow (admin, seed data), and the
telephone number of a host role."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Invitation, Membership, Role, User
from ..models.organisations import HOST_ROLES
from ..phones import validate_phone
from ..refusals import Refused
from .activity_log import record_activity


class MembershipRefused(Refused):
    """A change the rules of this kind of record do not allow (programs.refusals)."""


def remove_membership(membership: Membership, *, by: User, ip: str | None = None) -> None:
    """Take a host role away. A host company always keeps at least one coordinator."""
    with transaction.atomic():
        if membership.role == Role.COORDINATOR:
            coordinators = Membership.objects.select_for_update(of=("self",)).filter(
                host_company=membership.host_company, role=Role.COORDINATOR
            )
            if len(coordinators) <= 1:
                raise MembershipRefused(
                    _("%(host)s must keep at least one coordinator.")
                    % {"host": membership.host_company}
                )
        withdrawn = (
            Invitation.objects.pending()
            .filter(invited_by=membership.user, host_company=membership.host_company)
            .update(revoked_at=timezone.now())
        )
        record_activity(
            by,
            "membership.removed",
            membership,
            host_company=membership.host_company,
            municipality=membership.municipality,
            data={
                "user": membership.user.email,
                "role": membership.role,
                "invitations_withdrawn": withdrawn,
            },
            ip=ip,
        )
        membership.delete()


def grant_membership(
    user: User, role: str, organisation, *, by: User | None, ip: str | None = None
):
    """Give `user` a role in `organisation` (a HostCompany for coordinator and staff, a
    Municipality for supervisor). Refuses a role already held."""
    fields = (
        {"host_company": organisation} if role in HOST_ROLES else {"municipality": organisation}
    )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=user, role=role, **fields)
    except IntegrityError as exc:
        raise MembershipRefused(
            _("%(user)s already has this role in %(organisation)s.")
            % {"user": user, "organisation": organisation}
        ) from exc
    record_activity(
        by,
        "membership.granted",
        membership,
        data={"user": user.email, "role": role},
        ip=ip,
        **fields,
    )
    return membership


def set_phone(membership: Membership, phone: str, *, by: User, ip: str | None = None) -> None:
    """The telephone number of a host role (stored as typed; "" removes it), shown to the
    travellers of the trips its person plans or goes on."""
    phone = phone.strip()
    if membership.role not in HOST_ROLES:
        raise MembershipRefused(_("Only the host's people have a number on their trips."))
    if phone:
        try:
            validate_phone(phone)
        except ValidationError as exc:
            raise MembershipRefused(exc.messages[0], code="phone", field="phone") from exc
    with transaction.atomic():
        membership.phone = phone
        membership.save(update_fields=["phone"])
        record_activity(
            by,
            "membership.phone",
            membership,
            host_company=membership.host_company,
            data={"user": membership.user.email, "phone": phone},
            ip=ip,
        )
