from django.urls import path

from programs import integers  # noqa: F401 (registers the <id:…> converter)

from .views import calls

app_name = "scheme"

urlpatterns = [
    path("scheme/calls/", calls.calls, name="calls"),
]
