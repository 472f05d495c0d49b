"""A person's reminders: which kinds they receive. Kinds their coordinator made required in
one of their current programs cannot be turned off."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import access, registry
from ..models import Enrollment, ReminderOptOut


def reminder_settings(request):
    user = request.user
    roles = access.roles_of(user)
    audiences = (
        {"both"}
        | ({"trainee"} if roles["trainee"] else set())
        | ({"host"} if roles["host"] else set())
    )
    kinds = {k: r for k, r in registry.reminders().items() if r.audience in audiences}
    today = timezone.localdate()
    required = set()
    for kinds_required in (
        Enrollment.objects.active()
        .filter(trainee=user, program__end_date__gte=today)
        .values_list("program__required_reminders", flat=True)
    ):
        required |= set(kinds_required or [])
    off = set(ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True))
    if request.method == "POST":
        wanted = {kind for kind in kinds if request.POST.get(f"on-{kind}")} | required
        with transaction.atomic():
            ReminderOptOut.objects.filter(user=user, kind__in=wanted).delete()
            ReminderOptOut.objects.bulk_create(
                [ReminderOptOut(user=user, kind=kind) for kind in set(kinds) - wanted],
                ignore_conflicts=True,
            )
        messages.success(request, _("Your reminder settings are saved."))
        return redirect("reminder_settings")
    rows = [
        {
            "kind": kind,
            "label": reminder.label,
            "on": kind not in off or kind in required,
            "required": kind in required,
        }
        for kind, reminder in kinds.items()
    ]
    return render(request, "programs/reminder_settings.html", {"rows": rows})
