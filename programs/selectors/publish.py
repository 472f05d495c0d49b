"""What the page before publishing a program shows: the checklist of what is ready and
what is missing. Each line is a `registry.ChecklistItem` (ok or a warning, a short text, a
link to put it right); a warning does not stop publishing (`move_program` decides).

`publish_checklist` is the one place that gathers the lines: a new check of the core goes
here, one of another app through `registry.register_publish_check`."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import registry
from ..formats import show_time
from ..models import Invitation, Program
from ..registry import ChecklistItem
from ..services.placeholders import placeholders_left


def publish_checklist(program: Program, today: date) -> list[ChecklistItem]:
    """The lines of the checklist for `program` on `today`, in order: its trainees, the
    invitations not yet accepted, the reflection reminder and deadline, then what the other
    apps add (a trip planned). A fixed number of queries whatever the number of trainees."""
    items = [
        trainees_item(program),
        *invitations_items(program),
        reflection_times_item(program),
        *placeholders_items(program),
        *registry.publish_checks(program, today),
    ]
    return sorted(items, key=lambda item: item.order)


def trainees_item(program: Program) -> ChecklistItem:
    count = program.enrollments.active().count()
    page = reverse("programs:program_detail", args=[program.pk]) + "#trainees-heading"
    if count:
        return ChecklistItem(
            ok=True,
            text=ngettext(
                "%(count)s trainee is enrolled.", "%(count)s trainees are enrolled.", count
            )
            % {"count": count},
            url=page,
            action=_("See the trainees"),
            order=10,
        )
    return ChecklistItem(
        ok=False,
        text=_("No trainee is enrolled yet."),
        url=page,
        action=_("Enrol trainees"),
        order=10,
    )


def invitations_items(program: Program) -> list[ChecklistItem]:
    waiting = Invitation.objects.filter(program=program).pending().count()
    if not waiting:
        return []
    return [
        ChecklistItem(
            ok=False,
            text=ngettext(
                "%(count)s invitation not yet accepted.",
                "%(count)s invitations not yet accepted.",
                waiting,
            )
            % {"count": waiting},
            url=reverse("programs:program_detail", args=[program.pk]) + "#invitations-heading",
            action=_("See the invitations"),
            order=20,
        )
    ]


def reflection_times_item(program: Program) -> ChecklistItem:
    times = {
        "reminder": show_time(program.reminder_time),
        "deadline": show_time(program.reflection_deadline),
    }
    edit = reverse("programs:program_edit", args=[program.pk])
    if program.reminder_time >= program.reflection_deadline:
        return ChecklistItem(
            ok=False,
            text=_(
                "The reflection reminder (%(reminder)s) comes at or after the deadline "
                "(%(deadline)s)."
            )
            % times,
            url=edit,
            action=_("Change the times"),
            order=30,
        )
    return ChecklistItem(
        ok=True,
        text=_("Reflection reminder at %(reminder)s, deadline %(deadline)s.") % times,
        url=edit,
        action=_("Change the times"),
        order=30,
    )


def placeholders_items(program: Program) -> list[ChecklistItem]:
    """The week's placeholders (予定枠) not yet planned: trainees will not see them, and a
    week published with them has slots nobody has planned."""
    left = placeholders_left(program).count()
    if not left:
        return []
    return [
        ChecklistItem(
            ok=False,
            text=ngettext(
                "%(count)s placeholder of the week is not planned yet: trainees do not see it.",
                "%(count)s placeholders of the week are not planned yet: trainees do not see them.",
                left,
            )
            % {"count": left},
            url=reverse("programs:week_grid", args=[program.pk]),
            action=_("Plan them in the week"),
            order=35,
        )
    ]
