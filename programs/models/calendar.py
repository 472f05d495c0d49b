"""A host's own closed days (12/29〜1/3, a summer break): days no program of the host works,
as it does not work on national holidays (programs/calendar_days.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .organisations import HostCompany


class ClosedDayQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The closed days of the host companies the user works for."""
        return self.filter(host__in=HostCompany.objects.visible_to(user))

    def overlapping(self, start, end):
        """The periods that share at least one day with start〜end."""
        return self.filter(start_date__lte=end, end_date__gte=start)


class ClosedDay(models.Model):
    """One period the host is closed, from its first to its last day (one day: both the
    same)."""

    host = models.ForeignKey(
        HostCompany, on_delete=models.CASCADE, related_name="closed_days", verbose_name=_("host")
    )
    start_date = models.DateField(_("first closed day"))
    end_date = models.DateField(_("last closed day"))
    name = models.CharField(_("name"), max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClosedDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("closed days")
        verbose_name_plural = _("closed days")
        ordering = ["host_id", "start_date", "pk"]
        indexes = [models.Index(fields=["host", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="closed_day_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_date}–{self.end_date})"
