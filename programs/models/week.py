import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..formats import show, time_range
from .organisations import HostCompany
from .programs import Enrollment, Program


class ActivityKind(models.TextChoices):
    ORIENTATION = "orientation", _("Orientation")
    HANDS_ON = "hands_on", _("Hands-on")
    WORK = "work", _("Work")
    TRIP = "trip", _("Trip")
    SEMINAR = "seminar", _("Seminar")
    REFLECTION = "reflection", _("Reflection")
    WRITING = "writing", _("Writing")
    INTERVIEW = "interview", _("Interview")
    OTHER = "other", _("Other")


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Activities of the programs the user may see. (Which of them concern a trainee is
        `for_trainee`.)"""
        return self.filter(program__in=Program.objects.visible_to(user))

    def live(self):
        """The week as it stands: not cancelled, and planned (a placeholder is not yet)."""
        return self.filter(cancelled_at__isnull=True, placeholder=False)

    def on_the_grid(self):
        """What the host's people see on the week grid: the live activities and the
        placeholders (予定枠) still to plan."""
        return self.filter(cancelled_at__isnull=True)

    def of_trainee(self, user, *, withdrawn_since=None):
        """The activities a trainee takes part in, in the programs they may see (drafts stay
        with the host); with `withdrawn_since`, those of programs they left since then."""
        enrollments = Enrollment.objects.filter(trainee=user)
        enrollments = (
            enrollments.filter(withdrawn_at__gte=withdrawn_since)
            if withdrawn_since is not None
            else enrollments.active()
        )
        # A placeholder (予定枠) is nobody's yet: never a trainee's.
        return self.visible_to(user).filter(placeholder=False).for_enrollments(enrollments)

    def for_enrollments(self, enrollment_ids):
        """Activities that the given enrolments take part in: for everyone, or named."""
        return self.filter(
            Q(for_all=True, program__enrollments__in=enrollment_ids)
            | Q(participants__in=enrollment_ids)
        ).distinct()


class Activity(models.Model):
    """A slot of a program's week. Cancelled slots stay (with `cancelled_at`) so calendar
    feeds can tell subscribers to remove them."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="activities")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ActivityKind.choices, default=ActivityKind.WORK
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_activities",
    )
    for_all = models.BooleanField(_("all trainees"), default=True)
    participants = models.ManyToManyField(
        Enrollment, verbose_name=_("participants"), blank=True, related_name="activities"
    )
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    # A slot "to plan" (予定枠) that a template put in the week for a trip or a seminar: shown
    # on the host's grid only, never to trainees or in calendar feeds, never in a clash; the
    # leg or seminar planned onto it takes its place.
    placeholder = models.BooleanField(_("to plan"), default=False)
    # Set when another app derives the slot from its own record (a trip's leg, a seminar):
    # `origin` names the record people edit ("trip:12"), `origin_part` the piece of it
    # ("leg:5:0"). The week shows such slots but changes them only through their origin.
    origin = models.CharField(max_length=40, blank=True, default="", editable=False)
    origin_part = models.CharField(max_length=40, blank=True, default="", editable=False)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="activity_end_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["program", "date"]),
            models.Index(fields=["date"]),
            models.Index(fields=["origin"]),
        ]

    def __str__(self) -> str:
        when = time_range(self.start_time, self.end_time)
        return f"{show(self.date, 'short')} {when} {self.title}"

    @property
    def is_derived(self) -> bool:
        return bool(self.origin)


class WeekTemplateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The built-in templates and those of the user's host companies."""
        return self.filter(Q(host__isnull=True) | Q(host__in=HostCompany.objects.visible_to(user)))


class WeekTemplate(models.Model):
    """A reusable week: activities by day offset. Built-in ones have no host."""

    host = models.ForeignKey(
        HostCompany, on_delete=models.CASCADE, null=True, blank=True, related_name="templates"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    days = models.PositiveSmallIntegerField(_("days"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WeekTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("week template")
        verbose_name_plural = _("week templates")
        ordering = ["host_id", "name"]

    def __str__(self) -> str:
        return self.name


class TemplateActivity(models.Model):
    template = models.ForeignKey(WeekTemplate, on_delete=models.CASCADE, related_name="items")
    day_index = models.PositiveSmallIntegerField(_("day"))  # 0 = the first program day
    start_time = models.TimeField()
    end_time = models.TimeField()
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    place = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    placeholder = models.BooleanField(default=False)  # a 予定枠 once applied (Activity)

    class Meta:
        ordering = ["day_index", "start_time", "pk"]

    def __str__(self) -> str:
        return f"{self.day_index + 1}: {self.start_time:%H:%M} {self.title}"


class CalendarFeed(models.Model):
    """A secret address of an iCalendar feed: a trainee's own activities, or a program's.
    Regenerating replaces the token and the old address stops working."""

    class Kind(models.TextChoices):
        TRAINEE = "trainee", _("Trainee")
        PROGRAM = "program", _("Program")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "program"], condition=Q(kind="program"), name="feed_unique_program"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(kind="trainee"), name="feed_unique_trainee"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} feed of {self.user}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)
