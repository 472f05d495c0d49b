from django.urls import path

from programs import integers  # noqa: F401 (registers the <id:…> converter)

from .views import expenses, legs, planning, seminars, travel_rules, trip_reports, trips

trip = "programs/<id:pk>/trips/<id:trip_pk>/"
seminar = "programs/<id:pk>/seminars/<id:seminar_pk>/"

app_name = "seminars"

urlpatterns = [
    path("programs/<id:pk>/trips/", trips.trip_list, name="trip_list"),
    path("programs/<id:pk>/trips/new/", trips.trip_new, name="trip_new"),
    path(trip, trips.trip_detail, name="trip_detail"),
    path(trip + "edit/", trips.trip_edit, name="trip_edit"),
    path(trip + "legs/new/", legs.leg_edit, name="leg_new"),
    path(trip + "legs/<id:leg_pk>/", legs.leg_edit, name="leg_edit"),
    path(trip + "legs/<id:leg_pk>/delete/", legs.leg_delete, name="leg_delete"),
    path(trip + "legs/table/", planning.leg_table, name="leg_table"),
    path(trip + "seminars/plan/", planning.seminar_table, name="seminar_table"),
    path(trip + "placeholders/remove/", planning.placeholders_remove, name="placeholders_remove"),
    path(trip + "expenses/", expenses.trip_expenses, name="trip_expenses"),
    path(trip + "expenses/new/", expenses.expense_edit, name="expense_new"),
    path(trip + "expenses/recompute/", expenses.expenses_recompute, name="expenses_recompute"),
    path(trip + "expenses/<id:expense_pk>/", expenses.expense_edit, name="expense_edit"),
    path(trip + "expenses/<id:expense_pk>/delete/", expenses.expense_delete, name="expense_delete"),
    path(trip + "report/", trip_reports.trip_report_write, name="trip_report_write"),
    path(trip + "report/autosave/", trip_reports.trip_report_autosave, name="trip_report_autosave"),
    path(
        trip + "reports/<id:report_pk>/", trip_reports.trip_report_detail, name="trip_report_detail"
    ),
    path(
        trip + "reports/<id:report_pk>/acknowledge/",
        trip_reports.trip_report_acknowledge,
        name="trip_report_acknowledge",
    ),
    path(
        trip + "reports/<id:report_pk>/confirm/",
        trip_reports.trip_report_confirm,
        name="trip_report_confirm",
    ),
    path("travel-rules/", travel_rules.travel_rules, name="travel_rules"),
    path(
        "travel-rules/hosts/<id:host_pk>/",
        travel_rules.host_travel_rules,
        name="host_travel_rules",
    ),
    path(
        "travel-rules/municipalities/<id:municipality_pk>/",
        travel_rules.municipality_travel_rules,
        name="municipality_travel_rules",
    ),
    path("programs/<id:pk>/seminars/new/", seminars.seminar_edit, name="seminar_new"),
    path(seminar, seminars.seminar_detail, name="seminar_detail"),
    path(seminar + "edit/", seminars.seminar_edit, name="seminar_edit"),
    path(seminar + "delete/", seminars.seminar_delete, name="seminar_delete"),
    path(seminar + "roles/", seminars.seminar_roles, name="seminar_roles"),
    path(seminar + "follow-ups/", seminars.follow_up_add, name="follow_up_add"),
    path(
        seminar + "follow-ups/<id:follow_up_pk>/done/",
        seminars.follow_up_done,
        name="follow_up_done",
    ),
    path(seminar + "materials/", seminars.material_upload, name="material_upload"),
    path(
        seminar + "materials/<id:material_pk>/",
        seminars.material_download,
        name="material_download",
    ),
    path(
        seminar + "materials/<id:material_pk>/delete/",
        seminars.material_delete,
        name="material_delete",
    ),
]
