"""Accepting an invitation by the link in its email: checking the link, then making the
account (or taking the signed-in owner of the address) and granting the role, once.

Inviting: services/invitations.py."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Enrollment, Invitation, Membership, Role, TraineeProfile, User
from ..models.organisations import HOST_ROLES
from ..plain_text import check_plain_text
from .activity_log import record_activity
from .invitations import InvitationRefused, may_invite, stripped


@dataclass(frozen=True)
class InvitationCheck:
    """What the acceptance page needs to know about a token before anything is written."""

    invitation: Invitation
    existing_user: User | None


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
    names = stripped(
        family_name=family_name,
        given_name=given_name,
        family_name_kana=family_name_kana,
        given_name_kana=given_name_kana,
    )
    check_plain_text(names, refuse=InvitationRefused)
    with transaction.atomic():
        invitation = _usable_under_lock(token)
        user = _account_for(
            invitation,
            current_user,
            password,
            family_name,
            given_name,
            family_name_kana,
            given_name_kana,
        )
        _claim(invitation, user)
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


def _usable_under_lock(token: str) -> Invitation:
    """The invitation of a link, locked until the acceptance commits, if it can still be
    used and the person who sent it may still give its role."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )
    _refuse_unusable(invitation)
    if invitation.invited_by is None or not may_invite(
        invitation.invited_by,
        invitation.role,
        invitation.host_company,
        invitation.program,
        invitation.municipality,
    ):
        raise InvitationRefused(
            _("The person who invited you can no longer give this role. Ask for a new invitation."),
            code="inviter_gone",
        )
    return invitation


def _claim(invitation: Invitation, user: User) -> None:
    """Mark the invitation used, once: a second acceptance at the same moment is refused."""
    claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=user
    )
    if claimed != 1:
        raise InvitationRefused(_("This invitation has already been used."), code="used")


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
