"""The notification log: one row per reminder actually due, with a unique key, so a reminder
is never sent twice whatever beat, retries and redeliveries do; and each person's opt-outs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .programs import Program


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    CLAIMED = "claimed", _("Claimed by a worker")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not sent (no longer due)")
    FAILED = "failed", _("Failed")
    INTERRUPTED = "interrupted", _("Interrupted: may or may not have been sent")


class Notification(models.Model):
    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    url = models.CharField(_("page"), max_length=500)
    context = models.JSONField(_("details"), default=dict, blank=True)
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-due_at", "pk"]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return self.key


class ReminderOptOut(models.Model):
    """A person turned this kind of reminder off (unless their coordinator made it required
    in their program)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_opt_outs"
    )
    kind = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("reminder turned off")
        verbose_name_plural = _("reminders turned off")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="opt_out_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}"
