from datetime import date, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .organisations import (
    HostCompany,
    Membership,
    Municipality,
    Role,
    supervised_by,
    worked_for,
)
from .scope import scoped

MAX_PROGRAM_DAYS = 14


def fiscal_year_of(day: date) -> int:
    """年度: April to March, named after the year it starts in."""
    return day.year if day.month >= 4 else day.year - 1


def default_reminder_time() -> time:
    # A callable, not a time: a fixed time default makes Django's check warn whenever the
    # clock passes it (fields.W161), and a string stays a string until the row is reloaded.
    return time(17, 30)


def default_reflection_deadline() -> time:
    return time(23, 59)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    REPORTED = "reported", _("Reported")


class Scheme(models.TextChoices):
    IT_VENTURE = "it_venture", _("IT-venture training")
    OTHER = "other", _("Other training")


class ProgramQuerySet(models.QuerySet):
    @scoped
    def visible_to(self, user):
        """Coordinators and staff: their hosts' programs. Supervisors: programs in which a
        trainee of their municipality is enrolled. Trainees: their own programs."""
        my_hosts = worked_for(user)
        my_municipalities = supervised_by(user)
        enrolled_from_mine = Enrollment.objects.filter(
            program=OuterRef("pk"), municipality__in=my_municipalities
        )
        own_enrollment = Enrollment.objects.filter(program=OuterRef("pk"), trainee=user)
        # Drafts stay with the host until published.
        return self.filter(
            Q(host__in=my_hosts)
            | (~Q(status=Status.DRAFT) & (Exists(enrolled_from_mine) | Exists(own_enrollment)))
        )

    @scoped
    def editable_by(self, user):
        return self.filter(
            host__in=Membership.objects.filter(user=user, role=Role.COORDINATOR).values(
                "host_company"
            )
        )

    def with_effective_status(self, today: date):
        """Annotate `effective_status` on `today` (the caller's day): a published program is
        running during its dates and completed after them, the same on every page and in
        every filter."""
        return self.annotate(
            effective_status=Case(
                When(status=Status.PUBLISHED, end_date__lt=today, then=Value(Status.COMPLETED)),
                When(status=Status.PUBLISHED, start_date__lte=today, then=Value(Status.RUNNING)),
                default="status",
                output_field=models.CharField(),
            )
        )


class Program(models.Model):
    """A training program: one host, one to fourteen days, trainees from municipalities."""

    host = models.ForeignKey(
        HostCompany,
        verbose_name=_("host company"),
        on_delete=models.PROTECT,
        related_name="programs",
    )
    title = models.CharField(_("title"), max_length=200)
    scheme = models.CharField(
        _("scheme"), max_length=20, choices=Scheme.choices, default=Scheme.IT_VENTURE
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), editable=False, db_index=True)
    municipality_aims = models.JSONField(_("aims of the municipality"), default=list, blank=True)
    host_aims = models.JSONField(_("aims of the host"), default=list, blank=True)
    reminder_time = models.TimeField(_("reflection reminder time"), default=default_reminder_time)
    required_reminders = models.JSONField(
        _("reminders trainees cannot turn off"), default=list, blank=True
    )
    reflection_deadline = models.TimeField(
        _("reflection deadline"), default=default_reflection_deadline
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        default=Status.DRAFT,
        choices=[(s.value, s.label) for s in (Status.DRAFT, Status.PUBLISHED, Status.REPORTED)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="program_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["host", "start_date"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.fiscal_year = fiscal_year_of(self.start_date)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "start_date" in update_fields:
            kwargs["update_fields"] = {*update_fields, "fiscal_year"}
        super().save(*args, **kwargs)

    @property
    def days(self) -> list[date]:
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + timedelta(days=i) for i in range(count)]

    def effective_status_on(self, today: date) -> str:
        if self.status == Status.PUBLISHED:
            if self.end_date < today:
                return Status.COMPLETED
            if self.start_date <= today:
                return Status.RUNNING
        return self.status

    @property
    def effective_status(self) -> str:
        # Pages annotate it with their day (with_effective_status); a template that shows a
        # program loaded otherwise reads it on the day the page is drawn.
        return getattr(self, "_effective_status", None) or self.effective_status_on(
            timezone.localdate()
        )

    @effective_status.setter
    def effective_status(self, value: str) -> None:
        self._effective_status = value

    def get_effective_status_display(self) -> str:
        return Status(self.effective_status).label


class EnrollmentQuerySet(models.QuerySet):
    @scoped
    def visible_to(self, user):
        """A host's people see their programs' enrolments; a supervisor those of their
        municipality's trainees only; a trainee their own."""
        my_hosts = worked_for(user)
        my_municipalities = supervised_by(user)
        return self.filter(
            Q(program__host__in=my_hosts) | Q(municipality__in=my_municipalities) | Q(trainee=user)
        )

    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class Enrollment(models.Model):
    """One trainee in one program. The trainee's municipality, department and position are
    copied at enrolment, so later moves do not rewrite history."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="enrollments")
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentored_enrollments",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    department = models.CharField(_("department"), max_length=120, blank=True)
    position = models.CharField(_("position"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=200, blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["program", "trainee__family_name_kana", "trainee__email"]
        constraints = [
            models.UniqueConstraint(fields=["program", "trainee"], name="enrollment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} — {self.program}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class RosterImport(models.Model):
    """A roster file from upload to result. A worker reads the file (no web request holds it)
    into a preview; once confirmed, a worker applies it: enrolments and invitations for every
    row, all or none. The preview's rows are kept so the worker applies exactly what was shown;
    the file itself is dropped as soon as it has been read."""

    class State(models.TextChoices):
        READING = "reading", _("Reading the file")
        PREVIEW = "preview", _("Waiting for confirmation")
        REFUSED = "refused", _("Could not be read")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="roster_imports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(max_length=255, blank=True)
    upload = models.BinaryField(null=True, editable=False)
    lines_read = models.PositiveIntegerField(default=0)
    rows = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=State.choices, default=State.READING)
    enrolled = models.PositiveIntegerField(default=0)
    invited = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"roster {self.pk} for {self.program}: {self.state}"

    @property
    def lines_read_text(self) -> str:
        return f"{self.lines_read:,}"
