"""The attitude survey: question sets, a program's survey settings, responses, answers."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.models import Enrollment, HostCompany, Program, scoped

from .scope import BuiltInOrOwnQuerySet, TranslatedQuestion, _host_ids, in_page_language

POST_OPEN_DAYS = 14  # the survey at the end stays open two weeks after the last day
FOLLOWUP_MIN_DAYS = POST_OPEN_DAYS + 1


def answer_field(question_pk: int) -> str:
    """The name of a question's answer: its field in the form, its key in a refusal's errors."""
    return f"q{question_pk}"


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

    objects = BuiltInOrOwnQuerySet.as_manager()

    class Meta:
        verbose_name = _("question set")
        verbose_name_plural = _("question sets")
        ordering = ["host_id", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_page_language(self.name, self.name_en)


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Agreement, 1 to 5")
    TEXT = "text", _("Free text")


class Question(TranslatedQuestion):
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
    @scoped
    def visible_to(self, user):
        """The trainee's own answers; the host's people for their programs. Supervisors read
        the results in reports, not answer by answer."""
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
