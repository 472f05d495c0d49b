"""The post-training interview: its question templates, the interview (its slot in the week,
interviewers, questions and answers), the trainee's consent, the supervisor's approval, and
the record of every move between states."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.models import Activity, Enrollment, HostCompany, Status, scoped

from .scope import BuiltInOrOwnQuerySet, TranslatedQuestion, _host_ids, _supervised

ANSWER_LIMIT = 5000
QUESTION_LIMIT = 300
ARTICLE_TEXT_LIMIT = 5000


class InterviewTemplate(models.Model):
    """Ordered questions for an interview. Without a host it is built in; a host edits its
    own copies."""

    host = models.ForeignKey(
        HostCompany,
        verbose_name=_("host company"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="interview_templates",
    )
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = BuiltInOrOwnQuerySet.as_manager()

    class Meta:
        verbose_name = _("interview template")
        verbose_name_plural = _("interview templates")
        ordering = ["host_id", "name"]

    def __str__(self) -> str:
        return self.name


class InterviewTemplateQuestion(TranslatedQuestion):
    template = models.ForeignKey(
        InterviewTemplate,
        verbose_name=_("interview template"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("question (Japanese)"), max_length=QUESTION_LIMIT)
    text_en = models.CharField(_("question (English)"), max_length=QUESTION_LIMIT, blank=True)

    class Meta:
        verbose_name = _("template question")
        verbose_name_plural = _("template questions")
        ordering = ["template", "order"]


class InterviewState(models.TextChoices):
    DRAFT = "draft", _("Scheduled")
    INTERVIEWED = "interviewed", _("Interviewed")
    REVIEWED = "reviewed", _("Reviewed by the trainee")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class NameForm(models.TextChoices):
    FULL = "full", _("Full name")
    FAMILY_SAN = "family_san", _("Family name + さん")
    INITIALS = "initials", _("Initials")
    ANONYMOUS = "anonymous", _("Anonymous")


class InterviewQuerySet(models.QuerySet):
    @scoped
    def visible_to(self, user):
        """The host's people: their programs' interviews. The trainee: their own. The
        supervisors of the trainee's municipality: once the trainee has reviewed it."""
        return self.filter(
            Q(enrollment__program__host__in=_host_ids(user))
            | (Q(enrollment__trainee=user) & ~Q(enrollment__program__status=Status.DRAFT))
            | (Q(enrollment__municipality__in=_supervised(user)) & Q(state__in=SUPERVISOR_STATES))
        )


SUPERVISOR_STATES = (InterviewState.REVIEWED, InterviewState.APPROVED, InterviewState.PUBLISHED)


class Interview(models.Model):
    enrollment = models.ForeignKey(
        Enrollment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="interviews",
    )
    # Its slot in the week: one source of truth for date, time and place. Several trainees'
    # interviews may share one slot (the week template's interview hour).
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("slot in the week"),
        on_delete=models.PROTECT,
        related_name="interviews",
    )
    owns_activity = models.BooleanField(default=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("interviewers"), related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=InterviewState.choices, default=InterviewState.DRAFT
    )
    name_form = models.CharField(
        _("how the trainee's name appears"), max_length=12, choices=NameForm.choices, blank=True
    )
    introduction = models.TextField(_("introduction"), blank=True)
    closing = models.TextField(_("closing"), blank=True)
    supervisor_comment = models.TextField(_("supervisor's request"), blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    client_id = models.CharField(_("last saved from (page id)"), max_length=40, blank=True)
    client_seq = models.PositiveIntegerField(_("that page's change counter"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["enrollment__program", "activity__date", "activity__start_time", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment"], name="interview_once_per_enrolment")
        ]

    def __str__(self) -> str:
        return f"{self.enrollment.trainee} — {self.enrollment.program}"


class InterviewQuestion(models.Model):
    interview = models.ForeignKey(
        Interview, verbose_name=_("interview"), on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("question"), max_length=QUESTION_LIMIT)
    follow_up = models.BooleanField(_("follow-up asked on the spot"), default=False)
    answer = models.TextField(_("answer"), blank=True)
    # What the interviewer wrote, kept when the trainee corrects their answer.
    recorded_answer = models.TextField(_("answer as recorded"), blank=True)
    corrected_at = models.DateTimeField(_("corrected by the trainee at"), null=True, blank=True)
    highlight = models.BooleanField(_("highlight"), default=False)
    consent = models.BooleanField(_("consent to publish"), null=True, blank=True)

    class Meta:
        verbose_name = _("interview question")
        verbose_name_plural = _("interview questions")
        ordering = ["interview", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class InterviewEvent(models.Model):
    """Who moved the interview to which state, when, and why (a request for changes)."""

    interview = models.ForeignKey(
        Interview, verbose_name=_("interview"), on_delete=models.CASCADE, related_name="events"
    )
    state = models.CharField(_("state"), max_length=12, choices=InterviewState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("interview event")
        verbose_name_plural = _("interview events")
        ordering = ["interview", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.interview_id} → {self.state}"
