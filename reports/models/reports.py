"""Stored documents: each request makes a row that a worker fills. A request for unchanged
data gets the version already built (same content hash); a change makes a new version, and
the old ones stay downloadable."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import (
    Enrollment,
    HostCompany,
    Membership,
    Municipality,
    Program,
    Role,
    Scheme,
    Status,
    supervised_by,
    worked_for,
)


class ReportState(models.TextChoices):
    QUEUED = "queued", _("Waiting to be built")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Build failed")


class ReportKind(models.TextChoices):
    ITINERARY = "itinerary", _("Trip itineraries")
    PROGRAM = "program", _("Program report")
    TRAINEE = "trainee", _("Training report (研修報告書)")
    FISCAL_YEAR = "fiscal_year", _("Fiscal-year summary")


# Documents a supervisor may hold: those of their own municipality's trainees only.
MUNICIPAL_KINDS = (ReportKind.PROGRAM, ReportKind.TRAINEE)


def report_path(instance, filename: str) -> str:
    # Random: nobody reaches a document by guessing its storage path.
    return f"reports/{uuid.uuid4().hex}.pdf"


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who may see every part of a document. The host's people: their host's documents.
        A supervisor: a program report made for their municipality (only its trainees are
        in it) and their trainees' 研修報告書. A trainee: their own 研修報告書. Both only
        while the program is not a draft. Trip
        itineraries hold every traveller's page and summaries every municipality: the
        host's people only. A summary across hosts (the scheme's 年度 report): operators and
        the scheme office (事務局), which also holds what hosts share with it: the whole
        report of each program of the scheme, once built, never a trainee's own document."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_superuser:
            return self.all()
        # A draft program (one taken back to draft too) stays with the host, its documents
        # with it.
        published = ~Q(program__status=Status.DRAFT)
        return self.filter(
            Q(host__in=worked_for(user))
            | (Q(kind__in=MUNICIPAL_KINDS, municipality__in=supervised_by(user)) & published)
            | (Q(kind=ReportKind.TRAINEE, enrollment__trainee=user) & published)
            | (office_documents() & Exists(Membership.objects.filter(user=user, role=Role.OFFICE)))
        )


def office_documents() -> Q:
    """What the scheme office may hold (its staff read aggregates and shared documents): the
    scheme's 年度 report across hosts, and a built version of a scheme program's whole report
    that the host's coordinator shared with it (the report holds the trainees' own writing,
    so it reaches the office only by the host's act, version by version)."""
    return Q(kind=ReportKind.FISCAL_YEAR, host__isnull=True) | Q(
        ~Q(program__status=Status.DRAFT),
        kind=ReportKind.PROGRAM,
        municipality__isnull=True,
        program__scheme=Scheme.IT_VENTURE,
        state=ReportState.DONE,
        shared_with_office_at__isnull=False,
    )


class Report(models.Model):
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    # What it covers: "trip:12", "program:3", "program:3:municipality:5", "enrollment:9",
    # "fiscal_year:2026:host:1" or "fiscal_year:2026:all". The columns below say the same for
    # the scoped queries (who may see it).
    scope = models.CharField(max_length=60)
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="reports", null=True, blank=True
    )
    host = models.ForeignKey(
        HostCompany, on_delete=models.CASCADE, related_name="reports", null=True, blank=True
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="reports", null=True, blank=True
    )
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="reports", null=True, blank=True
    )
    fiscal_year = models.PositiveSmallIntegerField(null=True, blank=True)
    # Made by itself when the program completed (its coordinators are emailed a link).
    automatic = models.BooleanField(default=False)
    # Built on or before the program's last day: an interim version (中間版).
    interim = models.BooleanField(default=False)
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
    # The worker run that claimed the build (programs.workers): if it is no longer alive, the
    # build is handed out again (reports.tasks.requeue_orphaned_builds).
    claimed_by = models.CharField(max_length=40, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    # The host's coordinator shared this version with the scheme office (a program's whole
    # report of the scheme only): reports.services.documents.share_with_office.
    shared_with_office_at = models.DateTimeField(null=True, blank=True)
    shared_with_office_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
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

    def save(self, *args, **kwargs):
        # Documents are found by their host: a program's document belongs to its host.
        if self.host_id is None and self.program_id is not None:
            self.host_id = Program.objects.values_list("host_id", flat=True).get(pk=self.program_id)
        super().save(*args, **kwargs)

    @property
    def trip_id(self) -> int:
        """The trip a trip document covers (its scope is "trip:<id>")."""
        return int(self.scope.removeprefix("trip:"))

    @property
    def is_stale(self) -> bool:
        """Running since before `stale_before()`: its worker died. Or queued for longer than
        QUEUED_FOR: its message was lost (a broker emptied by hand)."""
        if self.state == ReportState.QUEUED:
            return self.created_at is not None and self.created_at < timezone.now() - QUEUED_FOR
        return (
            self.state == ReportState.RUNNING
            and self.started_at is not None
            and self.started_at < stale_before()
        )


QUEUED_FOR = timedelta(hours=1)


def stale_before():
    """A row running since before this was claimed by a worker that died: the hard time
    limit stops every task long before."""
    return timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


# The `scope` of a program report and of a fiscal-year summary (see Report.scope).
def program_scope(program: Program, municipality: Municipality | None = None) -> str:
    return f"program:{program.pk}" + (f":municipality:{municipality.pk}" if municipality else "")


def fiscal_year_scope(year: int, host: HostCompany | None) -> str:
    return f"fiscal_year:{year}:" + (f"host:{host.pk}" if host else "all")
