"""The office's changes to a call (募集): write it, open it (publish), close it early.
The emails that follow (opened, closing soon, closed) are reminders: the dispatcher sends
them once per person (scheme/reminders.py)."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.formats import period
from programs.tasks import dispatch_reminders

from ..models import Call, CallState, MatchRun, OfferWeek
from .common import SchemeRefused

FIELDS = (
    "fiscal_year",
    "title",
    "opens_on",
    "closes_on",
    "first_week",
    "last_week",
    "min_weeks",
    "max_weeks",
    "max_staff",
    "notes",
)


def _taken_message(year: int) -> str:
    return _("There is already a call for 年度 %(year)d: change that one.") % {"year": year}


# What offers, applications and the matching were decided under: all but the names.
FIXED_AFTER_MATCHING = tuple(f for f in FIELDS if f not in ("title", "notes"))


def save_call(data: dict, *, by, call: Call | None = None) -> Call:
    """A new call (a draft until opened) or the office's change to one. Weeks that leave
    out a week some live offer holds are refused."""
    call = call or Call(created_by=by)
    if Call.objects.filter(fiscal_year=data["fiscal_year"]).exclude(pk=call.pk).exists():
        raise SchemeRefused(_taken_message(data["fiscal_year"]), field="fiscal_year")
    if call.pk and MatchRun.objects.filter(call=call).exists():
        changed = [name for name in FIXED_AFTER_MATCHING if data[name] != getattr(call, name)]
        if changed:
            raise SchemeRefused(
                _(
                    "The matching has run on this call: its window, weeks and rules stay as "
                    "they were (only the title and the notes may change)."
                ),
                field=changed[0],
            )
    if call.pk:
        outside = (
            OfferWeek.objects.filter(call=call, live=True)
            .exclude(week__gte=data["first_week"], week__lte=data["last_week"])
            .order_by("week")
            .values_list("week", flat=True)
        )
        if outside:
            raise SchemeRefused(
                _("Offers hold weeks outside these dates (%(weeks)s): keep them in the call.")
                % {"weeks": period(outside[0], outside[len(outside) - 1])},
                field="first_week",
            )
    for name in FIELDS:
        setattr(call, name, data[name])
    try:
        with transaction.atomic():
            call.save()
    except IntegrityError as exc:  # another office person saved the same 年度 meanwhile
        raise SchemeRefused(_taken_message(data["fiscal_year"]), field="fiscal_year") from exc
    return call


def open_call(call: Call, now: datetime) -> Call:
    """Publish the call: hosts and municipalities see it, and are emailed."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.published_at is not None:
            raise SchemeRefused(_("This call is already open."), code="state")
        if call.closes_on < timezone.localdate(now):
            raise SchemeRefused(
                _("Its application window has already ended: change the dates first."),
                code="state",
            )
        call.published_at = now
        call.save(update_fields=["published_at", "updated_at"])
        dispatch_reminders.delay_on_commit()  # the opened email, without waiting for beat
    return call


def close_call(call: Call, now: datetime) -> Call:
    """Close the window now, before its last day."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        state = call.state(now)
        if state == CallState.DRAFT:
            raise SchemeRefused(_("This call was never opened."), code="state")
        if state == CallState.CLOSED:
            raise SchemeRefused(_("This call is already closed."), code="state")
        call.closed_at = now
        call.save(update_fields=["closed_at", "updated_at"])
        dispatch_reminders.delay_on_commit()  # the closed email
    return call
