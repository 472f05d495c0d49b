"""The calls (募集): the list every role reaches from its navigation, a call's page, and the
office's changes to a call."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs.access import roles_of

from .. import access
from ..due import due_for
from ..forms import CallForm
from ..selectors import calls as selectors
from ..selectors.calls import call_rows
from ..services import calls as services
from .common import changed_redirect, form_page, saved_redirect


def calls(request):
    """Every role's list of calls; the office's home, with what waits for it."""
    now = timezone.now()
    rows = call_rows(request.user, now)
    labels = selectors.state_labels()
    for row in rows:
        row["state_label"] = labels[row["state"]]
    is_office = access.is_office(request.user)
    return render(
        request,
        "scheme/calls.html",
        {
            "title": _("Calls"),
            "rows": rows,
            "is_office": is_office,
            "due": list(due_for(request.user, now)) if is_office else [],
        },
    )


def _detail_url(call) -> str:
    return reverse("scheme:call_detail", args=[call.pk])


def call_new(request):
    access.require_office(request.user)
    form = CallForm(request.POST or None)
    saved = saved_redirect(
        request,
        form,
        lambda data: services.save_call(data, by=request.user),
        done=_("Call saved as a draft: open it when it is ready."),
        to=_detail_url,
    )
    return saved or form_page(
        request,
        form,
        title=_("New call"),
        call=None,
        submit=_("Save the call"),
        back=reverse("scheme:calls"),
    )


def call_edit(request, pk: int):
    call = access.get_call_to_run(request.user, pk)
    initial = {name: getattr(call, name) for name in services.FIELDS}
    form = CallForm(request.POST or None, initial=initial)
    saved = saved_redirect(
        request,
        form,
        lambda data: services.save_call(data, by=request.user, call=call),
        done=_("Call saved."),
        to=_detail_url,
    )
    return saved or form_page(
        request,
        form,
        title=_("Change the call"),
        call=call,
        submit=_("Save the call"),
        back=_detail_url(call),
    )


@require_POST
def call_open(request, pk: int):
    call = access.get_call_to_run(request.user, pk)
    return changed_redirect(
        request,
        lambda: services.open_call(call, timezone.now()),
        done=_("The call is open: hosts and municipalities are being emailed."),
        to=_detail_url(call),
    )


@require_POST
def call_close(request, pk: int):
    call = access.get_call_to_run(request.user, pk)
    return changed_redirect(
        request,
        lambda: services.close_call(call, timezone.now()),
        done=_("The call is closed: those who offered or applied are being emailed."),
        to=_detail_url(call),
    )


def call_detail(request, pk: int):
    user = request.user
    call = access.get_call_for_user(user, pk)
    roles = roles_of(user)
    office = access.is_office(user)
    if not (office or roles["host"] or roles["supervisor"]):
        raise Http404
    now = timezone.now()
    facts = selectors.call_facts(call, now)
    facts["state_label"] = selectors.state_labels()[facts["state"]]
    context = {
        "title": call.title,
        "call": call,
        "facts": facts,
        "is_office": office,
        "counts": selectors.office_counts(call) if office else None,
        "offers": selectors.host_offers(user, call) if roles["host"] else None,
        "may_offer": facts["is_open"] and bool(roles["coordinated_ids"]),
        "applications": selectors.own_applications(user, call) if roles["supervisor"] else None,
    }
    if context["applications"] is not None:
        live = [a for a in context["applications"] if a["application"].withdrawn_at is None]
        supervised = selectors.supervised_count(user)
        context["may_apply"] = facts["is_open"] and len(live) < supervised
    return render(request, "scheme/call_detail.html", context)
