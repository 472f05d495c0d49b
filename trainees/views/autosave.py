"""The JSON a page's automatic save gets back (static/js/reflection.js reads it): the
reflection's and the 研修報告書's, the same words and fields."""

from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _


def refused_answer(refused) -> JsonResponse:
    """A refusal: 409 when the text is locked (the page says so), 400 otherwise."""
    return JsonResponse(
        {
            "ok": False,
            "code": refused.code,
            "errors": refused.errors or {"__all__": refused.message},
        },
        status=409 if refused.code == "locked" else 400,
    )


def saved_answer(request, row, applied: bool) -> JsonResponse:
    """The save went through (or was a repeat): the row's revision and this page's counter."""
    saved_at = timezone.localtime(row.updated_at)
    return JsonResponse(
        {
            "ok": True,
            "applied": applied,
            "revision": row.revision,
            "client_seq": row.client_seq if row.client_id == request.POST.get("client_id") else 0,
            "message": _("Saved at %(time)s") % {"time": f"{saved_at:%H:%M:%S}"},
        }
    )
