"""What the host sees still waiting for the municipality's 確認: the program's filed
研修報告書 and 復命書 its trainees' municipalities have not confirmed yet."""

from django.http import Http404
from django.shortcuts import render

from programs import access

from ..selectors.confirmations import awaiting_confirmation


def awaiting_confirmation_page(request, pk: int):
    """The host's people only: anyone else (a contact, a trainee) gets 404."""
    program = access.get_program_for_user(request.user, pk)
    if not access.works_for_host(request.user, program):
        raise Http404
    return render(
        request,
        "reports/awaiting_confirmation.html",
        {"program": program, "waiting": awaiting_confirmation(program)},
    )
