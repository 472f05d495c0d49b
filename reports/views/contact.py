"""The contact's pages (the supervisor of a municipality): their home, a table of their
municipality's trainees with how each is doing; the same table as CSV; a trainee's page; and
the documents they may download. Only the supervisors of the trainee's municipality see
them; everyone else gets 404."""

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from programs import registry

from .. import access, forms
from ..documents import csv_rows  # every cell goes through documents.safe_cell
from ..selectors import contact_documents, contact_home, contact_trainee


def _table(request):
    """The rows on the contact's day, and the filters as chosen."""
    access.contact_only(request.user)
    year, program = forms.contact_filters(request.GET)
    chosen = contact_home.filter_choices(request.user, year, program)
    today = timezone.localdate()
    rows = contact_home.home_rows(
        request.user, today, year=chosen["year"], program=chosen["program"]
    )
    return rows, {**chosen, "today": today}


def municipality_home(request):
    rows, chosen = _table(request)
    query = request.GET.urlencode()
    return render(
        request,
        "reports/contact_home.html",
        {
            "rows": rows,
            **chosen,
            "csv_url": contact_home.csv_url(query),
            "due": registry.due_for(request.user, timezone.now()),
        },
    )


def municipality_home_csv(request):
    rows, chosen = _table(request)
    header, lines = contact_home.csv_table(rows)
    response = StreamingHttpResponse(
        csv_rows(header, lines), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, contact_home.csv_filename(chosen["year"], chosen["program"])
    )
    response["Cache-Control"] = "private, no-store"
    return response


def trainee_page(request, pk: int):
    enrollment = access.get_contact_enrollment_for_user(request.user, pk)
    return render(
        request,
        "reports/contact_trainee.html",
        contact_trainee.trainee_page(request.user, enrollment, timezone.localdate()),
    )


def documents(request):
    """The documents the contact may download: per program, the report made for their
    municipality and each trainee's 研修報告書, latest version."""
    access.contact_only(request.user)
    return render(
        request, "reports/contact_documents.html", contact_documents.documents(request.user)
    )
