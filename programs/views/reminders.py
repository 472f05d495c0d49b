"""A person's reminders: which kinds they receive. Kinds their coordinator made required in
one of their current programs cannot be turned off."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .. import access, registry
from ..models import ReminderOptOut, User
from ..services import reminders as reminder_services
from ..services.reminders import OFF_SALT


def reminder_settings(request):
    user = request.user
    roles = access.roles_of(user)
    audiences = (
        {"both"}
        | ({"trainee"} if roles["trainee"] else set())
        | ({"host"} if roles["host"] else set())
    )
    kinds = {k: r for k, r in registry.reminders().items() if r.audience in audiences}
    required = reminder_services.required_kinds(user)
    off = set(ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True))
    if request.method == "POST":
        wanted = {kind for kind in kinds if request.POST.get(f"on-{kind}")}
        reminder_services.set_wanted(user, set(kinds), wanted)
        messages.success(request, _("Your reminder settings are saved."))
        return redirect("programs:reminder_settings")
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


@login_not_required
@csrf_exempt  # mail providers post the one-click request without a session; the token is the key
def reminder_off(request, token: str):
    """The address in a reminder's List-Unsubscribe header: GET asks, POST (a person's click
    or a mail provider's one-click request, RFC 8058) turns that kind of reminder off."""
    try:
        data = signing.loads(token, salt=OFF_SALT)
        user = User.objects.get(pk=data["u"], is_active=True)
        reminder = registry.reminders()[data["k"]]
    except (signing.BadSignature, KeyError, TypeError, User.DoesNotExist) as exc:
        raise Http404 from exc
    required = reminder.kind in reminder_services.required_kinds(user)
    done = request.method == "POST" and reminder_services.turn_off(user, reminder.kind)
    return render(
        request,
        "programs/reminder_off.html",
        {"label": reminder.label, "required": required, "done": done},
    )
