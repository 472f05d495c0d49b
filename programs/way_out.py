"""The way out of a refused clash, on the week editor and the seminar form: the other slot
named and linked where the person may open it, and, where it is theirs to change (an activity
typed in this program's week), two buttons that post the form again with one more field:
`replace` (delete it and save) or `push` (move it after this one and save). The partial is
templates/jinja2/partials/clash_way_out.html; the service checks the posted pk
(programs.services.week.MakeRoom)."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from . import access
from .integers import id_param
from .models import Activity
from .registry import origin_of
from .services.week import (
    PUSH,
    REPLACE,
    MakeRoom,
    describe,
    describe_clash,
    overlaps,
    pushed_times,
)


def posted(data) -> MakeRoom | None:
    """The button the refusal's form was posted with, or None for a plain save. A pk that
    is no whole number answers 404; any other is checked by the service."""
    for how in (REPLACE, PUSH):
        if how in data:
            pk = id_param(data[how])
            if pk is None:
                raise Http404
            return MakeRoom(how, pk)
    return None


def clash_context(refused, program, user, slot) -> dict | None:
    """What the partial shows for a refusal (None when no other slot is its reason). `slot`
    is what the person typed (date, start_time, end_time)."""
    clash = getattr(refused, "clash", None)
    if clash is None:
        return None
    can_edit = access.can_edit_program(user, program)
    text, url = _named(clash, program, user, can_edit)
    own = (
        can_edit
        and clash.program_id == program.pk
        and not clash.origin
        and clash.cancelled_at is None
        and overlaps(clash, slot)
    )
    push = own and pushed_times(clash, slot.end_time) is not None
    return {
        "text": text,
        "url": url,
        "pk": clash.pk,
        "replace": _("Delete “%(title)s” and save") % {"title": clash.title} if own else "",
        "push": _("Move “%(title)s” later and save") % {"title": clash.title} if push else "",
    }


def _named(clash: Activity, program, user, can_edit: bool) -> tuple[str, str]:
    """(text, url) of the other slot: this week's editor on it (the week, for someone who
    does not edit it); the page of the trip or the seminar it comes from; the week of the
    host's other program. Another host's slot is said by its time only, with no link."""
    if clash.program_id != program.pk and clash.program.host_id not in access.host_ids_of(user):
        return describe_clash(clash, program, user), ""
    derived = origin_of(clash)
    if derived is not None:
        label, url = derived
        return _("%(record)s: %(slot)s") % {"record": label, "slot": describe(clash)}, url
    week = reverse("programs:week_grid", args=[clash.program_id])
    if clash.program_id == program.pk:
        return describe(clash), f"{week}?edit={clash.pk}" if can_edit else week
    return describe(clash, with_program=True), week


def made_room(room: MakeRoom | None) -> str:
    """What became of the activity that made room for a save ("" for a plain save)."""
    other = Activity.objects.filter(pk=room.activity_pk).first() if room else None
    if other is None:
        return ""
    if room.how == REPLACE:
        return _("Deleted: %(slot)s") % {"slot": describe(other)}
    return _("Moved: %(slot)s") % {"slot": describe(other)}
