from django.urls import path

from programs import integers  # noqa: F401 (registers the <id:…> converter)

from .views import calls, matching

app_name = "scheme"

call = "scheme/calls/<id:pk>/"

urlpatterns = [
    path("scheme/calls/", calls.calls, name="calls"),
    # The office's matching (マッチング) and confirmation (確定).
    path(call + "matching/", matching.matching, name="matching"),
    path(call + "matching/run/", matching.matching_run, name="matching_run"),
    path(call + "matching/confirm-all/", matching.confirm_all, name="confirm_all"),
    path(call + "matching/proposals/<id:proposal_pk>/confirm/", matching.confirm, name="confirm"),
    path(
        call + "matching/proposals/<id:proposal_pk>/pin/<str:kind>/",
        matching.pin_add,
        name="pin_add",
    ),
    path(call + "matching/pins/<id:pin_pk>/remove/", matching.pin_remove, name="pin_remove"),
]
