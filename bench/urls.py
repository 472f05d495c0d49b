from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    """The least any page pays: login, middleware, session, and a tiny response."""
    return HttpResponse(f"ok {request.user.pk}")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("", include("config.urls")),
]
