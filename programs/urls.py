from django.urls import path

from . import integers  # noqa: F401 (registers the <id:…> converter)
from .views import (
    accounts,
    closed_days,
    enrolments,
    feeds,
    health,
    home,
    invitations,
    municipalities,
    offline,
    people,
    programs,
    reminders,
    roster,
    week,
    week_tools,
)

app_name = "programs"

host = "hosts/<id:pk>/"
invitation = host + "invitations/<id:invitation_pk>/"
program = "programs/<id:pk>/"
grid = program + "week/"  # the week grid
activity = grid + "activities/<id:activity_pk>/"

urlpatterns = [
    path("", home.home, name="home"),
    path("host/", home.host_home, name="host_home"),
    path(host + "people/", people.host_people, name="host_people"),
    path(host + "invitations/new/", invitations.invitation_create, name="invitation_create"),
    path(invitation + "resend/", invitations.invitation_resend, name="invitation_resend"),
    path(invitation + "address/", invitations.invitation_address, name="invitation_address"),
    path(invitation + "revoke/", invitations.invitation_revoke, name="invitation_revoke"),
    path(host + "closed-days/", closed_days.closed_days, name="closed_days"),
    path(
        host + "closed-days/<id:closed_pk>/remove/",
        closed_days.closed_day_remove,
        name="closed_day_remove",
    ),
    path(
        host + "members/<id:membership_pk>/phone/",
        people.membership_phone,
        name="membership_phone",
    ),
    path(
        host + "members/<id:membership_pk>/remove/",
        people.membership_remove,
        name="membership_remove",
    ),
    path("programs/", programs.program_list, name="program_list"),
    path("programs/new/", programs.program_create, name="program_create"),
    path(program, programs.program_detail, name="program_detail"),
    path(program + "edit/", programs.program_edit, name="program_edit"),
    path(program + "status/", programs.program_move, name="program_move"),
    path(program + "publish/", programs.program_publish, name="program_publish"),
    path(program + "enrol/", enrolments.enrollment_create, name="enrollment_create"),
    path(
        program + "enrolments/<id:enrollment_pk>/withdraw/",
        enrolments.enrollment_withdraw,
        name="enrollment_withdraw",
    ),
    path(
        program + "enrolments/<id:enrollment_pk>/mentor/",
        enrolments.enrollment_mentor,
        name="enrollment_mentor",
    ),
    path(program + "invite/", invitations.invite_trainee, name="invite_trainee"),
    path(
        program + "invitations/<id:invitation_pk>/address/",
        invitations.program_invitation_address,
        name="program_invitation_address",
    ),
    path(program + "roster/", roster.roster_upload, name="roster_upload"),
    path(program + "roster/<id:import_pk>/", roster.roster_import, name="roster_import"),
    path(program + "roster/<id:import_pk>/confirm/", roster.roster_confirm, name="roster_confirm"),
    path(grid, week.week_grid, name="week_grid"),
    path(grid + "activities/", week.activity_save, name="activity_create"),
    path(activity, week.activity_save, name="activity_update"),
    path(activity + "move/", week.activity_move, name="activity_move"),
    path(activity + "resize/", week.activity_resize, name="activity_resize"),
    path(activity + "delete/", week.activity_cancel, name="activity_cancel"),
    path(activity + "restore/", week.activity_restore, name="activity_restore"),
    path(grid + "templates/", week_tools.week_tools, name="week_tools"),
    path(grid + "template/", week_tools.week_apply_template, name="week_apply_template"),
    path(grid + "copy/", week_tools.week_copy, name="week_copy"),
    path(grid + "save-template/", week_tools.week_save_template, name="week_save_template"),
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
    path("invitations/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("language/", accounts.set_language, name="set_language"),
    path(
        "municipalities/search/",
        municipalities.municipality_search,
        name="municipality_search",
    ),
    path("healthz", health.healthz, name="healthz"),
    # The installable app (programs/offline.py): at the root, so the worker's scope is "/".
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("offline/", offline.offline_page, name="offline_page"),
]
