"""What the calls' pages read."""

from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Sum
from django.utils.translation import pgettext

from programs.access import roles_of as access_roles
from programs.formats import period, separator, show
from programs.models import Municipality, supervised_by

from ..models import Application, Call, CallState, HostChoice, Offer, OfferWeek, Theme
from ..weeks import week_list


def state_labels() -> dict[str, str]:
    """A call's state as its pages say it (the model's labels are shared with other words)."""
    return {
        CallState.DRAFT: pgettext("call", "Draft"),
        CallState.SCHEDULED: pgettext("call", "Before the window"),
        CallState.OPEN: pgettext("call", "Open"),
        CallState.CLOSED: pgettext("call", "Closed"),
    }


def call_rows(user, now: datetime) -> list[dict]:
    """The calls the user may read, newest 年度 first, with their state on `now`."""
    rows = []
    for call in Call.objects.visible_to(user).order_by("-fiscal_year"):
        rows.append(
            {
                "pk": call.pk,
                "title": call.title,
                "fiscal_year": call.fiscal_year,
                "window": period(call.opens_on, call.closes_on),
                "weeks": period(call.first_week, call.last_week + timedelta(days=4)),
                "state": call.state(now),
            }
        )
    return rows


def call_facts(call: Call, now: datetime) -> dict:
    """What every reader of a call sees: its window, weeks, rules and state on `now`."""
    weeks = call.weeks()
    return {
        "window": period(call.opens_on, call.closes_on, "day_long"),
        "weeks": period(weeks[0], weeks[-1] + timedelta(days=4), "day_long"),
        "week_count": len(weeks),
        "lengths": (
            str(call.min_weeks)
            if call.min_weeks == call.max_weeks
            else f"{call.min_weeks}{separator('period')}{call.max_weeks}"
        ),
        "state": call.state(now),
        "is_open": call.is_open(now),
    }


def office_counts(call: Call) -> dict:
    """The office's figures of a call, in two queries."""
    offers = (
        Offer.objects.filter(call=call)
        .live()
        .aggregate(offers=Count("pk"), hosts=Count("host", distinct=True))
    )
    places = OfferWeek.objects.filter(call=call, live=True).aggregate(total=Sum("offer__places"))
    applications = (
        Application.objects.filter(call=call)
        .live()
        .aggregate(applications=Count("pk"), staff=Sum("staff"))
    )
    return {
        **offers,
        "places": places["total"] or 0,
        "applications": applications["applications"],
        "staff": applications["staff"] or 0,
    }


def host_offers(user, call: Call) -> list[dict]:
    """The offers of the user's hosts in this call, with their weeks (two queries)."""
    roles = access_roles(user)
    offers = list(
        Offer.objects.visible_to(user)
        .filter(call=call, host__in=roles["host_ids"])
        .select_related("host")
        .order_by("host__name", "pk")
    )
    weeks = weeks_of([o.pk for o in offers])
    return [
        {
            "offer": offer,
            "weeks": short_weeks(weeks.get(offer.pk, [])),
            "themes": theme_labels(offer.themes),
            "can_change": offer.host_id in roles["coordinated_ids"] and offer.withdrawn_at is None,
        }
        for offer in offers
    ]


def own_applications(user, call: Call) -> list[dict]:
    """The applications of the municipalities the user supervises, in this call."""
    applications = list(
        Application.objects.filter(call=call, municipality__in=supervised_by(user))
        .select_related("municipality")
        .prefetch_related(
            Prefetch("host_choices", queryset=HostChoice.objects.select_related("host"))
        )
    )
    return [
        {
            "application": a,
            "hosts": separator("names").join(c.host.name for c in a.host_choices.all()),
            "preferred": week_list(a.preferred_weeks),
            "impossible": week_list(a.impossible_weeks),
            "themes": theme_labels(a.themes),
        }
        for a in applications
    ]


def weeks_of(offer_ids) -> dict[int, list]:
    weeks: dict[int, list] = {}
    for offer_id, week in OfferWeek.objects.filter(offer__in=offer_ids).values_list(
        "offer_id", "week"
    ):
        weeks.setdefault(offer_id, []).append(week)
    return weeks


def theme_labels(themes) -> str:
    labels = dict(Theme.choices)
    return separator("names").join(str(labels.get(t, t)) for t in themes or ())


def supervised_count(user) -> int:
    return Municipality.objects.filter(pk__in=supervised_by(user)).count()


def short_weeks(weeks) -> str:
    """Mondays in the short form: 1/4（月）、1/11（月）."""
    return separator("names").join(show(w) for w in sorted(weeks, key=str))
