"""The office's matching page: run the solver, read why, lock or forbid pairs, confirm."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from programs.formats import show
from programs.refusals import Refused, show_refusal

from .. import access
from ..models import FAILED, Application, MatchRun, Proposal
from ..selectors.matching import (
    latest_run,
    matching_rows,
    pending_run,
    pin_rows,
    waiting_count,
)
from ..services.confirmation import confirm_all as confirm_all_waiting
from ..services.confirmation import confirm_proposal
from ..services.matching.runs import MatchingRefused, remove_pin, request_matching, set_pin
from ..services.notices import recipients

SHOWS = ("", "matched", "unmatched")


def matching(request, pk: int):
    call = access.get_call_to_run(request.user, pk)
    run = latest_run(call)
    show_only = request.GET.get("show", "")
    if show_only not in SHOWS:
        show_only = ""
    return render(
        request,
        "scheme/matching.html",
        {
            "title": _("Matching"),
            "call": call,
            "run": run,
            "pending": pending_run(call),
            "failed": _last_failed(call, run),
            "run_at": show(run.created_at, "moment_long") if run else "",
            "run_status": _solver_words(run.status) if run else "",
            "rows": matching_rows(call, run, show_only),
            "pins": pin_rows(call),
            "waiting": waiting_count(call, run),
            "unmatched": run.applications - run.matched if run else 0,
            "show": show_only,
            "closed": call.state(timezone.now()) == "closed",
        },
    )


def _solver_words(status: str) -> str:
    """The solver's verdict in the office's words."""
    return {
        "OPTIMAL": _("the best allocation, proven"),
        "FEASIBLE": _("the best allocation found in the time given"),
    }.get(status, status)


def _last_failed(call, run) -> bool:
    """The office's last request was lost or failed after the run shown."""
    last = MatchRun.objects.filter(call=call).order_by("-created_at", "-pk").first()
    return last is not None and last.status == FAILED and (run is None or last.pk != run.pk)


def _back(call, request=None):
    url = reverse("scheme:matching", args=[call.pk])
    show_only = request.POST.get("show", "") if request else ""
    return redirect(f"{url}?show={show_only}" if show_only in SHOWS[1:] else url)


@require_POST
def matching_run(request, pk: int):
    call = access.get_call_to_run(request.user, pk)
    try:
        request_matching(call, by=request.user, now=timezone.now())
    except MatchingRefused as refused:
        show_refusal(refused, request=request)
    return _back(call)


def _proposal(call, proposal_pk: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related("run", "application__municipality", "offer__host"),
        run__call=call,
        pk=proposal_pk,
    )


@require_POST
def confirm(request, pk: int, proposal_pk: int):
    call = access.get_call_to_run(request.user, pk)
    proposal = _proposal(call, proposal_pk)
    try:
        match = confirm_proposal(proposal, by=request.user, now=timezone.now())
    except Refused as refused:
        show_refusal(refused, request=request)
    else:
        messages.success(request, _confirmed_message(match))
    return _back(call, request)


def _confirmed_message(match) -> str:
    """Who the confirmation emails: the host's coordinators and the municipality's contacts,
    saying which side has nobody to tell yet."""
    audiences = {audience for _email, audience in recipients(match)}
    names = {"municipality": match.application.municipality.name, "host": match.host.name}
    if audiences == {"host", "contact"}:
        told = _("The host's coordinators and the municipality's contacts are emailed.")
    elif "host" in audiences:
        told = _(
            "The host's coordinators are emailed; %(municipality)s has no contact in Kenshu "
            "yet: tell it yourself."
        )
    elif "contact" in audiences:
        told = _(
            "The municipality's contacts are emailed; %(host)s has no coordinator in Kenshu "
            "yet: tell it yourself."
        )
    else:
        told = _("Nobody at either side has an account to email yet: tell them yourself.")
    return (
        _("Confirmed: %(municipality)s at %(host)s. A draft program was made.") + " " + told
    ) % names


@require_POST
def confirm_all(request, pk: int):
    """Every proposed pair of the latest run not confirmed yet, each in its own transaction:
    one refused pair leaves the others confirmed."""
    call = access.get_call_to_run(request.user, pk)
    done, refused = confirm_all_waiting(call, latest_run(call), by=request.user, now=timezone.now())
    messages.success(
        request,
        ngettext("%(count)s pair confirmed.", "%(count)s pairs confirmed.", done) % {"count": done},
    )
    for message in refused:
        messages.error(request, message)
    return _back(call)


@require_POST
def pin_add(request, pk: int, proposal_pk: int, kind: str):
    call = access.get_call_to_run(request.user, pk)
    proposal = _proposal(call, proposal_pk)
    if proposal.offer_id is None:
        messages.error(request, _("Nothing was proposed for this application."))
        return _back(call, request)
    application = get_object_or_404(
        Application.objects.filter(call=call), pk=proposal.application_id
    )
    try:
        set_pin(call, application, proposal.offer.host, kind, by=request.user)
    except MatchingRefused as refused:
        show_refusal(refused, request=request)
    else:
        messages.success(request, _("Saved. The pin takes effect on the next run."))
    return _back(call, request)


@require_POST
def pin_remove(request, pk: int, pin_pk: int):
    call = access.get_call_to_run(request.user, pk)
    try:
        remove_pin(call, pin_pk, by=request.user)
    except MatchingRefused as refused:
        show_refusal(refused, request=request)
    else:
        messages.success(request, _("Pin removed. The next run is free for that pair again."))
    return _back(call, request)
