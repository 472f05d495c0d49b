"""Daily reflections, their comment thread and the earlier versions kept of them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.autosave import SavedAsTyped
from programs.models import Enrollment, scoped

from .scope import _host_ids, enrolment_readers

SECTION_LIMIT = 2000
COMMENT_LIMIT = 2000
SECTIONS = (
    ("did", _("What I did today")),
    ("learned", _("What I learned")),
    ("felt", _("What I felt or found surprising")),
    ("questions", _("Questions and worries")),
    ("tomorrow", _("Tomorrow's goal")),
)
SECTION_NAMES = tuple(name for name, _label in SECTIONS)


class RevisionQuerySet(models.QuerySet):
    def for_readers(self):
        """What readers of a submitted reflection may see: earlier text that had been
        submitted, never a draft's."""
        return self.exclude(status=ReflectionStatus.DRAFT)


class ReflectionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed")


class ReflectionQuerySet(models.QuerySet):
    @scoped
    def visible_to(self, user):
        """The trainee sees their own, drafts included. Once submitted: the host's people and
        the mentor, and the supervisors of the trainee's municipality (as snapshotted at
        enrolment). Drafts stay private to their author; draft programs stay with the host."""
        readers = enrolment_readers(user)
        return self.filter(
            Q(enrollment__trainee=user) | (readers & ~Q(status=ReflectionStatus.DRAFT))
        )

    @scoped
    def states_visible_to(self, user):
        """For the host's matrix: rows whose state (never their text) the host may know,
        drafts included, so a coordinator sees that a trainee has started. Callers read
        state fields only."""
        return self.filter(enrollment__program__host__in=_host_ids(user))

    def submitted(self):
        return self.exclude(status=ReflectionStatus.DRAFT)


class DailyReflection(SavedAsTyped):
    """One trainee's reflection on one day of a program."""

    enrollment = models.ForeignKey(
        Enrollment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="reflections",
    )
    date = models.DateField(_("date"))
    did = models.TextField(_("What I did today"), blank=True)
    learned = models.TextField(_("What I learned"), blank=True)
    felt = models.TextField(_("What I felt or found surprising"), blank=True)
    questions = models.TextField(_("Questions and worries"), blank=True)
    tomorrow = models.TextField(_("Tomorrow's goal"), blank=True)
    self_rating = models.PositiveSmallIntegerField(
        _("self-rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReflectionStatus.choices,
        default=ReflectionStatus.DRAFT,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The revision, the page and its counter come from SavedAsTyped.
    # The revision readers last saw submitted: the first change after it keeps that text.
    submitted_revision = models.PositiveIntegerField(_("submitted revision"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    objects = ReflectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("daily reflection")
        verbose_name_plural = _("daily reflections")
        ordering = ["enrollment", "date"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "date"], name="reflection_once_a_day"),
            models.CheckConstraint(
                condition=Q(self_rating__isnull=True) | Q(self_rating__gte=1, self_rating__lte=5),
                name="reflection_rating_1_to_5",
            ),
        ]
        # The inbox walks the submitted ones in its order (oldest first, the id settling ties)
        # and stops at a page.
        indexes = [
            models.Index(fields=["status", "submitted_at", "id"], name="reflection_waiting_order")
        ]

    def __str__(self) -> str:
        return f"{self.enrollment.trainee} {self.date:%Y-%m-%d}"

    def content(self) -> dict:
        return {name: getattr(self, name) for name in SECTION_NAMES} | {
            "self_rating": self.self_rating
        }

    @property
    def is_locked(self) -> bool:
        return self.status == ReflectionStatus.REVIEWED

    @property
    def state(self) -> str:
        """draft, submitted, late or reviewed."""
        return day_state(self.status, self.late)


def day_state(status=None, late=False, *, day=None, deadline=None, today=None, now=None) -> str:
    """One word for a reflection day, the same on every page: draft, submitted, late
    (submitted after the deadline) or reviewed when there is a reflection; otherwise upcoming
    (a day to come), due (today, before the deadline) or missing (past the deadline)."""
    if status:
        return "late" if status == ReflectionStatus.SUBMITTED and late else status
    if day > today:
        return "upcoming"
    return "missing" if deadline < now else "due"


class RevisionKind(models.TextChoices):
    DRAFT_REPLACED = "draft_replaced", _("draft replaced by a save from another device")
    CHANGED_AFTER_SUBMISSION = "after_submission", _("changed after submission")
    REPLACED_AFTER_SUBMISSION = (
        "replaced_after_submission",
        _("replaced by a save from another device after submission"),
    )
    OPERATOR = "operator", _("changed by an operator")


class ReflectionRevision(models.Model):
    """Earlier text of a reflection. Kept when a save from another device replaces text this
    one had not seen (a draft: shown to its author only), when submitted text first changes,
    and when an operator changes a reviewed one."""

    reflection = models.ForeignKey(
        DailyReflection,
        verbose_name=_("daily reflection"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    revision = models.PositiveIntegerField(_("revision"))
    content = models.JSONField(_("text"))
    status = models.CharField(_("status"), max_length=12, choices=ReflectionStatus.choices)
    kind = models.CharField(_("why it was kept"), max_length=30, choices=RevisionKind.choices)
    reason = models.CharField(_("note"), max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        ordering = ["reflection", "-changed_at"]

    def __str__(self) -> str:
        return f"{self.reflection_id} r{self.revision}"


class ReflectionComment(models.Model):
    """A message in a reflection's thread: from a coordinator, the mentor or the trainee."""

    reflection = models.ForeignKey(
        DailyReflection, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    read_by_trainee_at = models.DateTimeField(_("read by the trainee at"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["reflection", "created_at", "pk"]
        indexes = [models.Index(fields=["reflection", "read_by_trainee_at"])]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:30]}"
