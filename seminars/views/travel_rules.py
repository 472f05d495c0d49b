"""The payers' travel rules (旅費規程): the rule sets a person may open, and one payer's
rules to read or change (a host's by its coordinators, a municipality's by its contact)."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import access as trip_access
from .. import forms as f
from ..models import STARTING_VALUES
from ..selectors import rules as rules_selectors
from ..services import travel_rules as rules_services
from .common import saved_redirect

FIELDS = (
    "scheme",
    *rules_services.AMOUNTS,
    *rules_services.WORDS,
    "own_lodging_at_cost",
)


def travel_rules(request):
    return render(
        request,
        "seminars/travel_rules_list.html",
        {**rules_selectors.rules_list_context(request.user), "title": _("Travel rules")},
    )


def host_travel_rules(request, host_pk: int):
    write = request.method == "POST"
    host = trip_access.get_host_for_rules(request.user, host_pk, write=write)
    may_change = write or host.pk in rules_selectors.editable_payers(request.user)[0]
    return _rules_page(request, host, may_change=may_change)


def municipality_travel_rules(request, municipality_pk: int):
    municipality = trip_access.get_municipality_for_rules(request.user, municipality_pk)
    return _rules_page(request, municipality, may_change=True)


def _rules_page(request, payer, *, may_change: bool):
    """The payer's rules (its row, or the starting values until it has one), and their
    form for who may change them; saved, the open trips it pays for follow."""
    rules = rules_services.rules_of(payer)
    initial = {name: getattr(rules, name) for name in FIELDS}
    form = f.TravelRulesForm(request.POST or None, initial=initial)
    saved = saved_redirect(
        request,
        form,
        lambda data: rules_services.save_rules(
            payer, rules_services.RulesPlan(**data), by=request.user
        ),
        done=_("Travel rules saved; the open trips they pay for were computed again."),
        to=lambda _rules: request.path,
    )
    if saved:
        return saved
    return render(
        request,
        "seminars/travel_rules.html",
        {
            "title": _("Travel rules of %(payer)s") % {"payer": payer},
            "payer": payer,
            "form": form,
            "may_change": may_change,
            "saved": rules.pk is not None,
            "summary": rules_selectors.summary(rules.as_rules()),
            "starting": {k: f"{v:,}" for k, v in STARTING_VALUES.items()},
            "back_url": reverse("seminars:travel_rules"),
        },
    )
