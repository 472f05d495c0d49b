"""What trainees write and answer: daily reflections with their comment thread and history,
and the pre/post (and follow-up) attitude survey."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from programs.models import Enrollment, HostCompany, Membership, Program, Role, Status
from programs.models.organisations import HOST_ROLES

SECTION_LIMIT = 2000
POST_OPEN_DAYS = 14  # the survey at the end stays open two weeks after the last day
FOLLOWUP_MIN_DAYS = POST_OPEN_DAYS + 1
COMMENT_LIMIT = 2000
SECTIONS = (
    ("did", _("What I did today")),
    ("learned", _("What I learned")),
    ("felt", _("What I felt or found surprising")),
    ("questions", _("Questions and worries")),
    ("tomorrow", _("Tomorrow's goal")),
)
SECTION_NAMES = tuple(name for name, _label in SECTIONS)


def _host_ids(user):
    return Membership.objects.filter(user=user, role__in=HOST_ROLES).values("host_company")


def _supervised(user):
    return Membership.objects.filter(user=user, role=Role.SUPERVISOR).values("municipality")


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
    def visible_to(self, user):
        """The trainee sees their own, drafts included. Once submitted: the host's people and
        the mentor, and the supervisors of the trainee's municipality (as snapshotted at
        enrolment). Drafts stay private to their author; draft programs stay with the host."""
        if not user.is_authenticated:
            return self.none()
        if user.is_active and user.is_superuser:
            return self.all()
        readers = (
            Q(enrollment__program__host__in=_host_ids(user))
            | Q(enrollment__mentor=user)
            | (
                Q(enrollment__municipality__in=_supervised(user))
                & ~Q(enrollment__program__status=Status.DRAFT)
            )
        )
        return self.filter(
            Q(enrollment__trainee=user) | (readers & ~Q(status=ReflectionStatus.DRAFT))
        )

    def states_visible_to(self, user):
        """For the host's matrix: rows whose state (never their text) the host may know,
        drafts included, so a coordinator sees that a trainee has started. Callers read
        state fields only."""
        if not user.is_authenticated:
            return self.none()
        if user.is_active and user.is_superuser:
            return self.all()
        return self.filter(enrollment__program__host__in=_host_ids(user))

    def submitted(self):
        return self.exclude(status=ReflectionStatus.DRAFT)


class DailyReflection(models.Model):
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
    # Every accepted save raises the revision; the browser that made it is remembered with
    # its own counter, so a save repeated or delivered late by a flaky connection is applied
    # once and never overwrites a newer one.
    revision = models.PositiveIntegerField(_("revision"), default=0)
    # The revision readers last saw submitted: the first change after it keeps that text.
    submitted_revision = models.PositiveIntegerField(_("submitted revision"), default=0)
    client_id = models.CharField(_("last saved from (page id)"), max_length=40, blank=True)
    client_seq = models.PositiveIntegerField(_("that page's change counter"), default=0)
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
        indexes = [models.Index(fields=["status", "submitted_at"])]

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
        """The state a matrix cell shows: draft, submitted, late or reviewed."""
        if self.status == ReflectionStatus.SUBMITTED and self.late:
            return "late"
        return self.status


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


# The attitude survey -------------------------------------------------------------------


class QuestionSetQuerySet(models.QuerySet):
    def usable_by(self, host: HostCompany):
        return self.filter(Q(host__isnull=True) | Q(host=host))


class QuestionSet(models.Model):
    """Questions asked before, at the end of and (optionally) some weeks after a program.
    Without a host it is built in and offered to every host."""

    host = models.ForeignKey(
        HostCompany,
        verbose_name=_("host company"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="question_sets",
        help_text=_("Empty for a built-in set offered to every host."),
    )
    name = models.CharField(_("name (Japanese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuestionSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("question set")
        verbose_name_plural = _("question sets")
        ordering = ["host_id", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Agreement, 1 to 5")
    TEXT = "text", _("Free text")


class Question(models.Model):
    question_set = models.ForeignKey(
        QuestionSet,
        verbose_name=_("question set"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices)
    text = models.CharField(_("question (Japanese)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    theme = models.CharField(_("theme"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["question_set", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question_set", "order"], name="question_order"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if translation.get_language() == "en" and self.text_en:
            return self.text_en
        return self.text


class ProgramSurvey(models.Model):
    """Which question set a program asks, and when the follow-up opens."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="survey", verbose_name=_("program")
    )
    question_set = models.ForeignKey(
        QuestionSet, verbose_name=_("question set"), on_delete=models.PROTECT
    )
    followup_days = models.PositiveSmallIntegerField(
        _("follow-up survey after (days)"),
        null=True,
        blank=True,
        default=90,
        validators=[MinValueValidator(FOLLOWUP_MIN_DAYS), MaxValueValidator(730)],
        help_text=_(
            "Days after the last day: at least 15, once the survey at the end has closed. "
            "Empty: no follow-up survey."
        ),
    )

    class Meta:
        verbose_name = _("program survey")
        verbose_name_plural = _("program surveys")

    def __str__(self) -> str:
        return f"{self.program}: {self.question_set}"


class Phase(models.TextChoices):
    PRE = "pre", _("Before")
    POST = "post", _("After")
    FOLLOWUP = "followup", _("Follow-up")


class SurveyResponseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The trainee's own answers; the host's people for their programs. Supervisors read
        the results in reports, not answer by answer."""
        if not user.is_authenticated:
            return self.none()
        if user.is_active and user.is_superuser:
            return self.all()
        return self.filter(
            Q(enrollment__trainee=user) | Q(enrollment__program__host__in=_host_ids(user))
        )


class SurveyResponse(models.Model):
    enrollment = models.ForeignKey(
        Enrollment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="survey_responses",
    )
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices)
    question_set = models.ForeignKey(
        QuestionSet, verbose_name=_("question set"), on_delete=models.PROTECT
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "phase"], name="survey_once_a_phase"),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment.trainee} {self.get_phase_display()}"


class Answer(models.Model):
    response = models.ForeignKey(
        SurveyResponse,
        verbose_name=_("survey response"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    value = models.PositiveSmallIntegerField(
        _("agreement (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    text = models.TextField(_("free answer"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_once"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=5),
                name="answer_value_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value if self.value is not None else self.text[:30]}"
