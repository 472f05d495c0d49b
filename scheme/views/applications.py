"""A municipality's application (申込): written, changed and withdrawn by its contacts
(the supervisor role) while the call's window is open."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs.models import Municipality, supervised_by

from .. import access
from ..forms import ApplicationForm
from ..models import MAX_HOST_CHOICES, HostChoice
from ..selectors.lists import offering_hosts
from ..services import applications as services
from .common import changed_redirect, closed_redirect, form_page, saved_redirect


def _supervised(user) -> list[Municipality]:
    municipalities = list(Municipality.objects.filter(pk__in=supervised_by(user)).order_by("code"))
    if not municipalities:
        raise Http404
    return municipalities


def _writes(user, application) -> None:
    """The office reads every application, but only the municipality's contacts write it."""
    if not Municipality.objects.filter(
        pk=application.municipality_id, pk__in=supervised_by(user)
    ).exists():
        raise PermissionDenied


def _form(request, call, municipalities, initial=None):
    return ApplicationForm(
        request.POST or None,
        call=call,
        municipalities=municipalities,
        hosts=offering_hosts(call),
        initial=initial,
    )


def application_new(request, pk: int):
    call = access.get_call_for_user(request.user, pk)
    municipalities = _supervised(request.user)
    if closed := closed_redirect(request, call):
        return closed
    form = _form(request, call, municipalities, initial={"weeks_wanted": call.min_weeks})
    by_pk = {m.pk: m for m in municipalities}

    def save(data):
        municipality = by_pk[data.get("municipality") or municipalities[0].pk]
        return services.save_application(
            call, municipality, data, by=request.user, now=timezone.now()
        )

    saved = saved_redirect(
        request,
        form,
        save,
        done=_("Application sent: the office sees it."),
        to=lambda application: reverse("scheme:call_detail", args=[call.pk]),
    )
    return saved or form_page(
        request,
        form,
        title=_("Apply to %(call)s") % {"call": call.title},
        call=call,
        submit=_("Send the application"),
        back=reverse("scheme:call_detail", args=[call.pk]),
        lead=_("You can change it until the window closes."),
    )


def application_edit(request, pk: int, application_pk: int):
    call = access.get_call_for_user(request.user, pk)
    application = access.get_application_for_user(request.user, call, application_pk)
    _writes(request.user, application)
    if closed := closed_redirect(request, call):
        return closed
    if application.withdrawn_at is not None:
        raise Http404
    initial = {name: getattr(application, name) for name in services.FIELDS}
    initial["preferred_weeks"] = application.preferred_weeks
    initial["impossible_weeks"] = application.impossible_weeks
    for choice in HostChoice.objects.filter(application=application, rank__lte=MAX_HOST_CHOICES):
        initial[f"host_{choice.rank}"] = choice.host_id
    form = _form(request, call, [application.municipality], initial=initial)
    saved = saved_redirect(
        request,
        form,
        lambda data: services.save_application(
            call,
            application.municipality,
            data,
            by=request.user,
            now=timezone.now(),
            application=application,
        ),
        done=_("Application saved."),
        to=lambda application: reverse("scheme:call_detail", args=[call.pk]),
    )
    return saved or form_page(
        request,
        form,
        title=_("Change the application of %(name)s") % {"name": application.municipality.name},
        call=call,
        submit=_("Save the application"),
        back=reverse("scheme:call_detail", args=[call.pk]),
    )


@require_POST
def application_withdraw(request, pk: int, application_pk: int):
    call = access.get_call_for_user(request.user, pk)
    application = access.get_application_for_user(request.user, call, application_pk)
    _writes(request.user, application)
    return changed_redirect(
        request,
        lambda: services.withdraw_application(application, timezone.now()),
        done=_("Application withdrawn."),
        to=reverse("scheme:call_detail", args=[call.pk]),
    )
