"""What the scheme's services share: their refusal, and the window check of offers and
applications."""

from datetime import datetime

from django.utils.translation import gettext as _

from programs.formats import show
from programs.refusals import Refused

from ..models import Call


class SchemeRefused(Refused):
    pass


def window_message(call: Call, now: datetime) -> str:
    """Why nothing can be offered or applied for in `call` at `now` ("" when it can)."""
    if call.is_open(now):
        return ""
    if call.published_at is None or call.state(now) == "scheduled":
        return _("Applications open on %(day)s.") % {"day": show(call.opens_on, "day_long")}
    return _(
        "The application window closed on %(day)s: nothing can be offered, applied for or "
        "changed any more. Please contact the scheme office."
    ) % {"day": show(call.closes_on, "day_long")}


def require_open(call: Call, now: datetime) -> None:
    if message := window_message(call, now):
        raise SchemeRefused(message, code="window")
