"""Templates and copies of a week: a template's items (or another program's week) put into a
program, all of them or none, each checked like any new activity; a week kept as a template.
Its pages: programs/views/week_tools.py."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from .. import calendar_days
from ..models import Activity, Program, TemplateActivity, User, WeekTemplate
from ..plain_text import check_plain_text
from .activity_log import record_activity
from .week import ActivityRefused, Slot, check_slot, lock_program


def program_days(program: Program, *, skip_weekends: bool) -> list[date]:
    """Every day of the program, or with `skip_weekends` (土日祝を除く) its working days: no
    Saturday, Sunday, national holiday or closed day of the host (programs.calendar_days)."""
    if not skip_weekends:
        return program.days
    return calendar_days.working_days(program.days, calendar_days.days_off_of(program))


def apply_items(
    program: Program, items, *, skip_weekends: bool, by: User, source: str, ip: str | None = None
) -> list[Activity]:
    """Put template items (day_index, times, title, kind, place, notes) into the program,
    shifted to its start. All of them or none: an item that falls after the last day or
    clashes with the week refuses the whole template, naming it."""
    days = program_days(program, skip_weekends=skip_weekends)
    created = []
    with transaction.atomic():
        lock_program(program)
        for item in items:
            if item.day_index >= len(days):
                raise ActivityRefused(
                    _("“%(title)s” is on day %(day)s, but the program has only %(count)s days.")
                    % {"title": item.title, "day": item.day_index + 1, "count": len(days)}
                )
            slot = Slot(
                date=days[item.day_index],
                start_time=item.start_time,
                end_time=item.end_time,
                title=item.title,
                kind=item.kind,
                place=item.place,
                notes=item.notes,
            )
            check_slot(program, slot, actor=by)
            activity = Activity.objects.create(
                program=program,
                date=slot.date,
                start_time=slot.start_time,
                end_time=slot.end_time,
                title=slot.title,
                kind=slot.kind,
                place=slot.place,
                notes=slot.notes,
            )
            created.append(activity)
        record_activity(
            by,
            "week.applied",
            program,
            host_company=program.host,
            data={"source": source, "activities": len(created)},
            ip=ip,
        )
    return created


def apply_template(
    program: Program,
    template: WeekTemplate,
    *,
    skip_weekends: bool,
    by: User,
    ip: str | None = None,
) -> list[Activity]:
    return apply_items(
        program,
        list(template.items.all()),
        skip_weekends=skip_weekends,
        by=by,
        source=f"template:{template.pk}",
        ip=ip,
    )


def _items_of(program: Program, *, skip_weekends: bool = False) -> list[TemplateActivity]:
    """A program's live activities as template items, each on the index of its day among
    the program's days (working days only when days off are skipped)."""
    days = program_days(program, skip_weekends=skip_weekends)
    index = {day: i for i, day in enumerate(days)}
    items = []
    # Derived slots belong to their record (a trip): copying the week does not copy them.
    for a in program.activities.live().filter(origin=""):
        if a.date not in index:
            raise ActivityRefused(
                _("“%(title)s” is on a day off: copy with Saturdays, Sundays and holidays kept.")
                % {"title": a.title}
            )
        items.append(
            TemplateActivity(
                day_index=index[a.date],
                start_time=a.start_time,
                end_time=a.end_time,
                title=a.title,
                kind=a.kind,
                place=a.place,
                notes=a.notes,
            )
        )
    return items


def copy_week(
    source: Program, target: Program, *, skip_weekends: bool, by: User, ip: str | None = None
) -> list[Activity]:
    return apply_items(
        target,
        _items_of(source, skip_weekends=skip_weekends),
        skip_weekends=skip_weekends,
        by=by,
        source=f"program:{source.pk}",
        ip=ip,
    )


def save_as_template(
    program: Program, name: str, *, by: User, ip: str | None = None
) -> WeekTemplate:
    """Keep a program's week as a template of its host."""
    check_plain_text({"name": name}, refuse=ActivityRefused)
    items = _items_of(program)
    if not items:
        raise ActivityRefused(_("This week has no activities to keep."))
    with transaction.atomic():
        template = WeekTemplate.objects.create(host=program.host, name=name, days=len(program.days))
        for item in items:
            item.template = template
        TemplateActivity.objects.bulk_create(items)
        record_activity(by, "template.saved", template, host_company=program.host, ip=ip)
    return template
