"""The calls (募集): the list every role reaches from its navigation."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import access
from ..models import CallState
from ..selectors.calls import call_rows


def calls(request):
    rows = call_rows(request.user, timezone.now())
    labels = dict(CallState.choices)
    for row in rows:
        row["state_label"] = labels[row["state"]]
    return render(
        request,
        "scheme/calls.html",
        {"title": _("Calls"), "rows": rows, "is_office": access.is_office(request.user)},
    )
