"""The registry of Japan's local governments (地方公共団体): the 47 prefectures, the 1,741
municipalities (市町村 and 東京23区) and the wards of the designated cities, each with its
全国地方公共団体コード. Loaded from maintained data (programs.services.registry)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..prefectures import Prefecture
from ..validators import validate_local_government_code
from .scope import scoped


class LocalGovernmentKind(models.TextChoices):
    PREFECTURE = "prefecture", _("Prefecture")
    DESIGNATED_CITY = "designated_city", _("Designated city")
    CITY = "city", _("City")
    TOWN = "town", _("Town")
    VILLAGE = "village", _("Village")
    SPECIAL_WARD = "special_ward", _("Special ward")
    WARD = "ward", _("Ward of a designated city")


# The 1,741 municipalities (市町村 and 東京23区) are these kinds; prefectures and the wards of
# designated cities are listed beside them.
MUNICIPAL_KINDS = (
    LocalGovernmentKind.DESIGNATED_CITY,
    LocalGovernmentKind.CITY,
    LocalGovernmentKind.TOWN,
    LocalGovernmentKind.VILLAGE,
    LocalGovernmentKind.SPECIAL_WARD,
)


class MunicipalityQuerySet(models.QuerySet):
    def registry(self):
        """The public registry of local governments, for choosing one in a form.

        Names and codes are public data, so every signed-in user may pick from it."""
        return self.all()

    def current(self):
        """Those that may be chosen for something new: not retired (廃止)."""
        return self.filter(abolished_on__isnull=True)

    def municipal(self):
        return self.filter(kind__in=MUNICIPAL_KINDS)

    @scoped
    def visible_to(self, user):
        """Municipalities whose pages the user may open: their own as supervisor or trainee."""
        from .organisations import Role, TraineeProfile, _memberships

        return self.filter(
            Q(pk__in=_memberships(user, [Role.SUPERVISOR]).values("municipality"))
            | Q(pk__in=TraineeProfile.objects.filter(user=user).values("municipality"))
        )

    @scoped
    def supervised_by(self, user):
        from .organisations import Role, _memberships

        return self.filter(pk__in=_memberships(user, [Role.SUPERVISOR]).values("municipality"))


class Municipality(models.Model):
    """A local government (自治体) that sends trainees."""

    name = models.CharField(_("name"), max_length=60)
    prefecture = models.PositiveSmallIntegerField(_("prefecture"), choices=Prefecture.choices)
    code = models.CharField(
        _("local government code"),
        max_length=6,
        unique=True,
        validators=[validate_local_government_code],
        help_text=_("全国地方公共団体コード: six digits, the last a check digit."),
    )
    kana = models.CharField(_("reading"), max_length=120, blank=True)
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=LocalGovernmentKind.choices,
        default=LocalGovernmentKind.CITY,
    )
    city = models.ForeignKey(
        "self",
        verbose_name=_("designated city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wards",
    )
    listed = models.BooleanField(
        _("in the published list"),
        default=False,
        help_text=_(
            "Loaded from the registry's data file. Only such a row is marked abolished when the "
            "file no longer lists it; one added here by hand stays as it is."
        ),
    )
    abolished_on = models.DateField(
        _("abolished on"),
        null=True,
        blank=True,
        help_text=_("Set when the code left the published list (a merger): kept on old records."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["prefecture", "name"],
                condition=Q(abolished_on__isnull=True),
                name="municipality_unique_name_in_prefecture",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == LocalGovernmentKind.PREFECTURE:
            named = self.name
        else:
            named = f"{self.get_prefecture_display()} {self.name}"
        return f"{named}{_(' (abolished)')}" if self.abolished_on else named

    @property
    def label(self) -> str:
        """How a chooser shows it: the name with its prefecture and its code."""
        return f"{self}（{self.code}）"

    @property
    def is_abolished(self) -> bool:
        return self.abolished_on is not None

    def clean(self) -> None:
        code_is_complete = bool(self.code) and len(self.code) == 6 and self.code.isdigit()
        if code_is_complete and self.prefecture and int(self.code[:2]) != self.prefecture:
            raise ValidationError(
                {
                    "code": _(
                        "The code %(code)s belongs to prefecture number %(number)s, "
                        "not to %(prefecture)s."
                    )
                    % {
                        "code": self.code,
                        "number": self.code[:2],
                        "prefecture": self.get_prefecture_display(),
                    }
                }
            )


class RegistryVersion(models.Model):
    """Which version of the shipped registry file the database holds (one row)."""

    version = models.CharField(max_length=32)
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.version
