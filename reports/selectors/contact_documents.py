"""The documents the contact may download, per program (newest first): the program report
made for their municipality and each of their trainees' 研修報告書, the latest version of
each. Two queries whatever the number of programs and trainees."""

from django.urls import reverse

from ..access import contact_enrollments
from ..models import Report, ReportKind, program_scope


def documents(user) -> dict:
    enrollments = list(
        contact_enrollments(user)
        .filter(withdrawn_at__isnull=True)
        .select_related("trainee", "municipality", "program__host")
        .order_by("-program__start_date", "program", "trainee__family_name_kana", "trainee__email")
    )
    latest = {}
    for report in (
        Report.objects.visible_to(user)
        .filter(
            kind__in=(ReportKind.PROGRAM, ReportKind.TRAINEE),
            program__in={e.program_id for e in enrollments},
        )
        .order_by("version")
    ):
        latest[report.scope] = report  # ordered by version: the newest stays
    programs = {}
    for e in enrollments:
        entry = programs.setdefault(
            e.program_id,
            {
                "program": e.program,
                "page_url": reverse("reports:program_documents", args=[e.program_id]),
                "reports": {},
                "trainees": [],
            },
        )
        scope = program_scope(e.program, e.municipality)
        entry["reports"].setdefault(
            scope, {"municipality": e.municipality, "latest": latest.get(scope)}
        )
        entry["trainees"].append(
            {
                "enrollment": e,
                "latest": latest.get(f"enrollment:{e.pk}"),
                "page_url": reverse("reports:contact_trainee", args=[e.pk]),
            }
        )
    return {
        "programs": [
            {**entry, "reports": list(entry["reports"].values())} for entry in programs.values()
        ]
    }
