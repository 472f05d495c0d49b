"""Placeholders (予定枠): the slots a week template keeps for a trip's moves and its seminars
until they are planned. They take nobody's time (nothing clashes with them), reach no
trainee and no calendar, and the leg or seminar planned onto one takes its place."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import cache as kenshu_cache
from ..models import Activity, Program, Status, User
from .activity_log import record_activity
from .week import ActivityRefused, lock_program


def fill_placeholders(program: Program, planned: Activity, *, by: User, ip=None) -> int:
    """A planned slot that lands on placeholders of its kind (a leg on 「移動」, a seminar on
    a seminar's 予定枠) takes their place: they leave the grid. They were never in a feed,
    so no calendar is told; the log keeps what was filled."""
    filled = list(
        placeholders_left(program).filter(
            kind=planned.kind,
            date=planned.date,
            start_time__lt=planned.end_time,
            end_time__gt=planned.start_time,
        )
    )
    if filled:
        _retire_placeholders(program, filled, by=by, action="placeholder.filled", ip=ip)
    return len(filled)


def placeholders_left(program: Program):
    """The placeholders (予定枠) of the program not yet planned."""
    return Activity.objects.on_the_grid().filter(program=program, placeholder=True)


def remove_placeholders(
    program: Program, pks=None, *, by: User, ip: str | None = None
) -> list[Activity]:
    """Remove the placeholders still left (those of `pks` only, when given) in one step,
    once the trip and seminars are planned."""
    with transaction.atomic():
        lock_program(program)
        if program.status == Status.REPORTED:
            raise ActivityRefused(_("The program has been reported: its week no longer changes."))
        left = placeholders_left(program)
        if pks is not None:
            left = left.filter(pk__in=list(pks))
        removed = list(left)
        _retire_placeholders(program, removed, by=by, action="placeholder.removed", ip=ip)
    return removed


def _retire_placeholders(program: Program, placeholders, *, by, action: str, ip=None) -> None:
    now = timezone.now()
    Activity.objects.filter(pk__in=[p.pk for p in placeholders]).update(
        cancelled_at=now, updated_at=now
    )
    kenshu_cache.bump_program(program.pk, "week")  # update() sends no signal
    for placeholder in placeholders:
        record_activity(by, action, placeholder, host_company=program.host, ip=ip)
