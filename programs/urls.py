from django.urls import path

from .views import core, feeds, programs, reminders, week

urlpatterns = [
    path("", core.home, name="home"),
    path("host/", core.host_home, name="host_home"),
    path("hosts/<int:pk>/people/", core.host_people, name="host_people"),
    path("hosts/<int:pk>/invitations/new/", core.invitation_create, name="invitation_create"),
    path(
        "hosts/<int:pk>/invitations/<int:invitation_pk>/resend/",
        core.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "hosts/<int:pk>/invitations/<int:invitation_pk>/address/",
        core.invitation_address,
        name="invitation_address",
    ),
    path(
        "hosts/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        core.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "hosts/<int:pk>/members/<int:membership_pk>/remove/",
        core.membership_remove,
        name="membership_remove",
    ),
    path("programs/", programs.program_list, name="program_list"),
    path("programs/new/", programs.program_create, name="program_create"),
    path("programs/<int:pk>/", programs.program_detail, name="program_detail"),
    path("programs/<int:pk>/edit/", programs.program_edit, name="program_edit"),
    path("programs/<int:pk>/status/", programs.program_move, name="program_move"),
    path("programs/<int:pk>/enrol/", programs.enrollment_create, name="enrollment_create"),
    path(
        "programs/<int:pk>/enrolments/<int:enrollment_pk>/withdraw/",
        programs.enrollment_withdraw,
        name="enrollment_withdraw",
    ),
    path("programs/<int:pk>/invite/", programs.invite_trainee, name="invite_trainee"),
    path(
        "programs/<int:pk>/invitations/<int:invitation_pk>/address/",
        core.program_invitation_address,
        name="program_invitation_address",
    ),
    path("programs/<int:pk>/roster/", programs.roster_upload, name="roster_upload"),
    path(
        "programs/<int:pk>/roster/<int:import_pk>/", programs.roster_import, name="roster_import"
    ),
    path(
        "programs/<int:pk>/roster/<int:import_pk>/confirm/",
        programs.roster_confirm,
        name="roster_confirm",
    ),
    path("programs/<int:pk>/week/", week.week_grid, name="week_grid"),
    path("programs/<int:pk>/week/activities/", week.activity_save, name="activity_create"),
    path(
        "programs/<int:pk>/week/activities/<int:activity_pk>/",
        week.activity_save,
        name="activity_update",
    ),
    path(
        "programs/<int:pk>/week/activities/<int:activity_pk>/move/",
        week.activity_move,
        name="activity_move",
    ),
    path(
        "programs/<int:pk>/week/activities/<int:activity_pk>/delete/",
        week.activity_cancel,
        name="activity_cancel",
    ),
    path("programs/<int:pk>/week/templates/", week.week_tools, name="week_tools"),
    path("programs/<int:pk>/week/template/", week.week_apply_template, name="week_apply_template"),
    path("programs/<int:pk>/week/copy/", week.week_copy, name="week_copy"),
    path(
        "programs/<int:pk>/week/save-template/", week.week_save_template, name="week_save_template"
    ),
    path("activities/<int:pk>.ics", feeds.activity_ics, name="activity_ics"),
    path("calendar/", feeds.calendar_feeds, name="calendar_feeds"),
    path("reminders/", reminders.reminder_settings, name="reminder_settings"),
    path("reminders/off/<str:token>/", reminders.reminder_off, name="reminder_off"),
    path(
        "calendar/<int:pk>/regenerate/",
        feeds.calendar_feed_regenerate,
        name="calendar_feed_regenerate",
    ),
    path("feeds/<str:token>.ics", feeds.calendar_feed, name="calendar_feed"),
    path("today/", core.trainee_today, name="trainee_today"),
    path("my/week/", week.trainee_week, name="trainee_week"),
    path("municipality/", core.municipality_home, name="municipality_home"),
    path("invitations/<str:token>/", core.invitation_accept, name="invitation_accept"),
    path("language/", core.set_language, name="set_language"),
    path("healthz", core.healthz, name="healthz"),
]
