"""The office's lists of a call: every offer and every application, with filters."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import access
from ..forms import ApplicationFilterForm, OfferFilterForm
from ..selectors import lists


def offers(request, pk: int):
    call = access.get_call_to_run(request.user, pk)
    form = OfferFilterForm(request.GET or None, call=call)
    filters = form.cleaned_data if form.is_valid() else {}
    return render(
        request,
        "scheme/offers.html",
        {
            "title": _("Offers"),
            "call": call,
            "form": form,
            "rows": lists.offer_rows(call, filters),
        },
    )


def applications(request, pk: int):
    call = access.get_call_to_run(request.user, pk)
    hosts = lists.offering_hosts(call)
    form = ApplicationFilterForm(request.GET or None, hosts=hosts)
    filters = form.cleaned_data if form.is_valid() else {}
    rows, page = lists.application_page(call, filters, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "scheme/applications.html",
        {
            "title": _("Applications"),
            "call": call,
            "form": form,
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
        },
    )
