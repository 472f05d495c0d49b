from django.urls import path

from programs import integers  # noqa: F401 (registers the <id:…> converter)

from .views import calls, matches

app_name = "scheme"

urlpatterns = [
    path("scheme/calls/", calls.calls, name="calls"),
    path("scheme/matches/", matches.my_matches, name="my_matches"),
    path("scheme/matches/<id:pk>/", matches.match_detail, name="match_detail"),
    path("scheme/matches/<id:pk>/staff/", matches.match_staff, name="match_staff"),
    path("scheme/matches/<id:pk>/cancel/", matches.match_cancel, name="match_cancel"),
    path("scheme/matches/<id:pk>/move/", matches.match_move, name="match_move"),
]
