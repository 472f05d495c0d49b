from django.urls import path

from programs import integers  # noqa: F401 (registers the <id:…> converter)

from . import views

app_name = "reports"

urlpatterns = [
    path("interviews/<id:pk>/article/", views.article_preview, name="article_preview"),
    path("interviews/<id:pk>/article.md", views.article_markdown, name="article_markdown"),
    path("interviews/<id:pk>/article.html", views.article_html, name="article_html"),
]

from . import trip_views  # noqa: E402

trip = "programs/<id:pk>/trips/<id:trip_pk>/"
urlpatterns += [
    path(trip + "itinerary/", trip_views.itinerary_print, name="itinerary_print"),
    path(trip + "itinerary.pdf", trip_views.itinerary_pdf, name="itinerary_pdf"),
    path(trip + "expenses.csv", trip_views.trip_expenses_csv, name="trip_expenses_csv"),
]

from . import document_views  # noqa: E402

urlpatterns += [
    path("documents/<id:pk>/", document_views.report_status, name="report_status"),
    path("documents/<id:pk>/retry/", document_views.report_retry, name="report_retry"),
    path("documents/<id:pk>/download/", document_views.report_download, name="report_download"),
]

from . import program_views  # noqa: E402

program = "programs/<id:pk>/"
urlpatterns += [
    path(program + "documents/", program_views.documents_page, name="program_documents"),
    path(program + "report/", program_views.program_report_print, name="program_report_print"),
    path(program + "report.pdf", program_views.program_report_pdf, name="program_report_pdf"),
    path(
        program + "trainees/<id:enrollment_pk>/report/",
        program_views.trainee_report_print,
        name="trainee_report_print",
    ),
    path(
        program + "trainees/<id:enrollment_pk>/report.pdf",
        program_views.trainee_report_pdf,
        name="trainee_report_pdf",
    ),
    path("reports/fiscal-year/", program_views.fiscal_year_print, name="fiscal_year_print"),
    path("reports/fiscal-year.pdf", program_views.fiscal_year_pdf, name="fiscal_year_pdf"),
]

from .export_urls import urlpatterns as _exports  # noqa: E402

urlpatterns += _exports
