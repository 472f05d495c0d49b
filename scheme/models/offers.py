"""What hosts offer (受入枠) and what municipalities ask for (申込) in a call."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.models import HostCompany, Municipality, scoped

from .calls import Call
from .scope import host_ids, staffs_office, supervised

MAX_PLACES = 50
MAX_HOST_CHOICES = 5


class OfferQuerySet(models.QuerySet):
    @scoped
    def visible_to(self, user):
        """A host's people see its offers; the office sees all of them."""
        if user.is_active and staffs_office(user):
            return self.all()
        return self.filter(host__in=host_ids(user))

    def live(self):
        return self.filter(withdrawn_at__isnull=True)


class Offer(models.Model):
    """受入枠: a host's places in some weeks of a call. The weeks of one host's live offers
    never overlap (OfferWeek's unique key holds it under concurrent saves)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="offers")
    host = models.ForeignKey(
        HostCompany, verbose_name=_("host company"), on_delete=models.CASCADE, related_name="+"
    )
    places = models.PositiveSmallIntegerField(
        _("places per week"), help_text=_("How many trainees the host takes in one week.")
    )
    themes = models.JSONField(_("themes"), default=list, blank=True)
    location = models.CharField(
        _("where"), max_length=120, help_text=_("Where the trainees work, e.g. 東京都渋谷区.")
    )
    includes_trip = models.BooleanField(_("a business trip is included"), default=False)
    overnight = models.BooleanField(_("the trip includes nights away"), default=False)
    accessible = models.BooleanField(_("step-free office and trip"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["host__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(places__gte=1) & Q(places__lte=MAX_PLACES), name="offer_places_range"
            ),
            models.CheckConstraint(
                condition=Q(overnight=False) | Q(includes_trip=True),
                name="offer_overnight_needs_trip",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.host} ({self.call.fiscal_year})"


class OfferWeek(models.Model):
    """One week of an offer. `call` and `host` repeat the offer's so that the database
    refuses a host's second live offer of the same week."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="weeks")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    host = models.ForeignKey(HostCompany, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(_("week (Monday)"))
    live = models.BooleanField(default=True)

    class Meta:
        ordering = ["week"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "host", "week"],
                condition=Q(live=True),
                name="offer_week_once_per_host",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.host_id} {self.week}"


class ApplicationQuerySet(models.QuerySet):
    @scoped
    def visible_to(self, user):
        """A municipality's contacts see its application; the office sees all of them."""
        if user.is_active and staffs_office(user):
            return self.all()
        return self.filter(municipality__in=supervised(user))

    def live(self):
        return self.filter(withdrawn_at__isnull=True)


class Application(models.Model):
    """申込: one municipality's request in one call (one per municipality and call)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    staff = models.PositiveSmallIntegerField(_("staff to send"))
    weeks_wanted = models.PositiveSmallIntegerField(_("length (weeks)"), default=1)
    preferred_weeks = models.JSONField(_("preferred weeks"), default=list, blank=True)
    impossible_weeks = models.JSONField(_("weeks that are impossible"), default=list, blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    other_hosts_ok = models.BooleanField(
        _("another host is acceptable"),
        default=True,
        help_text=_("If none of the chosen hosts has room, the office may propose another."),
    )
    no_overnight = models.BooleanField(_("no nights away"), default=False)
    needs_accessibility = models.BooleanField(_("needs step-free access"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["municipality__code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "municipality"], name="application_once_per_municipality"
            ),
            models.CheckConstraint(
                condition=Q(staff__gte=1) & Q(staff__lte=20), name="application_staff_range"
            ),
            models.CheckConstraint(
                condition=Q(weeks_wanted__gte=1) & Q(weeks_wanted__lte=2),
                name="application_one_or_two_weeks",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} ({self.call.fiscal_year})"


class HostChoice(models.Model):
    """A host the application names, in order (rank 1 is the first choice)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="host_choices"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    host = models.ForeignKey(HostCompany, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="host_choice_rank_once"),
            models.UniqueConstraint(fields=["application", "host"], name="host_choice_host_once"),
            models.CheckConstraint(
                condition=Q(rank__gte=1) & Q(rank__lte=MAX_HOST_CHOICES),
                name="host_choice_rank_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank}: {self.host_id}"
