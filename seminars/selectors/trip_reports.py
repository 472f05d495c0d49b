"""The 復命書 of many enrolments at once, for pages over many trainees (the contact's, the
host's list of what waits for the municipality): each filed report's 確認, in one query."""

from dataclasses import dataclass

from django.urls import reverse

from programs.confirmations import CONFIRMED_FIELDS, Confirmation, confirmation_from_row

from ..models import TripReport, TripReportStatus


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
