"""The trainee's 研修報告書: their own 所感 and 今後の業務への活用, written after the program's
last day, saved as they type, submitted once (then it is what the PDF prints and no longer
changes), and confirmed (確認) by the contact of the trainee's municipality."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.autosave import ReplacedDraft, SavedAsTyped
from programs.confirmations import MunicipalityConfirmed
from programs.models import Enrollment, scoped

from .scope import enrolment_readers

REPORT_TEXT_LIMIT = 4000
REPORT_FIELDS = ("impressions", "application")


class TrainingReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class TrainingReportQuerySet(models.QuerySet):
    @scoped
    def visible_to(self, user):
        """The trainee: their own, the draft included. Once submitted: the host's people,
        the mentor and the contacts of the trainee's municipality (as snapshotted at
        enrolment). A draft stays with its author."""
        readers = enrolment_readers(user)
        return self.filter(
            Q(enrollment__trainee=user) | (readers & Q(status=TrainingReportStatus.SUBMITTED))
        )

    def waiting_for_municipality(self):
        return self.filter(
            status=TrainingReportStatus.SUBMITTED, municipality_confirmed_at__isnull=True
        )


class TrainingReport(MunicipalityConfirmed, SavedAsTyped):
    """One per enrolment. The draft's saves carry the page's id and counter as a
    reflection's do, so a repeated or late save is applied once."""

    enrollment = models.OneToOneField(
        Enrollment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="training_report",
    )
    impressions = models.TextField(_("所感 (impressions)"), blank=True)
    application = models.TextField(_("今後の業務への活用 (use in my work)"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=TrainingReportStatus.choices,
        default=TrainingReportStatus.DRAFT,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    objects = TrainingReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("training report (研修報告書)")
        verbose_name_plural = _("training reports (研修報告書)")
        ordering = ["enrollment"]

    def __str__(self) -> str:
        return f"研修報告書 {self.enrollment_id}"

    def content(self) -> dict:
        return {name: getattr(self, name) for name in REPORT_FIELDS}

    @property
    def is_submitted(self) -> bool:
        return self.status == TrainingReportStatus.SUBMITTED

    @property
    def is_filed(self) -> bool:
        return self.is_submitted


class TrainingReportDraft(ReplacedDraft):
    """What a save from another device replaced in a 研修報告書 (ReplacedDraft)."""

    report = models.ForeignKey(
        TrainingReport, on_delete=models.CASCADE, related_name="replaced_drafts"
    )

    class Meta(ReplacedDraft.Meta):
        pass
