import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..phones import validate_phone
from ..validators import (
    validate_sendable_email,
    visible_characters,
)
from .registry import Municipality
from .scope import scoped


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    STAFF = "staff", _("Staff")
    SUPERVISOR = "supervisor", _("Supervisor")
    TRAINEE = "trainee", _("Trainee")
    # The scheme office (事務局): one per installation, so the role names no organisation.
    OFFICE = "office", _("Scheme office")


HOST_ROLES = (Role.COORDINATOR, Role.STAFF)


def _memberships(user, roles):
    return Membership.objects.filter(user=user, role__in=roles)


def worked_for(user):
    """Subquery: the host companies the user works for (coordinator or staff). Every scoped
    manager of every app starts from it or from `supervised_by`."""
    return _memberships(user, HOST_ROLES).values("host_company")


def supervised_by(user):
    """Subquery: the municipalities the user supervises."""
    return _memberships(user, [Role.SUPERVISOR]).values("municipality")


class HostCompanyQuerySet(models.QuerySet):
    @scoped
    def visible_to(self, user):
        """Companies the user works for (coordinator or staff)."""
        # A subquery, not a join: annotations on the result (member counts) stay whole.
        return self.filter(pk__in=_memberships(user, HOST_ROLES).values("host_company"))

    @scoped
    def coordinated_by(self, user):
        return self.filter(pk__in=_memberships(user, [Role.COORDINATOR]).values("host_company"))


class HostCompany(models.Model):
    """An IT venture that hosts trainees."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HostCompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("host company")
        verbose_name_plural = _("host companies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    @scoped
    def visible_to(self, user):
        """Memberships of the user's own organisations, and the user's own."""
        my_hosts = worked_for(user)
        my_municipalities = supervised_by(user)
        return self.filter(
            Q(user=user) | Q(host_company__in=my_hosts) | Q(municipality__in=my_municipalities)
        )


def _role_organisation(model, verbose_name, related_name: str):
    """A link to a host company or a municipality: which of the two is set follows the
    role (the model's check constraint says how)."""
    return models.ForeignKey(
        model,
        verbose_name=verbose_name,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name=related_name,
    )


class Membership(models.Model):
    """A person's role in an organisation: coordinator or staff of a host company, or
    supervisor of a municipality. One person may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=[
            (r.value, r.label) for r in (Role.COORDINATOR, Role.STAFF, Role.SUPERVISOR, Role.OFFICE)
        ],
    )
    host_company = _role_organisation(HostCompany, _("host company"), "memberships")
    municipality = _role_organisation(Municipality, _("municipality"), "memberships")
    phone = models.CharField(
        _("telephone number"),
        max_length=30,
        blank=True,
        validators=[validate_phone],
        help_text=_(
            "A number to call during a trip, e.g. 090-1234-5678. Shown to the trip's "
            "travellers and the host's people only."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["role", "user__family_name", "user__email"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=[Role.COORDINATOR, Role.STAFF],
                        host_company__isnull=False,
                        municipality__isnull=True,
                    )
                    | Q(role=Role.SUPERVISOR, host_company__isnull=True, municipality__isnull=False)
                    | Q(role=Role.OFFICE, host_company__isnull=True, municipality__isnull=True)
                ),
                name="membership_role_matches_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(role=Role.OFFICE),
                name="membership_unique_office_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "host_company"],
                condition=Q(host_company__isnull=False),
                name="membership_unique_host_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "municipality"],
                condition=Q(municipality__isnull=False),
                name="membership_unique_municipality_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.organisation}"

    @property
    def organisation(self):
        return self.host_company or self.municipality or _("Scheme office")


class TraineeProfileQuerySet(models.QuerySet):
    @scoped
    def visible_to(self, user):
        """The user's own profile; a supervisor's municipality's trainees; for a host's people,
        the trainees it invited or enrolled in one of its programs."""
        supervised = Membership.objects.filter(
            user=user, role=Role.SUPERVISOR, municipality=OuterRef("municipality")
        )
        my_hosts = worked_for(user)
        invited_by_my_host = Invitation.objects.filter(
            accepted_by=OuterRef("user"), host_company__in=my_hosts
        )
        from .programs import Enrollment

        enrolled_with_my_host = Enrollment.objects.filter(
            trainee=OuterRef("user"), program__host__in=my_hosts
        )
        return self.filter(
            Q(user=user)
            | Exists(supervised)
            | Exists(invited_by_my_host)
            | Exists(enrolled_with_my_host)
        )


class TraineeProfile(models.Model):
    """What makes a person a trainee: the municipality they work for, their department
    (所属) and position (職名)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trainee_profile"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="trainee_profiles",
    )
    department = models.CharField(_("department"), max_length=120, blank=True)
    position = models.CharField(_("position"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TraineeProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("trainee profile")
        verbose_name_plural = _("trainee profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.municipality.name})"


class InvitationQuerySet(models.QuerySet):
    @scoped
    def visible_to(self, user):
        """Invitations sent on behalf of the user's host companies."""
        return self.filter(host_company__in=HostCompany.objects.visible_to(user))

    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Delivery(models.TextChoices):
    """Where the invitation's email is: waiting for the worker (or retrying), taken by the
    mail server, or refused for good (the address, or retries used up)."""

    QUEUED = "queued", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Sending failed")


class Invitation(models.Model):
    """An emailed, single-use, expiring invitation into a role. Only a hash of the token is
    stored, so the database alone cannot be used to accept an invitation."""

    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    host_company = _role_organisation(HostCompany, _("host company"), "invitations")
    municipality = _role_organisation(Municipality, _("municipality"), "invitations")
    family_name = models.CharField(_("family name"), max_length=60, blank=True)
    given_name = models.CharField(_("given name"), max_length=60, blank=True)
    department = models.CharField(_("department"), max_length=120, blank=True)
    position = models.CharField(_("position"), max_length=80, blank=True)
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        help_text=_("For a trainee: the program they are enrolled in when they accept."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accepted_invitations",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Set by the worker that sends the email (programs.tasks.send_invitation_email): an
    # invitation is never shown as sent before the mail server took it.
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.QUEUED
    )
    delivery_error = models.TextField(_("delivery error"), blank=True)
    delivery_at = models.DateTimeField(_("delivery changed at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=[Role.COORDINATOR, Role.STAFF],
                        host_company__isnull=False,
                        municipality__isnull=True,
                    )
                    | Q(role__in=[Role.SUPERVISOR, Role.TRAINEE], municipality__isnull=False)
                ),
                name="invitation_role_matches_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.get_role_display()}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def organisation(self):
        return self.host_company if self.role in HOST_ROLES else self.municipality

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    @property
    def email_visible(self) -> str:
        """The address with any invisible character shown as <U+202E>."""
        return visible_characters(self.email)

    @property
    def address_problem(self) -> str:
        """Why the address cannot be sent to, in the user's language; "" when it can (a
        failure then came from the mail server: see delivery_error)."""
        try:
            validate_sendable_email(self.email)
        except ValidationError as error:
            return " ".join(error.messages)
        return ""

    def get_state_display(self) -> str:
        return {
            "accepted": _("Accepted"),
            "revoked": _("Revoked"),
            "expired": _("Expired"),
            "pending": _("Pending"),
        }[self.state]
