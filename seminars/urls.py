from django.urls import path

from programs import integers  # noqa: F401 (registers the <id:…> converter)

from . import views

trip = "programs/<id:pk>/trips/<id:trip_pk>/"
seminar = "programs/<id:pk>/seminars/<id:seminar_pk>/"

app_name = "seminars"

urlpatterns = [
    path("programs/<id:pk>/trips/", views.trip_list, name="trip_list"),
    path("programs/<id:pk>/trips/new/", views.trip_new, name="trip_new"),
    path(trip, views.trip_detail, name="trip_detail"),
    path(trip + "edit/", views.trip_edit, name="trip_edit"),
    path(trip + "legs/new/", views.leg_edit, name="leg_new"),
    path(trip + "legs/<id:leg_pk>/", views.leg_edit, name="leg_edit"),
    path(trip + "legs/<id:leg_pk>/delete/", views.leg_delete, name="leg_delete"),
    path(trip + "expenses/", views.trip_expenses, name="trip_expenses"),
    path(trip + "expenses/new/", views.expense_edit, name="expense_new"),
    path(trip + "expenses/<id:expense_pk>/", views.expense_edit, name="expense_edit"),
    path(trip + "expenses/<id:expense_pk>/delete/", views.expense_delete, name="expense_delete"),
    path(trip + "report/", views.trip_report_write, name="trip_report_write"),
    path(trip + "reports/<id:report_pk>/", views.trip_report_detail, name="trip_report_detail"),
    path(
        trip + "reports/<id:report_pk>/acknowledge/",
        views.trip_report_acknowledge,
        name="trip_report_acknowledge",
    ),
    path("programs/<id:pk>/seminars/new/", views.seminar_edit, name="seminar_new"),
    path(seminar, views.seminar_detail, name="seminar_detail"),
    path(seminar + "edit/", views.seminar_edit, name="seminar_edit"),
    path(seminar + "delete/", views.seminar_delete, name="seminar_delete"),
    path(seminar + "roles/", views.seminar_roles, name="seminar_roles"),
    path(seminar + "follow-ups/", views.follow_up_add, name="follow_up_add"),
    path(
        seminar + "follow-ups/<id:follow_up_pk>/done/",
        views.follow_up_done,
        name="follow_up_done",
    ),
    path(seminar + "materials/", views.material_upload, name="material_upload"),
    path(
        seminar + "materials/<id:material_pk>/",
        views.material_download,
        name="material_download",
    ),
    path(
        seminar + "materials/<id:material_pk>/delete/",
        views.material_delete,
        name="material_delete",
    ),
]
