from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("host/", views.host_home, name="host_home"),
    path("hosts/<int:pk>/people/", views.host_people, name="host_people"),
    path("hosts/<int:pk>/invitations/new/", views.invitation_create, name="invitation_create"),
    path(
        "hosts/<int:pk>/invitations/<int:invitation_pk>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "hosts/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "hosts/<int:pk>/members/<int:membership_pk>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("today/", views.trainee_today, name="trainee_today"),
    path("municipality/", views.municipality_home, name="municipality_home"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("language/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
]
