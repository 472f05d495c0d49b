"""Search as you type in the registry of local governments: what every municipality chooser
asks while someone types a name, a reading or a code."""

from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from ..models import Membership
from ..selectors.municipalities import search


def may_choose_municipalities(user) -> bool:
    """Those who choose a municipality somewhere: a host's people, a municipality's contact,
    an operator. A trainee chooses none."""
    return user.is_staff or Membership.objects.filter(user=user).exists()


@require_GET
def municipality_search(request):
    """Up to 20 matches as JSON: each its code, its label (prefecture, name, code) and its
    reading; an abolished one is marked so."""
    if not may_choose_municipalities(request.user):
        raise Http404
    found = search(request.GET.get("q", "")[:60])
    return JsonResponse(
        {
            "results": [
                {
                    "code": m.code,
                    "label": m.label,
                    "kana": m.kana,
                    "abolished": m.is_abolished,
                }
                for m in found
            ]
        }
    )
