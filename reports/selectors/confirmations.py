"""The municipality's 確認 over many trainees, from both kinds of filed documents (the
trainees' 研修報告書, the seminars' 復命書): for the contact's pages, each enrolment's states;
for the host, what still waits for the municipality. Constant queries whatever the rows."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from programs.models import Enrollment, Membership, Role
from seminars.models import TripReport, TripReportStatus
from seminars.selectors.trip_reports import (
    TripReportConfirmation,
    trip_report_confirmations,
    trip_reports_waiting,
)
from trainees.models import TrainingReport
from trainees.selectors.training_reports import (
    TrainingReportState,
    training_report_states,
    training_reports_waiting,
)


@dataclass
class EnrolmentConfirmations:
    """One enrolment's documents for the contact: the 研修報告書's state (none, draft,
    submitted, confirmed), each filed 復命書's 確認, and whether this person may confirm."""

    training_report: TrainingReportState
    trip_reports: list[TripReportConfirmation] = field(default_factory=list)
    can_confirm: bool = False


def supervised_municipalities(user) -> set[int]:
    return set(
        Membership.objects.filter(user=user, role=Role.SUPERVISOR).values_list(
            "municipality_id", flat=True
        )
    )


def municipality_confirmations(enrollments, user) -> dict[int, EnrolmentConfirmations]:
    """For `enrollments` (rows or ids the caller has already scoped to `user`): each one's
    研修報告書 state and 復命書 確認, and whether `user` is a contact of its municipality
    (then the partial shows the button). Four queries, whatever the number of rows."""
    ids = [getattr(e, "pk", e) for e in enrollments]
    reports = training_report_states(ids)
    trips = trip_report_confirmations(ids)
    mine = supervised_municipalities(user)
    municipality_of = dict(
        Enrollment.objects.filter(pk__in=ids).values_list("pk", "municipality_id")
    )
    return {
        pk: EnrolmentConfirmations(
            training_report=reports[pk],
            trip_reports=trips[pk],
            can_confirm=municipality_of.get(pk) in mine,
        )
        for pk in ids
    }


@dataclass(frozen=True)
class WaitingDocument:
    kind: str  # "training_report" or "trip_report"
    title: str
    trainee: str
    municipality: str
    submitted_at: object
    url: str


def awaiting_confirmation(program) -> list[WaitingDocument]:
    """The program's filed 研修報告書 and 復命書 still 自治体確認待ち, with the trainee and the
    municipality, oldest first. Three queries."""
    people = {
        e.pk: e
        for e in Enrollment.objects.filter(program=program).select_related(
            "trainee", "municipality"
        )
    }
    rows = [
        (
            "training_report",
            _("Training report (研修報告書)"),
            s.enrollment_id,
            s.submitted_at,
            s.url,
        )
        for s in training_reports_waiting(program)
    ] + [
        (
            "trip_report",
            _("Trip report (%(purpose)s)") % {"purpose": t.purpose},
            t.enrollment_id,
            t.submitted_at,
            t.url,
        )
        for t in trip_reports_waiting(program)
    ]
    rows.sort(key=lambda row: (row[3], row[2]))
    return [
        WaitingDocument(
            kind=kind,
            title=title,
            trainee=people[enrollment_id].trainee.display_name,
            municipality=people[enrollment_id].municipality.name,
            submitted_at=submitted_at,
            url=url,
        )
        for kind, title, enrollment_id, submitted_at, url in rows
    ]


def waiting_count(program) -> int:
    """How many of the program's filed documents wait for the municipality (two counts)."""
    return (
        TrainingReport.objects.filter(enrollment__program=program)
        .waiting_for_municipality()
        .count()
        + TripReport.objects.filter(trip__program=program, municipality_confirmed_at__isnull=True)
        .exclude(status=TripReportStatus.DRAFT)
        .count()
    )
