from django.urls import path

from programs import integers  # noqa: F401 (registers the <id:…> converter)

from .views import applications, calls, lists, matches, matching, offers

app_name = "scheme"

CALL = "scheme/calls/<id:pk>/"

urlpatterns = [
    path("scheme/calls/", calls.calls, name="calls"),
    path("scheme/matches/", matches.my_matches, name="my_matches"),
    path("scheme/matches/<id:pk>/", matches.match_detail, name="match_detail"),
    path("scheme/matches/<id:pk>/staff/", matches.match_staff, name="match_staff"),
    path("scheme/matches/<id:pk>/cancel/", matches.match_cancel, name="match_cancel"),
    path("scheme/matches/<id:pk>/move/", matches.match_move, name="match_move"),
    path("scheme/calls/new/", calls.call_new, name="call_new"),
    path(CALL, calls.call_detail, name="call_detail"),
    path(CALL + "edit/", calls.call_edit, name="call_edit"),
    path(CALL + "open/", calls.call_open, name="call_open"),
    path(CALL + "close/", calls.call_close, name="call_close"),
    path(CALL + "offers/", lists.offers, name="offers"),
    path(CALL + "offers/new/", offers.offer_new, name="offer_new"),
    path(CALL + "offers/<id:offer_pk>/edit/", offers.offer_edit, name="offer_edit"),
    path(CALL + "offers/<id:offer_pk>/withdraw/", offers.offer_withdraw, name="offer_withdraw"),
    path(CALL + "applications/", lists.applications, name="applications"),
    path(CALL + "applications/new/", applications.application_new, name="application_new"),
    path(
        CALL + "applications/<id:application_pk>/edit/",
        applications.application_edit,
        name="application_edit",
    ),
    path(
        CALL + "applications/<id:application_pk>/withdraw/",
        applications.application_withdraw,
        name="application_withdraw",
    ),
    # The office's matching (マッチング) and confirmation (確定).
    path(CALL + "matching/", matching.matching, name="matching"),
    path(CALL + "matching/run/", matching.matching_run, name="matching_run"),
    path(CALL + "matching/confirm-all/", matching.confirm_all, name="confirm_all"),
    path(CALL + "matching/proposals/<id:proposal_pk>/confirm/", matching.confirm, name="confirm"),
    path(
        CALL + "matching/proposals/<id:proposal_pk>/pin/<str:kind>/",
        matching.pin_add,
        name="pin_add",
    ),
    path(CALL + "matching/pins/<id:pin_pk>/remove/", matching.pin_remove, name="pin_remove"),
]
