"""Seminars, on a trip or local: who comes, what each trainee does there, what came of it."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.models import Enrollment, Program, Status

from .scope import host_ids, is_admin, signed_in, supervised
from .trips import Trip

MATERIAL_MAX_BYTES = 20 * 1024 * 1024


class SeminarKind(models.TextChoices):
    WORKER_BRIEFING = "worker_briefing", _("Briefing for workers")
    BUSINESS_SEMINAR = "business_seminar", _("Seminar for companies")
    WORKSHOP = "workshop", _("Workshop")
    SITE_VISIT = "site_visit", _("Site visit")
    OTHER = "other", _("Other")


class SeminarQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The host's people: all their programs' seminars. A trainee: the seminars they take
        part in. A supervisor: those a trainee of their municipality takes part in."""
        if not signed_in(user):
            return self.none()
        if is_admin(user):
            return self.all()
        mine = Q(roles__enrollment__trainee=user) | Q(
            roles__enrollment__municipality__in=supervised(user)
        )
        return self.filter(
            Q(pk__in=self.model.objects.filter(program__host__in=host_ids(user)).values("pk"))
            | Q(
                pk__in=self.model.objects.filter(mine & ~Q(program__status=Status.DRAFT)).values(
                    "pk"
                )
            )
        )


class Seminar(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="seminars")
    trip = models.ForeignKey(
        Trip,
        verbose_name=_("trip"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="seminars",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SeminarKind.choices)
    title = models.CharField(_("title"), max_length=200)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    partner = models.CharField(
        _("partner organisation"),
        max_length=200,
        blank=True,
        help_text=_("e.g. a chamber of commerce's youth division"),
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead from the host"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expected_attendance = models.PositiveIntegerField(_("expected attendance"), default=0)
    actual_attendance = models.PositiveIntegerField(_("actual attendance"), null=True, blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SeminarQuerySet.as_manager()

    class Meta:
        verbose_name = _("seminar")
        verbose_name_plural = _("seminars")
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="seminar_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def origin(self) -> str:
        return f"seminar:{self.pk}"


class SeminarRole(models.Model):
    class Role(models.TextChoices):
        OBSERVER = "observer", _("Observer")
        ASSISTANT = "assistant", _("Assistant")
        PRESENTER = "presenter", _("Presenter")

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="roles")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.OBSERVER)

    class Meta:
        ordering = ["seminar", "enrollment__trainee__family_name_kana", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["seminar", "enrollment"], name="seminar_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.enrollment.trainee}: {self.get_role_display()}"


class FollowUp(models.Model):
    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("due date"))
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.action


def material_path(instance, filename: str) -> str:
    # A random name: the storage path tells nothing and cannot be guessed; the person's
    # file name is kept in `name` and given back on download.
    return f"seminar-materials/{uuid.uuid4().hex}{instance.extension}"


class Material(models.Model):
    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(upload_to=material_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name
