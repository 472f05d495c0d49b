"""A host's offers (受入枠): written, changed and withdrawn by its coordinators while the
call's window is open; the host's other people read them on the call's page."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs.access import roles_of
from programs.models import HostCompany

from .. import access
from ..forms import OfferForm
from ..models import OfferWeek
from ..services import offers as services
from .common import changed_redirect, closed_redirect, form_page, saved_redirect


def _coordinated(user) -> list[HostCompany]:
    """The hosts the user coordinates: 404 for someone who coordinates none (403 for a
    host's staff, who may read the offers but not change them)."""
    roles = roles_of(user)
    if not roles["coordinated_ids"]:
        if roles["host"]:
            raise PermissionDenied
        raise Http404
    return list(HostCompany.objects.filter(pk__in=roles["coordinated_ids"]).order_by("name"))


def offer_new(request, pk: int):
    call = access.get_call_for_user(request.user, pk)
    hosts = _coordinated(request.user)
    if closed := closed_redirect(request, call):
        return closed
    form = OfferForm(request.POST or None, call=call, hosts=hosts)
    saved = saved_redirect(
        request,
        form,
        lambda data: services.save_offer(
            call, data.get("host") or hosts[0].pk, data, by=request.user, now=timezone.now()
        ),
        done=_("Offer saved: the office sees it."),
        to=lambda offer: reverse("scheme:call_detail", args=[call.pk]),
    )
    return saved or form_page(
        request,
        form,
        title=_("Register an offer"),
        call=call,
        submit=_("Save the offer"),
        back=reverse("scheme:call_detail", args=[call.pk]),
        lead=_("Tick the weeks your company takes trainees, and how many each week."),
    )


def offer_edit(request, pk: int, offer_pk: int):
    call = access.get_call_for_user(request.user, pk)
    offer = access.get_offer_for_user(request.user, call, offer_pk)
    hosts = _coordinated(request.user)
    if offer.host_id not in {h.pk for h in hosts}:
        raise PermissionDenied
    if closed := closed_redirect(request, call):
        return closed
    if offer.withdrawn_at is not None:
        raise Http404
    initial = {name: getattr(offer, name) for name in services.FIELDS}
    initial["host"] = offer.host_id
    initial["weeks"] = [
        w.isoformat() for w in OfferWeek.objects.filter(offer=offer).values_list("week", flat=True)
    ]
    form = OfferForm(request.POST or None, call=call, hosts=[offer.host], initial=initial)
    saved = saved_redirect(
        request,
        form,
        lambda data: services.save_offer(
            call, offer.host_id, data, by=request.user, now=timezone.now(), offer=offer
        ),
        done=_("Offer saved."),
        to=lambda offer: reverse("scheme:call_detail", args=[call.pk]),
    )
    return saved or form_page(
        request,
        form,
        title=_("Change the offer of %(host)s") % {"host": offer.host.name},
        call=call,
        submit=_("Save the offer"),
        back=reverse("scheme:call_detail", args=[call.pk]),
    )


@require_POST
def offer_withdraw(request, pk: int, offer_pk: int):
    call = access.get_call_for_user(request.user, pk)
    offer = access.get_offer_for_user(request.user, call, offer_pk)
    if offer.host_id not in {h.pk for h in _coordinated(request.user)}:
        raise PermissionDenied
    return changed_redirect(
        request,
        lambda: services.withdraw_offer(offer, timezone.now()),
        done=_("Offer withdrawn."),
        to=reverse("scheme:call_detail", args=[call.pk]),
    )
