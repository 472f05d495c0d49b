"""The health check that load balancers ask: the database, the broker and the file store."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..health import health_status


@login_not_required
@require_GET
@never_cache
def healthz(request):
    status = health_status()
    healthy = all(value == "ok" for value in status.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **status}, status=200 if healthy else 503
    )
