"""The trip report (復命書) each trainee writes after the trip, saved as they type (as a daily
reflection is: programs.autosave), and the draft text a save from another device replaced."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.autosave import ReplacedDraft, SavedAsTyped
from programs.confirmations import MunicipalityConfirmed
from programs.models import Enrollment

from .scope import host_ids, is_admin, signed_in, supervised
from .trips import Trip

TEXT_LIMIT = 4000
REPORT_FIELDS = ("content", "impressions", "application")


class TripReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


class TripReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The trainee: their own, drafts included. Once submitted: the host's people and the
        supervisors of the trainee's municipality. Drafts stay with their author."""
        if not signed_in(user):
            return self.none()
        if is_admin(user):
            return self.all()
        readers = Q(trip__program__host__in=host_ids(user)) | Q(
            enrollment__municipality__in=supervised(user)
        )
        return self.filter(
            Q(enrollment__trainee=user) | (readers & ~Q(status=TripReportStatus.DRAFT))
        )


class TripReport(MunicipalityConfirmed, SavedAsTyped):
    """A trainee's 復命書 of a trip. `acknowledged_*` is the host coordinator's 確認済み; the
    municipality's own 確認 (MunicipalityConfirmed) is a different thing. The draft's saves
    carry the page's id and counter (SavedAsTyped), so a repeated or late save is applied
    once."""

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="reports")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    content = models.TextField(_("内容 (what was done)"), blank=True, max_length=TEXT_LIMIT)
    impressions = models.TextField(_("所感 (impressions)"), blank=True, max_length=TEXT_LIMIT)
    application = models.TextField(
        _("今後の業務への活用 (use in my work)"), blank=True, max_length=TEXT_LIMIT
    )
    status = models.CharField(
        max_length=12, choices=TripReportStatus.choices, default=TripReportStatus.DRAFT
    )
    # What the trip said when the report was submitted (所属, 同行者, schedule...), so a later
    # change to the trip does not rewrite a filed report.
    header = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = TripReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("trip report")
        verbose_name_plural = _("trip reports")
        ordering = ["trip", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["trip", "enrollment"], name="trip_report_unique")
        ]

    def __str__(self) -> str:
        return f"復命書 {self.enrollment.trainee} — {self.trip.purpose}"

    @property
    def is_filed(self) -> bool:
        return self.status != TripReportStatus.DRAFT

    def text(self) -> dict:
        return {name: getattr(self, name) for name in REPORT_FIELDS}


class TripReportDraft(ReplacedDraft):
    """What a save from another device replaced in a 復命書 (ReplacedDraft)."""

    report = models.ForeignKey(TripReport, on_delete=models.CASCADE, related_name="replaced_drafts")

    class Meta(ReplacedDraft.Meta):
        pass
