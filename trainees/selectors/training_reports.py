"""What the 研修報告書 pages read: the trainee's page, a reader's page, the PDF's submitted
text, and, for pages over many trainees (the contact's, the host's), each enrolment's state in
one query."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from programs.confirmations import (
    CONFIRMED_FIELDS,
    Confirmation,
    confirmation_from_row,
    confirmation_of,
)

from ..models import REPORT_TEXT_LIMIT, TrainingReport, TrainingReportStatus
from ..services import training_reports as services
from ..services.reflections import day_label

NONE, DRAFT, SUBMITTED, CONFIRMED = "none", "draft", "submitted", "confirmed"


def part_labels() -> dict:
    return {
        "impressions": _("Impressions (所感)"),
        "application": _("Use in my work (今後の業務への活用)"),
    }


def write_page(enrollment, today: date, *, values=None, errors=None) -> dict:
    """The trainee's page: closed (with the day it opens), the form (the saved draft, or the
    first draft from their own text), or their submitted report with its 確認."""
    report = (
        TrainingReport.objects.filter(enrollment=enrollment)
        .select_related("municipality_confirmed_by")
        .first()
    )
    opened = services.is_open(enrollment, today)
    if values is None:
        if report is not None:
            values = report.content()
        else:
            values = services.first_draft(enrollment) if opened else {}
    errors = errors or {}
    labels = part_labels()
    return {
        "enrollment": enrollment,
        "program": enrollment.program,
        "report": report,
        "open": opened,
        "opens_on": services.opens_on(enrollment),
        "submitted": report is not None and report.is_submitted,
        "prefilled": report is None and any(values.values()),
        "parts": [
            {
                "name": name,
                "label": label,
                "value": values.get(name, ""),
                "error": errors.get(name, ""),
                "count": len(values.get(name, "") or ""),
            }
            for name, label in labels.items()
        ],
        "limit": REPORT_TEXT_LIMIT,
        "errors": errors,
        "form_error": errors.get("__all__", ""),
        "replaced": list(report.replaced_drafts.all()) if report else [],
    }


def submitted_training_report(enrollment) -> TrainingReport | None:
    """The text the trainee submitted (the PDF prints exactly this), or None."""
    return (
        TrainingReport.objects.filter(enrollment=enrollment, status=TrainingReportStatus.SUBMITTED)
        .select_related("municipality_confirmed_by")
        .first()
    )


@dataclass(frozen=True)
class TrainingReportState:
    """One enrolment's 研修報告書 for a list: `state` none, draft, submitted or confirmed
    (自治体確認済み); `confirmation` its 確認 (who and when); `url` the reader's page once
    submitted; `confirm_url` where the contact's button posts."""

    enrollment_id: int
    municipality_id: int | None
    state: str
    confirmation: Confirmation
    submitted_at: object = None
    url: str = ""
    confirm_url: str = ""

    @property
    def label(self) -> str:
        return {
            NONE: _("Not started"),
            DRAFT: _("Draft"),
            SUBMITTED: _("Submitted"),
            CONFIRMED: self.confirmation.label,
        }[self.state]


def training_report_states(enrollment_ids) -> dict[int, TrainingReportState]:
    """Each enrolment's 研修報告書 state, in one query (none when not started). Callers
    decide who may read them (a draft's text is never read here)."""
    ids = list(enrollment_ids)
    rows = TrainingReport.objects.filter(enrollment__in=ids).values(
        "pk",
        "enrollment_id",
        "enrollment__municipality_id",
        "status",
        "submitted_at",
        *CONFIRMED_FIELDS,
    )
    found = {}
    for row in rows:
        submitted = row["status"] == TrainingReportStatus.SUBMITTED
        confirmation = confirmation_from_row(submitted, row)
        state = (
            (CONFIRMED if confirmation.state == "confirmed" else SUBMITTED) if submitted else DRAFT
        )
        found[row["enrollment_id"]] = TrainingReportState(
            enrollment_id=row["enrollment_id"],
            municipality_id=row["enrollment__municipality_id"],
            state=state,
            confirmation=confirmation,
            submitted_at=row["submitted_at"],
            url=reverse("trainees:training_report_detail", args=[row["pk"]]) if submitted else "",
            confirm_url=reverse("trainees:training_report_confirm", args=[row["pk"]])
            if submitted
            else "",
        )
    return {
        pk: found.get(pk) or TrainingReportState(pk, None, NONE, confirmation_of(False, None))
        for pk in ids
    }


def opens_label(enrollment) -> str:
    return day_label(services.opens_on(enrollment))


def training_reports_waiting(program) -> list[TrainingReportState]:
    """The program's submitted 研修報告書 still waiting for the municipality's 確認, oldest
    first, in one query (plus none per row)."""
    ids = (
        TrainingReport.objects.filter(enrollment__program=program)
        .waiting_for_municipality()
        .order_by("submitted_at", "pk")
        .values_list("enrollment_id", flat=True)
    )
    states = training_report_states(ids)
    return list(states.values())
