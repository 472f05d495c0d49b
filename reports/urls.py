from django.urls import path

from programs import integers  # noqa: F401 (registers the <id:…> converter)

from .views import (
    articles,
    confirmations,
    contact,
    documents,
    exports,
    letterheads,
    office,
    programs,
    trips,
)

app_name = "reports"

trip = "programs/<id:pk>/trips/<id:trip_pk>/"
program = "programs/<id:pk>/"

urlpatterns = [
    path("interviews/<id:pk>/article/", articles.article_preview, name="article_preview"),
    path("interviews/<id:pk>/article.md", articles.article_markdown, name="article_markdown"),
    path("interviews/<id:pk>/article.html", articles.article_html, name="article_html"),
    path(trip + "itinerary/", trips.itinerary_print, name="itinerary_print"),
    path(trip + "itinerary.pdf", trips.itinerary_pdf, name="itinerary_pdf"),
    path(trip + "expenses.csv", trips.trip_expenses_csv, name="trip_expenses_csv"),
    path("documents/<id:pk>/", documents.report_status, name="report_status"),
    path("documents/<id:pk>/retry/", documents.report_retry, name="report_retry"),
    path("documents/<id:pk>/share/", office.report_share, name="report_share"),
    path("documents/<id:pk>/download/", documents.report_download, name="report_download"),
    path(program + "documents/", programs.documents_page, name="program_documents"),
    path(
        program + "awaiting-confirmation/",
        confirmations.awaiting_confirmation_page,
        name="awaiting_confirmation",
    ),
    path(program + "report/", programs.program_report_print, name="program_report_print"),
    path(program + "report.pdf", programs.program_report_pdf, name="program_report_pdf"),
    path(
        program + "trainees/<id:enrollment_pk>/report/",
        programs.trainee_report_print,
        name="trainee_report_print",
    ),
    path(
        program + "trainees/<id:enrollment_pk>/report.pdf",
        programs.trainee_report_pdf,
        name="trainee_report_pdf",
    ),
    path("reports/fiscal-year/", programs.fiscal_year_print, name="fiscal_year_print"),
    path("reports/fiscal-year.pdf", programs.fiscal_year_pdf, name="fiscal_year_pdf"),
    # The contact's pages: their trainees (home), the same table as CSV, a trainee, documents.
    path("municipality/", contact.municipality_home, name="municipality_home"),
    path("municipality/trainees.csv", contact.municipality_home_csv, name="municipality_home_csv"),
    path("municipality/trainees/<id:pk>/", contact.trainee_page, name="contact_trainee"),
    path("municipality/documents/", contact.documents, name="contact_documents"),
    path(
        "municipalities/<id:pk>/letterhead/",
        letterheads.letterhead_edit,
        name="letterhead_edit",
    ),
    # The scheme office's year: every program of the scheme, and the 年度 report as CSV (its
    # print view and PDF: the fiscal-year summary's, across hosts).
    path("office/year/", office.office_year_page, name="office_year"),
    path("office/year.csv", office.office_year_csv, name="office_year_csv"),
    # The CSV exports: their page and the five files.
    path("exports/", exports.exports_page, name="exports"),
    path("exports/programs.csv", exports.export_programs, name="export_programs"),
    path("exports/enrollments.csv", exports.export_enrollments, name="export_enrollments"),
    path("exports/reflections.csv", exports.export_reflections, name="export_reflections"),
    path("exports/seminars.csv", exports.export_seminars, name="export_seminars"),
    path("exports/expenses.csv", exports.export_expenses, name="export_expenses"),
]
