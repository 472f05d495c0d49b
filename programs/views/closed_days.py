"""A host's closed days: the list with the form to add one (coordinators), and removing one.
National holidays need no entry: they come from the `holidays` package."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access
from ..calendar_days import period_label
from ..client import client_ip
from ..forms import ClosedDayForm
from ..refusals import show_refusal
from ..selectors.closed_days import closed_days_context
from ..services import closed_days as services


def closed_days(request, pk: int):
    """The host's closed days; a coordinator adds one with the form (POST)."""
    host = access.get_host_company_for_user(request.user, pk, write=request.method == "POST")
    form = ClosedDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closed = services.add_closed_days(
                host, **form.cleaned_data, by=request.user, ip=client_ip(request)
            )
        except services.ClosedDayRefused as refused:
            show_refusal(refused, form=form)
        else:
            messages.success(
                request,
                _("Closed days added: %(name)s (%(period)s).")
                % {"name": closed.name, "period": period_label(closed.start_date, closed.end_date)},
            )
            return redirect("programs:closed_days", pk=host.pk)
    return render(
        request,
        "programs/closed_days.html",
        {
            "host": host,
            "form": form,
            "can_manage": access.coordinates(request.user, host),
            **closed_days_context(host, timezone.localdate()),
        },
    )


@require_POST
def closed_day_remove(request, pk: int, closed_pk: int):
    host = access.get_host_company_for_user(request.user, pk, write=True)
    closed = access.get_closed_day_for_user(request.user, host, closed_pk)
    services.remove_closed_days(closed, by=request.user, ip=client_ip(request))
    messages.success(
        request,
        _("Closed days removed: %(name)s (%(period)s).")
        % {"name": closed.name, "period": period_label(closed.start_date, closed.end_date)},
    )
    return redirect("programs:closed_days", pk=host.pk)
