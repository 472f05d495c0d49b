"""What every export reads from: the person's programs of one year (Scope), read in chunks of
plain values, and how a name, a day, a moment or a count is written in a cell."""

from dataclasses import dataclass
from datetime import date
from itertools import islice
from zoneinfo import ZoneInfo

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from programs.models import Program, fiscal_year_of

CHUNK = 500
TOKYO = ZoneInfo("Asia/Tokyo")


# Who asks, for which year and program --------------------------------------------------------


@dataclass
class Scope:
    user: object
    year: int
    program: Program | None
    programs: object  # the programs of the export: visible to the user, of the year
    is_host: bool  # one of a host's people (or an operator): may read every row of its programs
    unrestricted: bool  # an operator (superuser)


def current_fiscal_year() -> int:
    """The fiscal year of today's date in Japan, whatever the server's clock zone."""
    return fiscal_year_of(timezone.localdate(timezone=TOKYO))


# Helpers ---------------------------------------------------------------------------------------


def chunks(iterable, size: int = CHUNK):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def display_name(family, given, email) -> str:
    """As `User.display_name`: family name first, the address when no name is known."""
    return f"{family or ''} {given or ''}".strip() or (email or "")


def iso_day(value: date | None) -> str:
    return value.isoformat() if value else ""


def local_moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def count_of(queryset, link: str):
    """A correlated subquery counting `queryset`'s rows whose `link` is the outer program."""
    counted = (
        queryset.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
