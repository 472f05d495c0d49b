"""A host's offers (受入枠): written and withdrawn by the host's coordinators while the
call's window is open. A host's live offers never share a week: checked here, and held by
OfferWeek's unique key when two saves race."""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import Call, Match, MatchStatus, Offer, OfferWeek
from ..weeks import week_list
from .common import SchemeRefused, require_open

FIELDS = ("places", "themes", "location", "includes_trip", "overnight", "accessible", "notes")


def _overlap(weeks) -> SchemeRefused:
    names = week_list(weeks)
    return SchemeRefused(
        _(
            "Another offer of this host already holds %(weeks)s: change that offer or pick "
            "other weeks."
        )
        % {"weeks": names},
        code="overlap",
        field="weeks",
    )


def _taken(call: Call, host_id: int, weeks: list[date], offer: Offer | None) -> set[date]:
    held = OfferWeek.objects.filter(call=call, host_id=host_id, live=True, week__in=weeks)
    if offer is not None and offer.pk:
        held = held.exclude(offer=offer)
    return set(held.values_list("week", flat=True))


def save_offer(
    call: Call, host_id: int, data: dict, *, by, now: datetime, offer: Offer | None = None
) -> Offer:
    """A new offer, or a change to one (its weeks replaced), while the window is open."""
    require_open(call, now)
    if offer is not None and offer.withdrawn_at is not None:
        raise SchemeRefused(_("This offer is withdrawn."), code="state")
    weeks = sorted({date.fromisoformat(str(w)) for w in data["weeks"]})
    if not weeks or not set(weeks) <= set(call.weeks()):
        raise SchemeRefused(_("Pick weeks of this call."), field="weeks")
    if data.get("overnight") and not data.get("includes_trip"):
        raise SchemeRefused(
            _("Nights away come with a trip: tick the trip too."), field="overnight"
        )
    if taken := _taken(call, host_id, weeks, offer):
        raise _overlap(taken)
    offer = offer or Offer(call=call, host_id=host_id, created_by=by)
    for name in FIELDS:
        setattr(offer, name, data[name])
    try:
        with transaction.atomic():
            offer.save()
            OfferWeek.objects.filter(offer=offer).delete()
            OfferWeek.objects.bulk_create(
                OfferWeek(offer=offer, call=call, host_id=host_id, week=week) for week in weeks
            )
    except IntegrityError as exc:  # another save took one of these weeks meanwhile
        if offer.pk and not Offer.objects.filter(pk=offer.pk).exists():
            offer.pk = None
        raise _overlap(_taken(call, host_id, weeks, offer) or weeks) from exc
    return offer


def withdraw_offer(offer: Offer, now: datetime) -> Offer:
    """The host takes its offer back: refused once a match on it is confirmed (the office
    undoes that), or after the window."""
    with transaction.atomic():
        offer = Offer.objects.select_for_update().select_related("call").get(pk=offer.pk)
        if Match.objects.filter(offer=offer, status=MatchStatus.CONFIRMED).exists():
            raise SchemeRefused(
                _(
                    "A match on this offer is confirmed. To withdraw it, please contact the "
                    "scheme office."
                ),
                code="matched",
            )
        if offer.withdrawn_at is not None:
            raise SchemeRefused(_("This offer is already withdrawn."), code="state")
        require_open(offer.call, now)
        offer.withdrawn_at = now
        offer.save(update_fields=["withdrawn_at", "updated_at"])
        OfferWeek.objects.filter(offer=offer).update(live=False)
    return offer
