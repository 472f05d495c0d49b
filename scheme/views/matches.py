"""A confirmed match: its page (the office, the host's people, the municipality's
contacts), the contact naming its staff, and the office cancelling or moving it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.client import client_ip
from programs.integers import id_param
from programs.refusals import Refused, show_refusal

from .. import access
from ..forms import CancelMatchForm, MoveMatchForm, StaffForm
from ..models import MatchStatus
from ..selectors import matches as selectors
from ..services import matches as services
from ..services import staff as staff_services


def match_detail(request, pk: int):
    match = access.get_match_for_user(request.user, pk)
    context = selectors.match_page(request.user, match, timezone.now())
    return render(request, "scheme/match_detail.html", {"title": _("Match"), **context})


def match_staff(request, pk: int):
    """The contact names the staff: one row per place left."""
    match = access.get_match_for_user(request.user, pk)
    context = selectors.match_page(request.user, match, timezone.now())
    if not context["roles"]["contact"]:
        raise PermissionDenied
    if not context["can_name"]:
        messages.error(request, _("This match was cancelled: its staff can no longer be named."))
        return redirect("scheme:match_detail", pk=match.pk)
    left = context["places_left"]
    form = StaffForm(request.POST or None, places=match.staff, left=left)
    if request.method == "POST" and form.is_valid():
        try:
            counts = staff_services.name_staff(
                match,
                form.cleaned_data["people"],
                by=request.user,
                today=timezone.localdate(),
                ip=client_ip(request),
            )
        except Refused as refused:
            show_refusal(refused, form=form)
        else:
            messages.success(request, _staff_done(counts))
            return redirect("scheme:match_detail", pk=match.pk)
    return render(
        request,
        "scheme/match_staff.html",
        {"title": _("Name the staff"), **context, "form": form, "rows": form.rows()},
    )


def _staff_done(counts: dict) -> str:
    return _("%(invited)s invited, %(enrolled)s enrolled, %(already)s already named.") % counts


def _office_match(request, pk: int):
    """The match for the office to change (404 for anyone else); None, with a message,
    when it was cancelled already."""
    access.require_office(request.user)
    match = access.get_match_for_user(request.user, pk)
    if match.status != MatchStatus.CONFIRMED:
        messages.error(request, _("This match has already been cancelled."))
        return None
    return match


def _office_change(request, match, form, change, *, done: str, template: str, extra: dict):
    """Run `change(cleaned_data)` on a valid POST: done, back to the match page with
    `done`; refused, the form again with the refusal next to its field."""
    if request.method == "POST" and form.is_valid():
        try:
            change(form.cleaned_data)
        except Refused as refused:
            show_refusal(refused, form=form)
        else:
            messages.success(request, done)
            return redirect("scheme:match_detail", pk=match.pk)
    context = selectors.match_page(request.user, match, timezone.now())
    return render(request, template, {**context, **extra, "form": form})


def match_cancel(request, pk: int):
    """The office takes the match back: a confirmation page with the reason."""
    match = _office_match(request, pk)
    if match is None:
        return redirect("scheme:match_detail", pk=pk)
    return _office_change(
        request,
        match,
        CancelMatchForm(request.POST or None),
        lambda data: services.cancel_match(
            match, reason=data["reason"], by=request.user, now=timezone.now(), ip=client_ip(request)
        ),
        done=_("The match was cancelled; both sides are emailed."),
        template="scheme/match_cancel.html",
        extra={"title": _("Cancel the match")},
    )


def match_move(request, pk: int):
    """The office moves the match to other weeks of the same offer."""
    match = _office_match(request, pk)
    if match is None:
        return redirect("scheme:match_detail", pk=pk)
    choices = services.move_choices(match)
    return _office_change(
        request,
        match,
        MoveMatchForm(request.POST or None, choices=choices),
        lambda data: services.move_match(
            match,
            data["start_week"],
            by=request.user,
            today=timezone.localdate(),
            ip=client_ip(request),
        ),
        done=_("The match was moved; both sides are emailed."),
        template="scheme/match_move.html",
        extra={"title": _("Move the match"), "has_choices": bool(choices)},
    )


def my_matches(request):
    """The matches the person may see; the office filters them by call."""
    call_id = id_param(request.GET.get("call", "")) if access.is_office(request.user) else None
    return render(
        request,
        "scheme/my_matches.html",
        {
            "title": _("Matches"),
            "rows": selectors.match_rows(request.user, call_id),
            "calls": selectors.call_filter(request.user),
            "call_id": call_id,
            "is_office": access.is_office(request.user),
        },
    )
