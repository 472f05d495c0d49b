"""The business trip (出張): who goes where and when, how they travel, and what it costs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.formats import money, period
from programs.models import Enrollment, Municipality, Program, Status

from .scope import host_ids, is_admin, signed_in, supervised
from .travel_rules import ExpenseKind


class TripStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Payer(models.TextChoices):
    MUNICIPALITY = "municipality", _("The trainee's municipality")
    HOST = "host", _("The host company")


class TripQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The host's people: every trip of their programs. A trainee: the trips they go on.
        A supervisor: trips on which a trainee of their municipality goes. Trips of a draft
        program stay with the host."""
        if not signed_in(user):
            return self.none()
        if is_admin(user):
            return self.all()
        travellers = Q(trainees__trainee=user) | Q(trainees__municipality__in=supervised(user))
        published = ~Q(program__status=Status.DRAFT)
        return self.filter(
            Q(pk__in=self.model.objects.filter(program__host__in=host_ids(user)).values("pk"))
            | Q(pk__in=self.model.objects.filter(published & travellers).values("pk"))
        )


class Trip(models.Model):
    """A business trip inside a program. Its legs and seminars appear in the week as
    activities derived from it; they are changed here, never typed twice."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="trips"
    )
    purpose = models.CharField(_("purpose (用務)"), max_length=300)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("destinations"), blank=True, related_name="+"
    )
    places = models.TextField(
        _("other places"), blank=True, max_length=1000, help_text=_("One place per line.")
    )
    trainees = models.ManyToManyField(
        Enrollment, verbose_name=_("trainees"), blank=True, related_name="trips"
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("host staff"), blank=True, related_name="trips"
    )
    lodging = models.TextField(_("lodging"), blank=True, max_length=1000)
    lodging_cost = models.PositiveIntegerField(
        _("lodging cost per person per night (yen)"),
        null=True,
        blank=True,
        help_text=_("What the lodging actually costs; the payer's rules decide what is paid."),
    )
    trainees_paid_by = models.CharField(
        _("the trainees' travel costs are paid by"),
        max_length=12,
        choices=Payer.choices,
        default=Payer.MUNICIPALITY,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=TripStatus.choices, default=TripStatus.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TripQuerySet.as_manager()

    class Meta:
        verbose_name = _("trip")
        verbose_name_plural = _("trips")
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="trip_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{period(self.start_date, self.end_date, 'short')} {self.purpose}"

    @property
    def origin(self) -> str:
        return f"trip:{self.pk}"

    @property
    def place_list(self) -> list[str]:
        return [line.strip() for line in self.places.splitlines() if line.strip()]


class Mode(models.TextChoices):
    SHINKANSEN = "shinkansen", _("Shinkansen")
    RAIL = "rail", _("Local train")
    FLIGHT = "flight", _("Flight")
    FERRY = "ferry", _("Ferry")
    BUS = "bus", _("Bus")
    CAR = "car", _("Car")
    TAXI = "taxi", _("Taxi")
    WALK = "walk", _("On foot")


class Leg(models.Model):
    """One leg of the itinerary; every participant of the trip travels on it."""

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="legs")
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices)
    origin_place = models.CharField(_("from"), max_length=120)
    destination = models.CharField(_("to"), max_length=120)
    depart_at = models.DateTimeField(_("departs"))
    arrive_at = models.DateTimeField(_("arrives"))
    service = models.CharField(
        _("train or flight"), max_length=80, blank=True, help_text=_("e.g. のぞみ 12号, JAL 306")
    )
    fare = models.PositiveIntegerField(_("fare per person (yen)"), default=0)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("leg")
        verbose_name_plural = _("legs")
        ordering = ["depart_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(arrive_at__gt=models.F("depart_at")), name="leg_arrives_after_departs"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.origin_place} → {self.destination}"


class Expense(models.Model):
    """One line of a participant's travel costs, in whole yen. Exactly one of `enrollment`
    (a trainee) and `staff` (the host's person) is set; a leg's fare may be its source."""

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="expenses")
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ExpenseKind.choices)
    label = models.CharField(
        _("category"),
        max_length=20,
        help_text=_("The category in the payer's words when the line was made."),
    )
    amount = models.PositiveIntegerField(_("amount (yen)"))
    generated = models.BooleanField(
        _("computed from the rules"),
        default=False,
        help_text=_("Made again when the trip or the payer's rules change; typed lines never."),
    )
    quantity = models.PositiveSmallIntegerField(_("nights or days"), default=1)
    rate = models.PositiveIntegerField(_("per night or day (yen)"), null=True, blank=True)
    actual_cost = models.PositiveIntegerField(
        _("actual cost per night (yen)"), null=True, blank=True
    )
    ceiling = models.PositiveIntegerField(_("ceiling per night (yen)"), null=True, blank=True)
    payer = models.CharField(_("paid by"), max_length=12, choices=Payer.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    leg = models.ForeignKey(
        Leg, on_delete=models.CASCADE, null=True, blank=True, related_name="expenses"
    )

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["trip", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(enrollment__isnull=True) ^ Q(staff__isnull=True)),
                name="expense_one_participant",
            ),
            models.CheckConstraint(
                condition=~Q(staff__isnull=False, payer="municipality"),
                name="expense_staff_paid_by_host",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {money(self.amount)}"

    @property
    def over_ceiling(self) -> bool:
        """Lodging that cost more than the payer's ceiling (the line pays the ceiling)."""
        return over_ceiling(self.actual_cost, self.ceiling)


def over_ceiling(actual_cost: int | None, ceiling: int | None) -> bool:
    return actual_cost is not None and ceiling is not None and actual_cost > ceiling
