from django.urls import path

from . import integers  # noqa: F401 (registers the <id:…> converter)
from .views import (
    accounts,
    feeds,
    health,
    home,
    invitations,
    people,
    programs,
    reminders,
    roster,
    week,
    week_tools,
)

app_name = "programs"

urlpatterns = [
    path("", home.home, name="home"),
    path("host/", home.host_home, name="host_home"),
    path("hosts/<id:pk>/people/", people.host_people, name="host_people"),
    path("hosts/<id:pk>/invitations/new/", invitations.invitation_create, name="invitation_create"),
    path(
        "hosts/<id:pk>/invitations/<id:invitation_pk>/resend/",
        invitations.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "hosts/<id:pk>/invitations/<id:invitation_pk>/address/",
        invitations.invitation_address,
        name="invitation_address",
    ),
    path(
        "hosts/<id:pk>/invitations/<id:invitation_pk>/revoke/",
        invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "hosts/<id:pk>/members/<id:membership_pk>/remove/",
        people.membership_remove,
        name="membership_remove",
    ),
    path("programs/", programs.program_list, name="program_list"),
    path("programs/new/", programs.program_create, name="program_create"),
    path("programs/<id:pk>/", programs.program_detail, name="program_detail"),
    path("programs/<id:pk>/edit/", programs.program_edit, name="program_edit"),
    path("programs/<id:pk>/status/", programs.program_move, name="program_move"),
    path("programs/<id:pk>/enrol/", programs.enrollment_create, name="enrollment_create"),
    path(
        "programs/<id:pk>/enrolments/<id:enrollment_pk>/withdraw/",
        programs.enrollment_withdraw,
        name="enrollment_withdraw",
    ),
    path("programs/<id:pk>/invite/", invitations.invite_trainee, name="invite_trainee"),
    path(
        "programs/<id:pk>/invitations/<id:invitation_pk>/address/",
        invitations.program_invitation_address,
        name="program_invitation_address",
    ),
    path("programs/<id:pk>/roster/", roster.roster_upload, name="roster_upload"),
    path("programs/<id:pk>/roster/<id:import_pk>/", roster.roster_import, name="roster_import"),
    path(
        "programs/<id:pk>/roster/<id:import_pk>/confirm/",
        roster.roster_confirm,
        name="roster_confirm",
    ),
    path("programs/<id:pk>/week/", week.week_grid, name="week_grid"),
    path("programs/<id:pk>/week/activities/", week.activity_save, name="activity_create"),
    path(
        "programs/<id:pk>/week/activities/<id:activity_pk>/",
        week.activity_save,
        name="activity_update",
    ),
    path(
        "programs/<id:pk>/week/activities/<id:activity_pk>/move/",
        week.activity_move,
        name="activity_move",
    ),
    path(
        "programs/<id:pk>/week/activities/<id:activity_pk>/delete/",
        week.activity_cancel,
        name="activity_cancel",
    ),
    path("programs/<id:pk>/week/templates/", week_tools.week_tools, name="week_tools"),
    path(
        "programs/<id:pk>/week/template/",
        week_tools.week_apply_template,
        name="week_apply_template",
    ),
    path("programs/<id:pk>/week/copy/", week_tools.week_copy, name="week_copy"),
    path(
        "programs/<id:pk>/week/save-template/",
        week_tools.week_save_template,
        name="week_save_template",
    ),
    path("activities/<id:pk>.ics", feeds.activity_ics, name="activity_ics"),
    path("calendar/", feeds.calendar_feeds, name="calendar_feeds"),
    path("reminders/", reminders.reminder_settings, name="reminder_settings"),
    path("reminders/off/<str:token>/", reminders.reminder_off, name="reminder_off"),
    path(
        "calendar/<id:pk>/regenerate/",
        feeds.calendar_feed_regenerate,
        name="calendar_feed_regenerate",
    ),
    path("feeds/<str:token>.ics", feeds.calendar_feed, name="calendar_feed"),
    path("today/", home.trainee_today, name="trainee_today"),
    path("my/week/", week.trainee_week, name="trainee_week"),
    path("municipality/", home.municipality_home, name="municipality_home"),
    path("invitations/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("language/", accounts.set_language, name="set_language"),
    path("healthz", health.healthz, name="healthz"),
]
