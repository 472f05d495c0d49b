"""Changing a payer's travel rules (旅費規程): a host's coordinator for the host, a
municipality's contact (supervisor) for the municipality, an operator in the admin. The
first change makes the payer's row; the open trips it pays for are computed again in the
same transaction."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from programs.models import HostCompany, Municipality
from programs.plain_text import check_plain_text
from programs.services.activity_log import record_activity

from ..models import Scheme, TravelRules
from .common import TripRefused
from .travel_costs import follow_rules

WORDS = ("fare_word", "lodging_word", "night_word", "day_word")
AMOUNTS = ("lodging_ceiling", "lodging_allowance", "lodging_flat", "daily_allowance")


@dataclass
class RulesPlan:
    scheme: str
    lodging_ceiling: int
    lodging_allowance: int
    lodging_flat: int
    daily_allowance: int
    fare_word: str = ""
    lodging_word: str = ""
    night_word: str = ""
    day_word: str = ""
    own_lodging_at_cost: bool = True


def rules_of(payer: Municipality | HostCompany) -> TravelRules:
    """The payer's row, or an unsaved one with the starting values (no GET writes)."""
    if isinstance(payer, Municipality):
        found = TravelRules.objects.filter(municipality=payer).first()
        return found or TravelRules(municipality=payer)
    found = TravelRules.objects.filter(host_company=payer).first()
    return found or TravelRules(host_company=payer)


def _check(plan: RulesPlan) -> None:
    check_plain_text({name: getattr(plan, name) for name in WORDS}, refuse=TripRefused)
    if plan.scheme not in Scheme.values:
        raise TripRefused(_("Choose a set of categories."), field="scheme")
    for name in AMOUNTS:
        if getattr(plan, name) < 0:
            raise TripRefused(_("An amount cannot be negative."), field=name)
    if plan.scheme == Scheme.OWN and not any(getattr(plan, name).strip() for name in WORDS):
        raise TripRefused(_("Name at least one category in the payer's words."), field="fare_word")


def save_rules(payer: Municipality | HostCompany, plan: RulesPlan, *, by) -> TravelRules:
    """Save the payer's rules (the caller has checked who may) and compute the open trips
    it pays for again."""
    _check(plan)
    with transaction.atomic():
        # The payer's row made (at most once, whoever saves first) and locked: two first saves
        # at once both end in one row, the later one's values kept.
        which = "municipality" if isinstance(payer, Municipality) else "host_company"
        TravelRules.objects.get_or_create(**{which: payer})
        rules = TravelRules.objects.select_for_update().get(**{which: payer})
        for name, value in vars(plan).items():
            setattr(rules, name, value.strip() if isinstance(value, str) else value)
        rules.updated_by = by
        rules.save()
        trips = follow_rules(rules)
        record_activity(
            by,
            "travel_rules.changed",
            rules,
            host_company=payer if isinstance(payer, HostCompany) else None,
            municipality=payer if isinstance(payer, Municipality) else None,
            data={"scheme": rules.scheme, "trips": trips},
        )
    return rules
