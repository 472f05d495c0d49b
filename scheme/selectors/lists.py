"""The office's lists of a call: every offer and every application, filtered, with the
cells written here so that the template prints strings. A fixed number of queries
whatever the number of rows."""

from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from programs.formats import separator, show
from programs.integers import int_param
from programs.models import HostCompany
from programs.prefectures import Prefecture

from ..models import Application, Call, HostChoice, Offer, OfferWeek
from .calls import theme_labels, weeks_of

PAGE_SIZE = 100


def _json_holds(field: str, value: str) -> dict:
    """A JSON list of strings holding `value` (read as text: the same on SQLite and
    PostgreSQL, and exact since every value is quoted)."""
    return {f"{field}__icontains": f'"{value}"'}


def _short_weeks(weeks) -> str:
    return separator("names").join(show(w, "short") for w in sorted(weeks, key=str))


def offer_rows(call: Call, filters: dict) -> list[dict]:
    offers = Offer.objects.filter(call=call)
    if filters.get("theme"):
        offers = offers.filter(**_json_holds("themes", filters["theme"]))
    if filters.get("week"):
        offers = offers.filter(
            pk__in=OfferWeek.objects.filter(call=call, week=filters["week"]).values("offer")
        )
    if filters.get("host"):
        offers = offers.filter(host__name__icontains=filters["host"])
    rows = list(
        offers.order_by("host__name", "pk").values(
            "pk",
            "host__name",
            "places",
            "themes",
            "location",
            "includes_trip",
            "overnight",
            "accessible",
            "withdrawn_at",
        )
    )
    weeks = weeks_of([r["pk"] for r in rows])
    for row in rows:
        held = weeks.get(row["pk"], [])
        row["weeks"] = _short_weeks(held)
        row["week_count"] = len(held)
        row["themes"] = theme_labels(row["themes"])
        row["trip"] = _trip(row)
        row["state"] = (
            pgettext("scheme", "Withdrawn") if row["withdrawn_at"] else pgettext("scheme", "Live")
        )
    return rows


def _trip(row) -> str:
    words = []
    if row["includes_trip"]:
        words.append(_("with nights away") if row["overnight"] else _("day trip"))
    else:
        words.append(_("no trip"))
    if row["accessible"]:
        words.append(_("step-free"))
    return separator("names").join(words)


CONSTRAINTS = {
    "no_overnight": {"no_overnight": True},
    "accessibility": {"needs_accessibility": True},
    "named_only": {"other_hosts_ok": False},
}


def application_page(call: Call, filters: dict, page_number) -> tuple[list[dict], object]:
    """One page of the call's applications (PAGE_SIZE rows): two queries."""
    applications = Application.objects.filter(call=call)
    if filters.get("prefecture"):
        applications = applications.filter(municipality__prefecture=filters["prefecture"])
    if filters.get("theme"):
        applications = applications.filter(**_json_holds("themes", filters["theme"]))
    if filters.get("constraint") in CONSTRAINTS:
        applications = applications.filter(**CONSTRAINTS[filters["constraint"]])
    first = HostChoice.objects.filter(application=OuterRef("pk"), rank=1)
    if filters.get("first_choice"):
        applications = applications.filter(
            pk__in=HostChoice.objects.filter(rank=1, host=filters["first_choice"]).values(
                "application"
            )
        )
    values = (
        applications.annotate(first_choice=Subquery(first.values("host__name")[:1]))
        .values(
            "pk",
            "municipality__name",
            "municipality__code",
            "municipality__prefecture",
            "staff",
            "weeks_wanted",
            "preferred_weeks",
            "impossible_weeks",
            "themes",
            "first_choice",
            "other_hosts_ok",
            "no_overnight",
            "needs_accessibility",
            "withdrawn_at",
        )
        .order_by("municipality__code", "pk")
    )
    page = Paginator(values, PAGE_SIZE).get_page(int_param(page_number) or 1)
    prefectures = dict(Prefecture.choices)
    rows = []
    for row in page.object_list:
        row["prefecture"] = prefectures.get(row["municipality__prefecture"], "")
        row["preferred"] = _short_weeks(row["preferred_weeks"])
        row["impossible"] = _short_weeks(row["impossible_weeks"])
        row["themes"] = theme_labels(row["themes"])
        row["constraints"] = _constraints(row)
        rows.append(row)
    return rows, page


def _constraints(row) -> str:
    words = []
    if row["no_overnight"]:
        words.append(_("no nights away"))
    if row["needs_accessibility"]:
        words.append(_("step-free access"))
    if not row["other_hosts_ok"]:
        words.append(_("only the hosts named"))
    return separator("names").join(words)


def offering_hosts(call: Call) -> list[tuple[int, str]]:
    """Hosts with a live offer in the call (the choices of an application and a filter)."""
    return list(
        HostCompany.objects.filter(
            pk__in=OfferWeek.objects.filter(call=call, live=True).values("host")
        )
        .order_by("name")
        .values_list("pk", "name")
    )
