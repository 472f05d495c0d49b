"""The office's matching: the pairs it locks or forbids, each run of the solver with what it
proposed, and the matches the office confirmed (each one becomes a draft program)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programs.models import HostCompany, Program, scoped

from .calls import Call
from .offers import Application, Offer
from .scope import host_ids, staffs_office, supervised


class PinKind(models.TextChoices):
    LOCK = "lock", _("Locked")
    FORBID = "forbid", _("Forbidden")


class Pin(models.Model):
    """The office's word on one pair before a run: this application goes to this host
    (lock), or never to it (forbid)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="pins")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="pins")
    host = models.ForeignKey(HostCompany, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=PinKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "host"], name="pin_once_per_pair"),
            models.UniqueConstraint(
                fields=["application"], condition=Q(kind="lock"), name="pin_one_lock"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.application_id} → {self.host_id}"


# A run the office asked for waits for a worker (QUEUED), is solved by it (RUNNING), or was
# lost (FAILED); every other status is the solver's (OPTIMAL, FEASIBLE, …).
QUEUED, RUNNING, FAILED = "QUEUED", "RUNNING", "FAILED"


class MatchRunQuerySet(models.QuerySet):
    def finished(self):
        """Runs with proposals: the page shows, and confirmation accepts, the latest one."""
        return self.exclude(status__in=(QUEUED, RUNNING, FAILED))

    def pending(self):
        return self.filter(status__in=(QUEUED, RUNNING))

    def latest_finished(self, call):
        """The call's run the office reads and confirms from (None before the first)."""
        return self.finished().filter(call=call).order_by("-created_at", "-pk").first()


class MatchRun(models.Model):
    """One run of the solver over a call: what it was given (pins) and what it found."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="runs")
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20)  # the solver's: OPTIMAL, FEASIBLE, INFEASIBLE
    seconds = models.FloatField(default=0)
    objective = models.BigIntegerField(default=0)
    applications = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    first_choice = models.PositiveIntegerField(default=0)
    top_three = models.PositiveIntegerField(default=0)
    pins = models.JSONField(default=list, blank=True)

    objects = MatchRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.call} #{self.pk}"


class Proposal(models.Model):
    """What one run proposes for one application: a host's offer from a week, or nothing
    with the constraint that blocked it (`reason`, `detail`)."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, null=True, related_name="+")
    start_week = models.DateField(null=True)
    weeks = models.PositiveSmallIntegerField(default=1)
    host_rank = models.PositiveSmallIntegerField(null=True)  # None: not one it named
    preferred_week = models.BooleanField(default=False)
    themes_met = models.PositiveSmallIntegerField(default=0)
    score = models.IntegerField(default=0)
    reason = models.CharField(max_length=40, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["application__municipality__code"]
        constraints = [
            models.UniqueConstraint(fields=["run", "application"], name="proposal_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} → {self.offer_id} {self.start_week}"


class MatchStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", pgettext_lazy("match", "Cancelled")


class MatchQuerySet(models.QuerySet):
    @scoped
    def visible_to(self, user):
        """The office sees every match; a host's people theirs; a municipality's contacts
        their municipality's."""
        if user.is_active and staffs_office(user):
            return self.all()
        return self.filter(
            Q(host__in=host_ids(user)) | Q(application__municipality__in=supervised(user))
        )

    def confirmed(self):
        return self.filter(status=MatchStatus.CONFIRMED)


class Match(models.Model):
    """A pair the office confirmed: one application, one host's offer, the weeks. It made
    `program`, a draft at the host. One confirmed match per application at most."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="matches")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="matches")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="matches")
    host = models.ForeignKey(
        HostCompany, verbose_name=_("host company"), on_delete=models.PROTECT, related_name="+"
    )
    start_week = models.DateField(_("first week"))
    weeks = models.PositiveSmallIntegerField(_("weeks"), default=1)
    staff = models.PositiveSmallIntegerField(_("staff"))
    program = models.OneToOneField(
        Program,
        verbose_name=_("program"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scheme_match",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MatchStatus.choices, default=MatchStatus.CONFIRMED
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason"), blank=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["start_week", "host__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status="confirmed"),
                name="match_once_per_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} → {self.host} {self.start_week}"
