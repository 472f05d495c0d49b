"""The travel rules (旅費規程) of a payer: a municipality for its trainees, a host company for
its staff. The payer's own ordinance decides which categories a trip's costs fall into and
what is paid per night and per day; Kenshu computes the lines from them.

A payer without a row is on the revised national set with the starting values below, so the
registry's municipalities need no rows; editing the rules makes the payer's row."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.models import HostCompany, Municipality


class Scheme(models.TextChoices):
    REVISED = "revised", _("National rules from 令和7年4月1日 (交通費・宿泊費・宿泊手当)")
    OLDER = "older", _("Older national rules (鉄道賃・船賃・航空賃・車賃・日当・宿泊料)")
    OWN = "own", _("Own categories")


class ExpenseKind(models.TextChoices):
    """What a line is for, whatever the payer calls it: the computation's word, stable
    across rule sets. The payer's word is kept on the line (`Expense.label`)."""

    FARE_RAIL = "fare_rail", _("Fare: rail")
    FARE_SHIP = "fare_ship", _("Fare: ship")
    FARE_AIR = "fare_air", _("Fare: flight")
    FARE_CAR = "fare_car", _("Fare: bus, car, taxi")
    LODGING = "lodging", _("Lodging")
    LODGING_ALLOWANCE = "lodging_allowance", _("Allowance per night")
    DAILY_ALLOWANCE = "daily_allowance", _("Allowance per day")
    OTHER = "other", _("Other")


FARE_KINDS = ("fare_rail", "fare_ship", "fare_air", "fare_car")
KIND_ORDER = {kind: index for index, kind in enumerate(ExpenseKind.values)}

# Which kind of fare a leg's mode is (a walk has none).
FARE_KIND = {
    "shinkansen": "fare_rail",
    "rail": "fare_rail",
    "ferry": "fare_ship",
    "flight": "fare_air",
    "bus": "fare_car",
    "car": "fare_car",
    "taxi": "fare_car",
}

# The words of each national set, in the records' language (they are the ordinances' own
# terms). An empty word: the set has no such category.
SCHEME_WORDS = {
    "revised": {
        "fare_rail": "交通費",
        "fare_ship": "交通費",
        "fare_air": "交通費",
        "fare_car": "交通費",
        "lodging": "宿泊費",
        "lodging_allowance": "宿泊手当",
        "daily_allowance": "",
        "other": "その他",
    },
    "older": {
        "fare_rail": "鉄道賃",
        "fare_ship": "船賃",
        "fare_air": "航空賃",
        "fare_car": "車賃",
        "lodging": "宿泊料",
        "lodging_allowance": "",
        "daily_allowance": "日当",
        "other": "その他",
    },
}

# Starting values, in one place: what a payer's rules hold until the payer sets its own.
# They are not the law's table: each payer checks them against its 条例 (or its own rules).
STARTING_VALUES = {
    "lodging_ceiling": 10000,  # 宿泊費 paid at cost up to this, per night (revised)
    "lodging_allowance": 2400,  # 宿泊手当 per night (revised)
    "lodging_flat": 13100,  # 宿泊料 per night (older)
    "daily_allowance": 2200,  # 日当 per day (older)
}


@dataclass(frozen=True)
class Rules:
    """A payer's rules as the computation reads them: each kind's word (empty: not used),
    whether lodging is paid at cost up to the ceiling or at a flat rate, and the yen."""

    scheme: str
    words: dict
    lodging_at_cost: bool
    lodging_ceiling: int
    lodging_flat: int
    lodging_allowance: int
    daily_allowance: int

    def word(self, kind: str) -> str:
        return self.words.get(kind, "")


def starting_rules() -> "Rules":
    """The rules of a payer without a row: the revised national set, the starting values."""
    return TravelRules().as_rules()


class TravelRules(models.Model):
    """One payer's rule set: exactly one of `municipality` and `host_company` is set."""

    municipality = models.OneToOneField(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="travel_rules",
    )
    host_company = models.OneToOneField(
        HostCompany,
        verbose_name=_("host company"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="travel_rules",
    )
    scheme = models.CharField(
        _("categories"), max_length=8, choices=Scheme.choices, default=Scheme.REVISED
    )
    lodging_ceiling = models.PositiveIntegerField(
        _("lodging ceiling per night (yen)"), default=STARTING_VALUES["lodging_ceiling"]
    )
    lodging_allowance = models.PositiveIntegerField(
        _("allowance per night (yen)"), default=STARTING_VALUES["lodging_allowance"]
    )
    lodging_flat = models.PositiveIntegerField(
        _("flat lodging per night (yen)"), default=STARTING_VALUES["lodging_flat"]
    )
    daily_allowance = models.PositiveIntegerField(
        _("allowance per day (yen)"), default=STARTING_VALUES["daily_allowance"]
    )
    # The payer's own words (scheme "own"); an empty word: the category is not used.
    fare_word = models.CharField(_("word for fares"), max_length=20, blank=True)
    lodging_word = models.CharField(_("word for lodging"), max_length=20, blank=True)
    night_word = models.CharField(_("word for the allowance per night"), max_length=20, blank=True)
    day_word = models.CharField(_("word for the allowance per day"), max_length=20, blank=True)
    own_lodging_at_cost = models.BooleanField(
        _("lodging paid at cost up to the ceiling"),
        default=True,
        help_text=_("Otherwise the flat rate per night is paid."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("travel rules")
        verbose_name_plural = _("travel rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=True) ^ Q(host_company__isnull=True),
                name="travel_rules_one_payer",
            ),
        ]

    def __str__(self) -> str:
        return str(self.municipality or self.host_company or "")

    def as_rules(self) -> Rules:
        if self.scheme == Scheme.OWN:
            fares = self.fare_word.strip()
            words = {kind: fares for kind in FARE_KINDS}
            words.update(
                lodging=self.lodging_word.strip(),
                lodging_allowance=self.night_word.strip(),
                daily_allowance=self.day_word.strip(),
                other="その他",
            )
            at_cost = self.own_lodging_at_cost
        else:
            words = SCHEME_WORDS[self.scheme or Scheme.REVISED]
            at_cost = self.scheme != Scheme.OLDER
        return Rules(
            scheme=self.scheme,
            words=words,
            lodging_at_cost=at_cost,
            lodging_ceiling=self.lodging_ceiling,
            lodging_flat=self.lodging_flat,
            lodging_allowance=self.lodging_allowance,
            daily_allowance=self.daily_allowance,
        )
