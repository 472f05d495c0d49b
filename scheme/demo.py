"""The demo's call: next 年度's 募集, its window closed three days ago, three hosts' offers
and six municipalities' applications (from the registry), matched once by the office; the
pair 田川市 → the demo host is confirmed (its draft program waits for 田川市's contact to
name the staff), the others wait for the office's confirmation."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from programs.models import HostCompany, Municipality, fiscal_year_of

from .models import Application, Call, HostChoice, Offer, OfferWeek, Theme

THIRD_HOST = "みらいクラウド株式会社（デモ）"
DEMO_HOST = "はたらくラボ株式会社（デモ）"
OTHER_HOST = "ノースベンチャーズ株式会社（デモ）"
CONFIRMED = "402061"  # 田川市, whose contact is supervisor@example.com
WEEKS = 20

# host, weeks (1-based in the call), places, themes, where, trip, nights away, step-free
OFFERS = [
    (
        DEMO_HOST,
        range(1, 11),
        3,
        ["crowdsourcing", "regional", "work_style"],
        "東京都渋谷区",
        1,
        1,
        1,
    ),
    (OTHER_HOST, range(5, 21), 2, ["dx", "data"], "北海道札幌市", 0, 0, 0),
    (
        THIRD_HOST,
        range(2, 21, 2),
        2,
        ["new_business", "public_relations", "dx"],
        "福岡県福岡市",
        1,
        0,
        1,
    ),
]
# code, staff, weeks wanted, preferred, impossible, themes, hosts, {constraints}
APPLICATIONS = [
    ("402061", 2, 1, [2, 3], [], ["crowdsourcing", "regional"], [DEMO_HOST, THIRD_HOST], {}),
    ("203831", 1, 1, [2], [], ["regional"], [DEMO_HOST], {"other_hosts_ok": False}),
    ("202029", 2, 2, [6, 7], [], ["dx", "data"], [OTHER_HOST, DEMO_HOST], {}),
    ("012084", 1, 1, [], [1, 2, 3, 4], ["dx"], [OTHER_HOST], {}),
    ("402052", 3, 1, [2], [], ["new_business"], [DEMO_HOST, THIRD_HOST], {"no_overnight": True}),
    (
        "282090",
        1,
        1,
        [],
        [],
        ["public_relations"],
        [OTHER_HOST, THIRD_HOST],
        {"needs_accessibility": True},
    ),
]


def first_monday(on_or_after: date) -> date:
    return on_or_after + timedelta(days=(7 - on_or_after.weekday()) % 7)


def seed(context: dict) -> int:
    today = context["today"]
    year = fiscal_year_of(today) + 1
    if Call.objects.filter(fiscal_year=year).exists():
        return 0
    office = context["people"]["office@example.com"]
    first = first_monday(max(date(year, 5, 1), today + timedelta(days=28)))
    with transaction.atomic():
        call = Call.objects.create(
            fiscal_year=year,
            title=f"{year}年度 ITベンチャー研修 募集",
            opens_on=today - timedelta(days=35),
            closes_on=today - timedelta(days=3),
            first_week=first,
            last_week=first + timedelta(weeks=WEEKS - 1),
            published_at=timezone.now() - timedelta(days=35),
            created_by=office,
        )
        hosts = dict(context["hosts"])
        hosts[THIRD_HOST], _new = HostCompany.objects.get_or_create(name=THIRD_HOST)
        weeks = call.weeks()
        rows = 1 + _offers(call, hosts, weeks, office) + _applications(call, hosts, weeks)
    rows += _match(call, office)
    return rows


def _offers(call, hosts, weeks, office) -> int:
    for name, numbers, places, themes, where, trip, nights, step_free in OFFERS:
        offer = Offer.objects.create(
            call=call,
            host=hosts[name],
            places=places,
            themes=[Theme(t).value for t in themes],
            location=where,
            includes_trip=bool(trip),
            overnight=bool(nights),
            accessible=bool(step_free),
            created_by=office,
        )
        OfferWeek.objects.bulk_create(
            OfferWeek(offer=offer, call=call, host=offer.host, week=weeks[n - 1]) for n in numbers
        )
    return len(OFFERS)


def _applications(call, hosts, weeks) -> int:
    for code, staff, length, preferred, impossible, themes, names, flags in APPLICATIONS:
        application = Application.objects.create(
            call=call,
            municipality=Municipality.objects.get(code=code),
            staff=staff,
            weeks_wanted=length,
            preferred_weeks=[weeks[n - 1].isoformat() for n in preferred],
            impossible_weeks=[weeks[n - 1].isoformat() for n in impossible],
            themes=themes,
            **flags,
        )
        HostChoice.objects.bulk_create(
            HostChoice(application=application, rank=rank, host=hosts[name])
            for rank, name in enumerate(names, start=1)
        )
    return len(APPLICATIONS)


def _match(call, office) -> int:
    """The office's first run, and its proposal for 田川市 confirmed."""
    from .services.confirmation import confirm_proposal
    from .services.matching import run_matching

    now = timezone.now()
    run = run_matching(call, by=office, now=now)
    proposal = run.proposals.get(application__municipality__code=CONFIRMED)
    confirm_proposal(proposal, by=office, now=now)
    return 1 + run.proposals.count() + 2
