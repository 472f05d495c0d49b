"""Inviting people into a role: creating an invitation, sending it again, correcting its
address, withdrawing it. Accepting one: services/acceptance.py.

An invitation is the only way into Kenshu besides the admin: there is no open sign-up."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import registry
from ..models import (
    HostCompany,
    Invitation,
    Membership,
    Municipality,
    Role,
    User,
)
from ..models.organisations import HOST_ROLES, Delivery
from ..plain_text import check_plain_text
from ..refusals import Refused
from ..validators import validate_sendable_email, visible_characters
from .activity_log import record_activity


class InvitationRefused(Refused):
    """The invitation cannot be created or accepted; `message` says why, `field` where."""


def _normalise(email: str) -> str:
    return User.objects.normalize_email(email.strip()).lower()


# Roles a coordinator may invite into. Supervisors see everything about their municipality's
# trainees: only an operator (admin) grants that role.
COORDINATOR_GRANTS = (Role.COORDINATOR, Role.STAFF, Role.TRAINEE)


def invitable_roles(user: User, host_company) -> tuple[str, ...]:
    """The roles `user` may invite into (or send an invitation of) at `host_company`: all of
    them for an operator, COORDINATOR_GRANTS for its coordinators, none for anyone else."""
    if user.is_active and user.is_superuser:
        return tuple(Role.values)
    if Membership.objects.filter(
        user=user, role=Role.COORDINATOR, host_company=host_company
    ).exists():
        return COORDINATOR_GRANTS
    return ()


def stripped(**values: str) -> dict[str, str]:
    """The names and texts a person typed, without the spaces around them."""
    return {name: value.strip() for name, value in values.items()}


def _expiry():
    return timezone.now() + timedelta(days=settings.KENSHU_INVITATION_DAYS)


def may_invite(user: User, role: str, host_company, program=None, municipality=None) -> bool:
    """The roles of `invitable_roles`; and a trainee of `program`, at the program's host, from
    `municipality`, for whoever another app lets name that municipality's trainees in it
    (registry.names_trainees: a scheme match's municipality contact)."""
    if role in invitable_roles(user, host_company):
        return True
    return (
        role == Role.TRAINEE
        and program is not None
        and municipality is not None
        and getattr(host_company, "pk", host_company) == program.host_id
        and registry.names_trainees(user, program, municipality)
    )


def _role_already_held(email: str, role: str, host_company, municipality) -> bool:
    """Only what the inviter can see already: the members of their own host company. Whether
    an address is a trainee or a supervisor elsewhere is never told (see `_grant`)."""
    if role in HOST_ROLES:
        return Membership.objects.filter(
            user__email__iexact=email, role=role, host_company=host_company
        ).exists()
    if role == Role.SUPERVISOR:
        return Membership.objects.filter(
            user__email__iexact=email, role=role, municipality=municipality
        ).exists()
    return False


def ensure_sendable(email: str) -> None:
    """Refuse an address the mail would not reach as typed (programs.validators)."""
    try:
        validate_sendable_email(email.strip())
    except ValidationError as error:
        raise InvitationRefused(
            " ".join(error.messages), field="email", code="unsendable"
        ) from error


def ensure_can_invite(
    email: str,
    role: str,
    host_company,
    municipality,
    *,
    program=None,
    lock=False,
    exclude_pk: int | None = None,
) -> None:
    """Refuse a role the address already holds there, and a second pending invitation.
    (An invitation into a program is about the enrolment: a trainee may already exist.)
    `exclude_pk`: the invitation whose address is being corrected."""
    email = _normalise(email)
    if program is None and _role_already_held(email, role, host_company, municipality):
        raise InvitationRefused(
            _("%(email)s already has this role in %(organisation)s.")
            % {
                "email": email,
                "organisation": host_company if role in HOST_ROLES else municipality,
            },
            field="email",
            code="role_held",
        )
    pending = Invitation.objects.pending().filter(
        email__iexact=email,
        role=role,
        host_company=host_company,
        municipality=municipality,
        program=program,
    )
    if exclude_pk is not None:
        pending = pending.exclude(pk=exclude_pk)
    if lock:
        pending = pending.select_for_update(of=("self",))
    if pending.exists():
        raise InvitationRefused(
            _(
                "An invitation to %(email)s for this role is still pending. "
                "Send it again from the list instead."
            )
            % {"email": email},
            field="email",
            code="pending",
        )


def create_invitation(
    *,
    invited_by: User,
    email: str,
    role: str,
    host_company: HostCompany | None,
    municipality: Municipality | None = None,
    family_name: str = "",
    given_name: str = "",
    department: str = "",
    position: str = "",
    program=None,
    ip: str | None = None,
) -> Invitation:
    """Create a pending invitation and email its link once the transaction commits.

    Refuses a role the address already holds in that organisation and a second pending
    invitation for the same role. Whether the address has an account elsewhere is never
    told to the inviter. Coordinators invite coordinators, staff and trainees of their own
    host; supervisors are invited by operators."""
    if not may_invite(invited_by, role, host_company, program, municipality):
        raise InvitationRefused(
            _("You may not invite into this role."), field="role", code="not_allowed"
        )
    names = stripped(
        family_name=family_name, given_name=given_name, department=department, position=position
    )
    check_plain_text(names, refuse=InvitationRefused)
    ensure_sendable(email)
    email = _normalise(email)
    if role in HOST_ROLES:
        municipality = None
    with transaction.atomic():
        ensure_can_invite(email, role, host_company, municipality, program=program, lock=True)
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            host_company=host_company,
            municipality=municipality,
            **names,
            program=program if role == Role.TRAINEE else None,
            token_hash=Invitation.hash_token(token),
            invited_by=invited_by,
            expires_at=_expiry(),
        )
        record_activity(
            invited_by,
            "invitation.created",
            invitation,
            host_company=host_company,
            municipality=municipality,
            data={"email": email, "role": role},
            ip=ip,
        )
        _send_after_commit(invitation, token)
    return invitation


def resend_invitation(invitation: Invitation, *, by: User, ip: str | None = None) -> Invitation:
    """Issue a fresh link (the old one stops working) with a fresh expiry, and email it."""
    if invitation.accepted_at or invitation.revoked_at:
        raise InvitationRefused(_("Only a pending or expired invitation can be sent again."))
    with transaction.atomic():
        token = secrets.token_urlsafe(32)
        invitation.token_hash = Invitation.hash_token(token)
        invitation.expires_at = _expiry()
        invitation.delivery = Delivery.QUEUED
        invitation.delivery_error = ""
        invitation.delivery_at = None
        invitation.save(
            update_fields=["token_hash", "expires_at", "delivery", "delivery_error", "delivery_at"]
        )
        record_activity(
            by,
            "invitation.resent",
            invitation,
            host_company=invitation.host_company,
            municipality=invitation.municipality,
            ip=ip,
        )
        _send_after_commit(invitation, token)
    return invitation


def correct_and_resend(
    invitation: Invitation, email: str, *, by: User, ip: str | None = None
) -> Invitation:
    """Put right the address of an invitation that was not sent, and send it again with a
    fresh link. Refuses what create_invitation refuses for the new address."""
    # Only someone who may invite into this role (a coordinator may not point an operator's
    # supervisor invitation at an address of their choosing), and only an invitation that
    # could not be sent: one that went out is withdrawn and made again instead.
    if not may_invite(
        by, invitation.role, invitation.host_company, invitation.program, invitation.municipality
    ):
        raise InvitationRefused(
            _("You may not invite into this role."), field="email", code="not_allowed"
        )
    ensure_sendable(email)
    email = _normalise(email)
    with transaction.atomic():
        # Read again under a lock: an acceptance at the same moment wins, untouched.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at or invitation.revoked_at:
            raise InvitationRefused(_("Only a pending or expired invitation can be sent again."))
        if invitation.delivery != Delivery.FAILED:
            raise InvitationRefused(
                _("Only an invitation that could not be sent is corrected here."), field="email"
            )
        ensure_can_invite(
            email,
            invitation.role,
            invitation.host_company,
            invitation.municipality,
            program=invitation.program,
            lock=True,
            exclude_pk=invitation.pk,
        )
        previous = invitation.email
        invitation.email = email
        invitation.save(update_fields=["email"])
        record_activity(
            by,
            "invitation.corrected",
            invitation,
            host_company=invitation.host_company,
            municipality=invitation.municipality,
            data={"email": email, "previous": visible_characters(previous)},
            ip=ip,
        )
        resend_invitation(invitation, by=by, ip=ip)
    return invitation


def revoke_invitation(invitation: Invitation, *, by: User, ip: str | None = None) -> None:
    """Withdraw a pending invitation; its link stops working at once."""
    updated = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if not updated:
        raise InvitationRefused(_("This invitation was already used or withdrawn."))
    record_activity(
        by,
        "invitation.revoked",
        invitation,
        host_company=invitation.host_company,
        municipality=invitation.municipality,
        ip=ip,
    )


def _send_after_commit(invitation: Invitation, token: str) -> None:
    from ..tasks import send_invitation_email

    send_invitation_email.delay_on_commit(invitation.pk, token)
