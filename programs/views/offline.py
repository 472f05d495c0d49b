"""The installable app: its manifest, its service worker and the page shown offline for a
page never kept on this phone (programs/offline.py says how the pages are kept). All three
are the same for everyone and carry no data: they answer without signing in."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from .. import offline


@login_not_required
@require_GET
def manifest(request):
    response = JsonResponse(
        offline.manifest(),
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


@login_not_required
@require_GET
def service_worker(request):
    """At the site's root, so it may look after every page (its scope is "/"). Never kept
    by the browser's HTTP cache: a new version reaches the phone at its next page."""
    response = HttpResponse(offline.worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def offline_page(request):
    """What the phone shows, offline, for a page it has not kept: in the language asked
    (?lang=, the worker keeps one of each), with a link to 今日."""
    supported = {code for code, _name in settings.LANGUAGES}
    asked = request.GET.get("lang")
    if asked in supported:
        translation.activate(asked)
        request.LANGUAGE_CODE = asked
    response = render(request, "programs/offline.html", {"language": translation.get_language()})
    response["Content-Language"] = translation.get_language()
    return response
