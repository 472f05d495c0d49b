"""What the calls' pages read."""

from datetime import datetime

from programs.formats import period

from ..models import Call


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
                "weeks": period(call.first_week, call.weeks()[-1]),
                "state": call.state(now),
            }
        )
    return rows
