"""The call's emails, sent by the core's reminder dispatcher (the one thing that runs on
time, every few minutes) with one notification row per person and call, so each goes once
whatever beat or retries do:

- opened (`call-opened:<call>:<user>`): every host coordinator and municipality contact,
  from the moment the office opens the call until it closes;
- closing soon (`call-closing:<call>:<user>`): from 9:00 three days before the last day,
  to the coordinators and contacts whose host or municipality has not offered or applied;
- closed (`call-closed:<call>:<user>`): the day after the last day at 9:00, or at once when
  the office closes it early, to the coordinators and contacts of those who offered or
  applied (for two weeks after: a later account is not told about an old call).

Opening and closing only write the call's dates; the emails follow from them here."""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.formats import period, show
from programs.models import Membership, Role
from programs.registry import DueReminder, Reminder, ReminderMessage

from .models import Application, Call, CallState, Offer

MORNING = time(9, 0)
CLOSING_DAYS = 3
CLOSED_FOR = timedelta(days=14)


def _moment(day, clock=MORNING) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


def _people(*, hosts=None, municipalities=None) -> set[int]:
    """Active coordinators of `hosts` and contacts of `municipalities` (None: every one;
    an empty collection: none)."""
    condition = Q(pk__in=[])
    if hosts is None or hosts:
        coordinators = Q(role=Role.COORDINATOR)
        condition |= coordinators if hosts is None else coordinators & Q(host_company__in=hosts)
    if municipalities is None or municipalities:
        contacts = Q(role=Role.SUPERVISOR)
        if municipalities is not None:
            contacts &= Q(municipality__in=municipalities)
        condition |= contacts
    return set(
        Membership.objects.filter(condition, user__is_active=True).values_list("user", flat=True)
    )


def _not_in_yet(call: Call) -> set[int]:
    """Coordinators and contacts whose host or municipality has neither offered nor applied."""
    offered = Offer.objects.filter(call=call).live().values("host")
    applied = Application.objects.filter(call=call).live().values("municipality")
    return set(
        Membership.objects.filter(user__is_active=True)
        .filter(
            Q(role=Role.COORDINATOR, host_company__isnull=False) & ~Q(host_company__in=offered)
            | Q(role=Role.SUPERVISOR, municipality__isnull=False) & ~Q(municipality__in=applied)
        )
        .values_list("user", flat=True)
    )


def _in(call: Call) -> set[int]:
    return _people(
        hosts=list(Offer.objects.filter(call=call).live().values_list("host", flat=True)),
        municipalities=list(
            Application.objects.filter(call=call).live().values_list("municipality", flat=True)
        ),
    )


def _due(kind: str, call: Call, user_id: int, due_at: datetime) -> DueReminder:
    return DueReminder(
        kind=kind,
        key=f"{kind.replace('_', '-')}:{call.pk}:{user_id}",
        recipient_id=user_id,
        url=reverse("scheme:call_detail", args=[call.pk]),
        due_at=due_at,
        context={"call": call.pk},
    )


def _published(now: datetime):
    return Call.objects.filter(published_at__isnull=False, published_at__lte=now)


def closed_since(call: Call) -> datetime:
    """When the call's window ended: closed early, or the morning after its last day."""
    end = _moment(call.closes_on + timedelta(days=1))
    return min(end, call.closed_at) if call.closed_at else end


# Opened -------------------------------------------------------------------------------------


def find_opened(now: datetime):
    today = timezone.localdate(now)
    for call in _published(now).filter(closes_on__gte=today, closed_at__isnull=True):
        for user_id in _people():
            yield _due("call_opened", call, user_id, call.published_at)


def _opened_still_due(rows, now: datetime) -> set:
    calls = _calls(rows)
    return {r.pk for r in rows if _state(calls, r, now) in (CallState.SCHEDULED, CallState.OPEN)}


def message_opened(row) -> ReminderMessage:
    call = Call.objects.get(pk=row.context["call"])
    weeks = call.weeks()
    return ReminderMessage(
        subject=_("The call is open: %(title)s") % {"title": call.title},
        lines=(
            _("The scheme office has opened the call of 年度 %(year)d.")
            % {"year": call.fiscal_year},
            _("Offers and applications are taken from %(window)s.")
            % {"window": period(call.opens_on, call.closes_on, "day_long")},
            _("Programs run in the weeks from %(first)s to %(last)s.")
            % {"first": show(weeks[0], "day_long"), "last": show(weeks[-1], "day_long")},
        ),
        action=_("Open the call"),
    )


# Closing soon -------------------------------------------------------------------------------


def find_closing(now: datetime):
    today = timezone.localdate(now)
    calls = _published(now).filter(
        closes_on__gte=today,
        closes_on__lte=today + timedelta(days=CLOSING_DAYS),
        closed_at__isnull=True,
    )
    for call in calls:
        due_at = _moment(call.closes_on - timedelta(days=CLOSING_DAYS))
        if not call.is_open(now) or now < due_at:
            continue
        for user_id in _not_in_yet(call):
            yield _due("call_closing", call, user_id, due_at)


def _closing_still_due(rows, now: datetime) -> set:
    calls = _calls(rows)
    waiting = {pk: _not_in_yet(call) for pk, call in calls.items() if call.is_open(now)}
    return {r.pk for r in rows if r.recipient_id in waiting.get(r.context.get("call"), ())}


def message_closing(row) -> ReminderMessage:
    call = Call.objects.get(pk=row.context["call"])
    return ReminderMessage(
        subject=_("The call closes soon: %(title)s") % {"title": call.title},
        lines=(
            _("Offers and applications are taken until %(day)s.")
            % {"day": show(call.closes_on, "day_long")},
            _("Yours is not in yet: after that day nothing can be offered or applied for."),
        ),
        action=_("Open the call"),
    )


# Closed -------------------------------------------------------------------------------------


def find_closed(now: datetime):
    today = timezone.localdate(now)
    calls = _published(now).filter(
        Q(closed_at__lte=now, closed_at__gte=now - CLOSED_FOR)
        | Q(closes_on__lt=today, closes_on__gte=today - CLOSED_FOR)
    )
    for call in calls:
        since = closed_since(call)
        if since > now or since < now - CLOSED_FOR:
            continue
        for user_id in _in(call):
            yield _due("call_closed", call, user_id, since)


def _closed_still_due(rows, now: datetime) -> set:
    calls = _calls(rows)
    return {r.pk for r in rows if _state(calls, r, now) == CallState.CLOSED}


def message_closed(row) -> ReminderMessage:
    call = Call.objects.get(pk=row.context["call"])
    return ReminderMessage(
        subject=_("The call is closed: %(title)s") % {"title": call.title},
        lines=(
            _("No more offers or applications are taken in this call."),
            _("The scheme office now matches municipalities and hosts; it will write to you."),
        ),
        action=_("Open the call"),
    )


def _calls(rows) -> dict[int, Call]:
    return Call.objects.in_bulk({r.context.get("call") for r in rows})


def _state(calls, row, now):
    call = calls.get(row.context.get("call"))
    return call.state(now) if call else None


REMINDERS = [
    Reminder(
        "call_opened",
        gettext_lazy("The scheme's call is open"),
        find_opened,
        _opened_still_due,
        message_opened,
        audience="host",
    ),
    Reminder(
        "call_closing",
        gettext_lazy("The scheme's call closes soon (to those who have not offered or applied)"),
        find_closing,
        _closing_still_due,
        message_closing,
        audience="host",
    ),
    Reminder(
        "call_closed",
        gettext_lazy("The scheme's call is closed"),
        find_closed,
        _closed_still_due,
        message_closed,
        audience="host",
    ),
]
