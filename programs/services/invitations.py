"""Inviting people into a role, and accepting an invitation.

An invitation is the only way into Kenshu besides the admin: there is no open sign-up."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Enrollment,
    HostCompany,
    Invitation,
    Membership,
    Municipality,
    Role,
    TraineeProfile,
    User,
)
from ..models.organisations import HOST_ROLES, Delivery
from ..plain_text import check_plain_text
from ..refusals import Refused
from ..validators import validate_sendable_email, visible_characters
from .activity_log import record_activity


class InvitationRefused(Refused):
    """The invitation cannot be created or accepted; `message` says why, `field` where."""


@dataclass(frozen=True)
class InvitationCheck:
    """What the acceptance page needs to know about a token before anything is written."""

    invitation: Invitation
    existing_user: User | None


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


def may_invite(user: User, role: str, host_company) -> bool:
    return role in invitable_roles(user, host_company)


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
        pending = pending.select_for_update()
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
    if not may_invite(invited_by, role, host_company):
        raise InvitationRefused(
            _("You may not invite into this role."), field="role", code="not_allowed"
        )
    check_plain_text(
        {
            "family_name": family_name.strip(),
            "given_name": given_name.strip(),
            "department": department.strip(),
            "position": position.strip(),
        },
        refuse=InvitationRefused,
    )
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
            family_name=family_name.strip(),
            given_name=given_name.strip(),
            department=department.strip(),
            position=position.strip(),
            program=program if role == Role.TRAINEE else None,
            token_hash=Invitation.hash_token(token),
            invited_by=invited_by,
            expires_at=timezone.now() + timedelta(days=settings.KENSHU_INVITATION_DAYS),
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
        invitation.expires_at = timezone.now() + timedelta(days=settings.KENSHU_INVITATION_DAYS)
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
    if not may_invite(by, invitation.role, invitation.host_company):
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


def check_invitation(token: str) -> InvitationCheck:
    """Find the invitation a link points at, or say why it cannot be used. Writes nothing."""
    invitation = (
        Invitation.objects.select_related("host_company", "municipality", "invited_by")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )
    _refuse_unusable(invitation)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    return InvitationCheck(invitation=invitation, existing_user=existing)


def _refuse_unusable(invitation: Invitation | None) -> None:
    if invitation is None:
        raise InvitationRefused(_("This invitation link is not valid."), code="unknown")
    if invitation.accepted_at:
        raise InvitationRefused(
            _("This invitation has already been used. Log in with your email address."),
            code="used",
        )
    if invitation.revoked_at:
        raise InvitationRefused(_("This invitation was withdrawn."), code="revoked")
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused(
            _("This invitation has expired. Ask the person who invited you to send it again."),
            code="expired",
        )


def accept_invitation(
    token: str,
    *,
    current_user=None,
    password: str = "",
    family_name: str = "",
    given_name: str = "",
    family_name_kana: str = "",
    given_name_kana: str = "",
    ip: str | None = None,
) -> User:
    """Use an invitation exactly once: create the account (or take the signed-in owner of the
    address), grant the role, mark the invitation used. All of it or nothing."""
    check_plain_text(
        {
            "family_name": family_name.strip(),
            "given_name": given_name.strip(),
            "family_name_kana": family_name_kana.strip(),
            "given_name_kana": given_name_kana.strip(),
        },
        refuse=InvitationRefused,
    )
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(token_hash=Invitation.hash_token(token))
            .first()
        )
        _refuse_unusable(invitation)
        if invitation.invited_by is None or not may_invite(
            invitation.invited_by, invitation.role, invitation.host_company
        ):
            raise InvitationRefused(
                _(
                    "The person who invited you can no longer give this role. Ask for a new "
                    "invitation."
                ),
                code="inviter_gone",
            )
        user = _account_for(
            invitation,
            current_user,
            password,
            family_name,
            given_name,
            family_name_kana,
            given_name_kana,
        )
        claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=timezone.now(), accepted_by=user
        )
        if claimed != 1:
            raise InvitationRefused(_("This invitation has already been used."), code="used")
        _grant(invitation, user)
        record_activity(
            user,
            "invitation.accepted",
            invitation,
            host_company=invitation.host_company,
            municipality=invitation.municipality,
            data={"role": invitation.role},
            ip=ip,
        )
    return user


def _account_for(
    invitation, current_user, password, family_name, given_name, family_name_kana, given_name_kana
) -> User:
    existing = User.objects.filter(email__iexact=invitation.email).first()
    signed_in = current_user is not None and current_user.is_authenticated
    if existing is not None:
        if not signed_in or current_user.pk != existing.pk:
            raise InvitationRefused(
                _("An account already uses this address: log in with it to accept."),
                code="login_required",
            )
        return existing
    if signed_in:
        raise InvitationRefused(
            _("This invitation is for another address. Log out, then open the link again."),
            code="other_user",
        )
    try:
        with transaction.atomic():
            user = _create_account(
                invitation, password, family_name, given_name, family_name_kana, given_name_kana
            )
    except IntegrityError as exc:  # another invitation to the address was accepted just now
        raise InvitationRefused(
            _("An account already uses this address: log in with it to accept."),
            code="login_required",
        ) from exc
    return user


def _create_account(
    invitation, password, family_name, given_name, family_name_kana, given_name_kana
) -> User:
    user = User.objects.create_user(
        invitation.email,
        password,
        family_name=family_name.strip() or invitation.family_name,
        given_name=given_name.strip() or invitation.given_name,
        family_name_kana=family_name_kana.strip(),
        given_name_kana=given_name_kana.strip(),
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _grant(invitation: Invitation, user: User) -> None:
    if invitation.role == Role.TRAINEE:
        profile = TraineeProfile.objects.filter(user=user).first()
        if profile is None:
            TraineeProfile.objects.create(
                user=user,
                municipality=invitation.municipality,
                department=invitation.department,
                position=invitation.position,
            )
        elif profile.municipality_id != invitation.municipality_id:
            # An invitation never moves a trainee to another municipality (that would take
            # them away from their supervisor's sight).
            raise InvitationRefused(
                _(
                    "You are registered as a trainee of %(municipality)s, but this invitation is "
                    "for %(other)s. Ask the coordinator to correct it."
                )
                % {"municipality": profile.municipality, "other": invitation.municipality},
                code="other_municipality",
            )
        already = Enrollment.objects.active().filter(program_id=invitation.program_id, trainee=user)
        if invitation.program_id and not already.exists():
            from .programs import ProgramRefused, enroll

            try:
                enroll(invitation.program, user, by=invitation.invited_by)
            except ProgramRefused as refused:
                raise InvitationRefused(refused.message, code="enrollment") from refused
        return
    Membership.objects.get_or_create(
        user=user,
        role=invitation.role,
        host_company=invitation.host_company if invitation.role in HOST_ROLES else None,
        municipality=invitation.municipality if invitation.role == Role.SUPERVISOR else None,
    )
