"""Factories of the scheme: a call built from today (never a fixed date), hosts' offers and
municipalities' applications."""

from datetime import date, timedelta

from programs.models import Membership, Role
from scheme.models import Application, Call, HostChoice, Offer, OfferWeek
from tests.factories import UserFactory


def monday_after(day: date, weeks: int = 0) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7 or 7) + timedelta(weeks=weeks)


def office_member(email: str = "office@example.com"):
    user = UserFactory(email=email)
    Membership.objects.create(user=user, role=Role.OFFICE)
    return user


def make_call(today: date, *, open_now: bool = True, weeks: int = 8, **fields) -> Call:
    """A published call whose window holds `today` (open_now) or ended yesterday; its
    program weeks start the Monday after the window."""
    from django.utils import timezone

    opens, closes = (today - timedelta(days=10), today + timedelta(days=10))
    if not open_now:
        opens, closes = today - timedelta(days=30), today - timedelta(days=1)
    first = monday_after(closes, 2)
    values = {
        "fiscal_year": fields.pop(
            "fiscal_year", first.year if first.month >= 4 else first.year - 1
        ),
        "title": "ITベンチャー研修 募集",
        "opens_on": opens,
        "closes_on": closes,
        "first_week": first,
        "last_week": first + timedelta(weeks=weeks - 1),
        "published_at": timezone.now() - timedelta(days=11),
    }
    values.update(fields)
    return Call.objects.create(**values)


def make_offer(call: Call, host, weeks: list[date], places: int = 2, **fields) -> Offer:
    offer = Offer.objects.create(
        call=call,
        host=host,
        places=places,
        location=fields.pop("location", "東京都渋谷区"),
        **fields,
    )
    OfferWeek.objects.bulk_create(
        OfferWeek(offer=offer, call=call, host=host, week=week) for week in weeks
    )
    return offer


def make_application(call: Call, municipality, hosts=(), staff: int = 1, **fields) -> Application:
    application = Application.objects.create(
        call=call, municipality=municipality, staff=staff, **fields
    )
    HostChoice.objects.bulk_create(
        HostChoice(application=application, rank=rank, host=host)
        for rank, host in enumerate(hosts, start=1)
    )
    return application
