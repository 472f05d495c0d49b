"""The payers' travel rules (旅費規程) as pages show them: one line that says what a payer
pays (its categories, the lodging ceiling, the allowances), and which rule sets a person
may open."""

from django.urls import reverse
from django.utils.translation import gettext as _

from config.translated import choice_labels
from programs import access
from programs.models import HostCompany, Municipality

from ..models import FARE_KINDS, Rules, Scheme
from ..services.travel_costs import rules_for, yen_text


def summary(rules: Rules) -> str:
    """`国の旅費制度（令和7年4月1日から）：交通費・宿泊費（実費、1泊 上限 10,000円）・…`"""
    parts = []
    for kind in FARE_KINDS:  # one word each, in the kinds' order
        if rules.word(kind) and rules.word(kind) not in parts:
            parts.append(rules.word(kind))
    lodging = rules.word("lodging")
    if lodging and rules.lodging_at_cost:
        parts.append(
            _("%(word)s (at cost, up to %(amount)s a night)")
            % {"word": lodging, "amount": yen_text(rules.lodging_ceiling)}
        )
    elif lodging:
        parts.append(
            _("%(word)s (%(amount)s a night)")
            % {"word": lodging, "amount": yen_text(rules.lodging_flat)}
        )
    if rules.word("lodging_allowance"):
        parts.append(
            _("%(word)s (%(amount)s a night)")
            % {"word": rules.word("lodging_allowance"), "amount": yen_text(rules.lodging_allowance)}
        )
    if rules.word("daily_allowance"):
        parts.append(
            _("%(word)s (%(amount)s a day)")
            % {"word": rules.word("daily_allowance"), "amount": yen_text(rules.daily_allowance)}
        )
    return _("%(scheme)s: %(categories)s") % {
        "scheme": choice_labels(Scheme)[rules.scheme],
        "categories": "・".join(parts),
    }


def editable_payers(user) -> tuple[set[int], set[int]]:
    """(host ids, municipality ids) whose rules the person may change: the hosts they
    coordinate, the municipalities they supervise."""
    roles = access.roles_of(user)
    municipalities = set()
    if roles["supervisor"]:
        municipalities = set(Municipality.objects.supervised_by(user).values_list("pk", flat=True))
    return set(roles["coordinated_ids"]), municipalities


def rules_url(key: tuple) -> str:
    if key[0] == "host":
        return reverse("seminars:host_travel_rules", args=[key[1]])
    return reverse("seminars:municipality_travel_rules", args=[key[1]])


def describe(user, program, tables: list[dict]) -> None:
    """Each payer's table (keyed ("host",) or ("m", id)) gets its rules as they stand and,
    for who may change them, their page: two queries whatever the payers."""
    keys = {
        t["key"]: ("host", program.host_id) if t["key"][0] == "host" else t["key"] for t in tables
    }
    found = rules_for(keys.values())
    hosts, municipalities = editable_payers(user) if tables else (set(), set())
    for table in tables:
        key = keys[table["key"]]
        table["rules"] = summary(found[key])
        may = key[1] in (hosts if key[0] == "host" else municipalities)
        table["rules_url"] = rules_url(key) if may else ""


def rules_list_context(user) -> dict:
    """The rule sets the person may open: their hosts' (the host's people read, coordinators
    change) and the municipalities they supervise."""
    hosts = list(HostCompany.objects.visible_to(user).order_by("name"))
    municipalities = list(Municipality.objects.supervised_by(user).order_by("code"))
    keys = [("host", h.pk) for h in hosts] + [("m", m.pk) for m in municipalities]
    found = rules_for(keys)
    coordinated = access.roles_of(user)["coordinated_ids"]
    rows = [
        {
            "name": str(payer),
            "url": rules_url(key),
            "summary": summary(found[key]),
            "may_change": key[0] == "m" or payer.pk in coordinated,
        }
        for key, payer in zip(keys, [*hosts, *municipalities], strict=True)
    ]
    return {"rows": rows}
