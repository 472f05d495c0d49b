"""Stored documents: each request makes a row that a worker fills. A request for unchanged
data gets the version already built (same content hash); a change makes a new version, and
the old ones stay downloadable."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Program, worked_for


class ReportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportKind(models.TextChoices):
    ITINERARY = "itinerary", _("Trip itineraries")


def report_path(instance, filename: str) -> str:
    # Random: nobody reaches a document by guessing its storage path.
    return f"reports/{uuid.uuid4().hex}.pdf"


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Trip documents hold every traveller's page: the host's people only."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(program__host__in=worked_for(user))


class Report(models.Model):
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="reports")
    scope = models.CharField(max_length=60)  # what it covers, e.g. "trip:12"
    version = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=10, choices=ReportState.choices, default=ReportState.QUEUED)
    content_hash = models.CharField(max_length=64)
    file = models.FileField(upload_to=report_path, blank=True, max_length=200)
    filename = models.CharField(max_length=200)
    size = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "scope", "version"], name="report_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.scope} v{self.version} ({self.state})"

    @property
    def trip_id(self) -> int:
        """The trip a trip document covers (its scope is "trip:<id>")."""
        return int(self.scope.removeprefix("trip:"))

    @property
    def is_stale(self) -> bool:
        """Running since before `stale_before()`: its worker died."""
        return (
            self.state == ReportState.RUNNING
            and self.started_at is not None
            and self.started_at < stale_before()
        )


def stale_before():
    """A row running since before this was claimed by a worker that died: the hard time
    limit stops every task long before."""
    return timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
