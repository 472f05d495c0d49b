"""The CSV exports (reports/exports.py): their page and the five files."""

from django.urls import path

from . import exports

urlpatterns = [
    path("exports/", exports.exports_page, name="exports"),
    path("exports/programs.csv", exports.export_programs, name="export_programs"),
    path("exports/enrollments.csv", exports.export_enrollments, name="export_enrollments"),
    path("exports/reflections.csv", exports.export_reflections, name="export_reflections"),
    path("exports/seminars.csv", exports.export_seminars, name="export_seminars"),
    path("exports/expenses.csv", exports.export_expenses, name="export_expenses"),
]
