"""The call (募集) of one 年度: its window for applications, the weeks programs may run in,
and its rules. Whether it is open is decided at a moment the caller gives."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models.scope import scoped

MAX_CALL_WEEKS = 60


class Theme(models.TextChoices):
    """What a host's weeks are about and what a municipality wants to learn."""

    DX = "dx", _("Digital transformation")
    NEW_BUSINESS = "new_business", _("New business")
    REGIONAL = "regional", _("Regional issues")
    CROWDSOURCING = "crowdsourcing", _("Crowdsourcing")
    WORK_STYLE = "work_style", _("Ways of working")
    DATA = "data", _("Data use")
    PUBLIC_RELATIONS = "public_relations", _("Public relations")


class CallState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Before the window")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class CallQuerySet(models.QuerySet):
    @scoped
    def visible_to(self, user):
        """The office sees every call; hosts and municipalities see the published ones."""
        from .scope import staffs_office

        if user.is_active and staffs_office(user):
            return self.all()
        return self.filter(published_at__isnull=False)

    @scoped
    def run_by(self, user):
        """The calls the user may change: the office's staff (and operators)."""
        from .scope import staffs_office

        if user.is_active and staffs_office(user):
            return self.all()
        return self.none()


def mondays(first: date, last: date) -> list[date]:
    """Every Monday from `first` to `last` (both Mondays), in order."""
    weeks = []
    day = first
    while day <= last:
        weeks.append(day)
        day += timedelta(days=7)
    return weeks


class Call(models.Model):
    """募集: one per 年度. Applications and offers are taken from `opens_on` to `closes_on`
    (Japan's dates, both included) once the office has published it; programs run in the
    weeks from `first_week` to `last_week` (Mondays)."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("applications from"))
    closes_on = models.DateField(_("applications until"))
    first_week = models.DateField(_("first week (Monday)"))
    last_week = models.DateField(_("last week (Monday)"))
    min_weeks = models.PositiveSmallIntegerField(_("shortest program (weeks)"), default=1)
    max_weeks = models.PositiveSmallIntegerField(_("longest program (weeks)"), default=2)
    max_staff = models.PositiveSmallIntegerField(
        _("staff per municipality, at most"),
        default=3,
        help_text=_("How many staff one municipality may send."),
    )
    notes = models.TextField(_("notes"), blank=True)
    published_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed early at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-fiscal_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="call_window_in_order"
            ),
            models.CheckConstraint(
                condition=Q(last_week__gte=models.F("first_week")), name="call_weeks_in_order"
            ),
            models.CheckConstraint(
                condition=Q(min_weeks__gte=1)
                & Q(max_weeks__lte=2)
                & Q(min_weeks__lte=models.F("max_weeks")),
                name="call_one_or_two_weeks",
            ),
            models.CheckConstraint(
                condition=Q(max_staff__gte=1) & Q(max_staff__lte=20), name="call_staff_limit"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def weeks(self) -> list[date]:
        return mondays(self.first_week, self.last_week)

    def state(self, now: datetime) -> str:
        """Draft until published; then before, during or after its window on `now`'s day
        in Japan (closing early ends the window at once)."""
        if self.published_at is None:
            return CallState.DRAFT
        if self.closed_at is not None and self.closed_at <= now:
            return CallState.CLOSED
        today = timezone.localdate(now)
        if today < self.opens_on:
            return CallState.SCHEDULED
        if today > self.closes_on:
            return CallState.CLOSED
        return CallState.OPEN

    def is_open(self, now: datetime) -> bool:
        return self.state(now) == CallState.OPEN
