"""Who may hold a stored document: found through `Report.objects.visible_to` (the host's
people all of their host's; a supervisor their municipality's report and their trainees'
研修報告書; a trainee their own 研修報告書), decided from the database on every request, in
pages, retries and downloads alike. Everyone else gets 404."""

from django.shortcuts import get_object_or_404

from .models import Report


def get_document_for_user(user, pk: int) -> Report:
    return get_object_or_404(
        Report.objects.visible_to(user).select_related(
            "program", "host", "municipality", "enrollment__trainee", "enrollment__municipality"
        ),
        pk=pk,
    )
