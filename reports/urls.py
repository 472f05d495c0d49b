from django.urls import path

from . import views

urlpatterns = [
    path("interviews/<int:pk>/article/", views.article_preview, name="article_preview"),
    path("interviews/<int:pk>/article.md", views.article_markdown, name="article_markdown"),
    path("interviews/<int:pk>/article.html", views.article_html, name="article_html"),
]

from . import trip_views  # noqa: E402

trip = "programs/<int:pk>/trips/<int:trip_pk>/"
urlpatterns += [
    path(trip + "itinerary/", trip_views.itinerary_print, name="itinerary_print"),
    path(trip + "itinerary.pdf", trip_views.itinerary_pdf, name="itinerary_pdf"),
    path(trip + "expenses.csv", trip_views.trip_expenses_csv, name="trip_expenses_csv"),
    path("documents/<int:pk>/", trip_views.report_status, name="report_status"),
    path("documents/<int:pk>/retry/", trip_views.report_retry, name="report_retry"),
    path("documents/<int:pk>/download/", trip_views.report_download, name="report_download"),
]
