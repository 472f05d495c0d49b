"""The 復命書 of many enrolments at once, for pages over many trainees (the contact's, the
host's list of what waits for the municipality): each filed report's 確認, in one query."""

from dataclasses import dataclass

from django.urls import reverse

from programs.confirmations import CONFIRMED_FIELDS, Confirmation, confirmation_from_row

from ..models import TEXT_LIMIT, TripReport, TripReportStatus
from ..services import trip_reports as report_services


@dataclass(frozen=True)
class TripReportConfirmation:
    """One filed 復命書: its trip, when it was submitted, its 確認 (who and when), the
    readers' page (`url`) and where the contact's button posts (`confirm_url`)."""

    pk: int
    enrollment_id: int
    municipality_id: int | None
    purpose: str
    submitted_at: object
    confirmation: Confirmation
    url: str
    confirm_url: str


def filed_trip_reports(reports) -> list[TripReportConfirmation]:
    """The filed (not draft) reports of the queryset `reports`, in one query."""
    rows = (
        reports.exclude(status=TripReportStatus.DRAFT)
        .order_by("submitted_at", "pk")
        .values(
            "pk",
            "enrollment_id",
            "enrollment__municipality_id",
            "trip_id",
            "trip__program_id",
            "trip__purpose",
            "submitted_at",
            *CONFIRMED_FIELDS,
        )
    )
    found = []
    for row in rows:
        args = [row["trip__program_id"], row["trip_id"], row["pk"]]
        found.append(
            TripReportConfirmation(
                pk=row["pk"],
                enrollment_id=row["enrollment_id"],
                municipality_id=row["enrollment__municipality_id"],
                purpose=row["trip__purpose"],
                submitted_at=row["submitted_at"],
                confirmation=confirmation_from_row(True, row),
                url=reverse("seminars:trip_report_detail", args=args),
                confirm_url=reverse("seminars:trip_report_confirm", args=args),
            )
        )
    return found


def trip_report_confirmations(enrollment_ids) -> dict[int, list[TripReportConfirmation]]:
    """Each enrolment's filed 復命書 with their 確認, in one query (an enrolment with none
    has an empty list). Callers decide who may read them."""
    ids = list(enrollment_ids)
    by_enrollment: dict[int, list[TripReportConfirmation]] = {pk: [] for pk in ids}
    for item in filed_trip_reports(TripReport.objects.filter(enrollment__in=ids)):
        by_enrollment[item.enrollment_id].append(item)
    return by_enrollment


def trip_reports_waiting(program) -> list[TripReportConfirmation]:
    """The program's filed 復命書 still waiting for the municipality's 確認, oldest first."""
    reports = TripReport.objects.filter(
        trip__program=program, municipality_confirmed_at__isnull=True
    )
    return filed_trip_reports(reports)


def write_page(program, trip, report: TripReport, form, *, writable: bool) -> dict:
    """The trainee's page of their 復命書: the trip's part, the three texts (each with its
    counter and any error), the drafts another device replaced, and whether the page saves
    as they type (a draft that may still change; a filed report changes by submitting)."""
    locked = (
        report.status == TripReportStatus.ACKNOWLEDGED
        or report.municipality_confirmed_at is not None
        or not writable
    )
    parts = []
    for field in form:
        value = field.value() or ""
        parts.append(
            {
                "name": field.name,
                "label": field.label,
                "value": value,
                "error": field.errors[0] if field.errors else "",
                "count": len(value.replace("\r\n", "\n").strip()),
                "rows": field.field.widget.attrs.get("rows", 6),
            }
        )
    labels = {part["name"]: part["label"] for part in parts}
    replaced = []
    if report.pk is not None:
        replaced = [
            {
                "when": draft.replaced_at,
                "parts": [(labels[n], draft.content.get(n, "")) for n in labels],
            }
            for draft in report.replaced_drafts.all()
        ]
    return {
        "program": program,
        "trip": trip,
        "report": report,
        "header": report_services.header(report),
        "form": form,
        "parts": parts,
        "limit": TEXT_LIMIT,
        "replaced": replaced,
        "saved_row": report if report.pk is not None else None,
        "locked": locked,
        "autosave": not locked and report.status == TripReportStatus.DRAFT,
    }
