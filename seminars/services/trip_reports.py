"""The trip report (復命書): prefilled from the trip, written by the trainee, submitted,
acknowledged by a coordinator. The trip's part is frozen into the report when it is
submitted, so a filed report keeps saying what the trip was."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs import access
from programs import cache as kenshu_cache
from programs.confirmations import seen_token
from programs.formats import show, time_range
from programs.models import Enrollment, Status
from programs.plain_text import check_plain_text
from programs.services.activity_log import record_activity

from ..models import (
    REPORT_FIELDS,
    TEXT_LIMIT,
    Trip,
    TripReport,
    TripReportDraft,
    TripReportStatus,
    TripStatus,
)
from .common import TripRefused, is_coordinator_of, local
from .trips import leg_title, participants, seminars_of

FIELDS = REPORT_FIELDS


@dataclass
class ReportText:
    content: str = ""
    impressions: str = ""
    application: str = ""


def header_for(trip: Trip, enrollment: Enrollment) -> dict:
    """What the trip fills in: 所属, 氏名, 同行者, 日時, 場所, 用務, 訪問先, and the schedule
    (the legs, and the seminars this trainee took part in)."""
    others = [p["name"] for p in participants(trip) if p["enrollment"] != enrollment]
    schedule = [
        {
            "at": local(leg.depart_at).isoformat(),
            "when": f"{show(leg.depart_at, 'day')} {time_range(leg.depart_at, leg.arrive_at)}",
            "what": leg_title(leg),
        }
        for leg in trip.legs.all()
    ]
    visits = []
    for seminar in seminars_of(trip).filter(roles__enrollment=enrollment):
        schedule.append(
            {
                "at": f"{seminar.date.isoformat()}T{seminar.start_time:%H:%M}",
                "when": f"{show(seminar.date, 'day')} "
                f"{time_range(seminar.start_time, seminar.end_time)}",
                "what": " ".join(filter(None, [seminar.title, seminar.venue])),
            }
        )
        place = seminar.partner or seminar.venue
        visits.append(f"{place}（{seminar.address}）" if place and seminar.address else place)
    schedule.sort(key=lambda item: item["at"])
    places = [m.name for m in trip.municipalities.all()] + trip.place_list
    return {
        "affiliation": " ".join(
            filter(None, [enrollment.municipality.name, enrollment.department])
        ),
        "name": enrollment.trainee.display_name,
        "companions": others,
        "start_date": trip.start_date.isoformat(),
        "end_date": trip.end_date.isoformat(),
        "places": places,
        "purpose": trip.purpose,
        "visits": [v for v in dict.fromkeys(visits) if v],
        "schedule": schedule,
    }


def header(report: TripReport) -> dict:
    """The frozen header of a submitted report; the live one of a draft."""
    if report.status != TripReportStatus.DRAFT and report.header:
        return report.header
    return header_for(report.trip, report.enrollment)


def is_closed(trip: Trip) -> bool:
    """A cancelled trip, or a program already reported, takes no more reports."""
    return trip.status == TripStatus.CANCELLED or trip.program.status == Status.REPORTED


def can_write(trip: Trip, today=None) -> bool:
    """From the trip's first day (or once it is marked done), unless it is closed."""
    today = today or timezone.localdate()
    return not is_closed(trip) and (trip.start_date <= today or trip.status == TripStatus.DONE)


def refuse_unless_writable(trip: Trip, today) -> None:
    """The page's automatic save on a trip whose reports are not open (yet, or any more)."""
    if can_write(trip, today):
        return
    if is_closed(trip):
        raise TripRefused(_("This trip's reports are closed."), "locked")
    raise TripRefused(_("You can write your trip report from the first day of the trip."), "locked")


def report_for(trip: Trip, enrollment: Enrollment) -> TripReport:
    """The trainee's report on this trip, created (empty) when it is not there yet; two
    tabs creating it at once get the same row."""
    try:
        with transaction.atomic():
            report, _created = TripReport.objects.get_or_create(trip=trip, enrollment=enrollment)
    except IntegrityError:
        report = TripReport.objects.get(trip=trip, enrollment=enrollment)
    return report


def new_report(trip: Trip, enrollment: Enrollment) -> TripReport:
    """The report a trainee sees before they first save it: empty, and not written (a page
    that shows it writes nothing). `save_report` and `submit` create the row."""
    return TripReport(trip=trip, enrollment=enrollment)


def _locked(report: TripReport, *related: str) -> TripReport:
    """The row as it is now, locked: another tab may have submitted it meanwhile. A report
    not written yet (`new_report`) is created first, inside the caller's transaction, so a
    refused change leaves no row behind."""
    if report.pk is None:
        report = report_for(report.trip, report.enrollment)
    return TripReport.objects.select_for_update().select_related(*related).get(pk=report.pk)


def _check_text(text: ReportText) -> None:
    check_plain_text(
        {name: getattr(text, name) for name in FIELDS}, multiline=FIELDS, refuse=TripRefused
    )
    for name in FIELDS:
        if len(getattr(text, name)) > TEXT_LIMIT:
            raise TripRefused(
                _("At most %(limit)s characters.") % {"limit": TEXT_LIMIT}, field=name
            )


@dataclass
class SavedReport:
    report: TripReport
    applied: bool  # False when nothing changed (a repeated or late save of the same page)


def save_report(
    report: TripReport,
    text: ReportText,
    *,
    by,
    client_id: str = "",
    client_seq: int = 0,
    base_revision: int | None = None,
) -> SavedReport:
    """Keep the trainee's draft, as they type (the page's automatic save) or with the button.
    Only the author writes. A save the same page already made (same page id, same or lower
    counter: a retry, a late duplicate) changes nothing. A save from another device, based on
    a revision it had not seen, keeps the draft it replaces (TripReportDraft). Once submitted,
    the readers see the text: a change is submitted again (`submit`), never kept half-written."""
    with transaction.atomic():
        report = _locked(report, "trip__program", "enrollment")
        _check_writable(report, by)
        if report.status != TripReportStatus.DRAFT:
            raise TripRefused(
                _("This report has been submitted: submit the changes instead."), "locked"
            )
        if report.is_repeat(client_id, client_seq):
            return SavedReport(report, applied=False)
        _write(report, text, client_id=client_id, client_seq=client_seq, base=base_revision)
    return SavedReport(report, applied=True)


def _check_writable(report: TripReport, by) -> None:
    if report.enrollment.trainee_id != by.pk:
        raise TripRefused(_("Only the trainee writes their trip report."), "forbidden")
    if report.status == TripReportStatus.ACKNOWLEDGED:
        raise TripRefused(_("This report has been acknowledged and no longer changes."), "locked")
    if report.municipality_confirmed_at is not None:
        raise TripRefused(
            _("The municipality has confirmed this report: it no longer changes."), "locked"
        )
    if is_closed(report.trip):
        raise TripRefused(_("This trip's reports are closed."), "locked")


def _write(report: TripReport, text: ReportText, *, client_id="", client_seq=0, base=None) -> None:
    _check_text(text)
    new = {name: getattr(text, name).strip() for name in FIELDS}
    before = report.text()
    changed = new != before
    if (
        changed
        and report.status == TripReportStatus.DRAFT
        and report.replaces_unseen(client_id, base, any(before.values()))
    ):
        TripReportDraft.objects.create(report=report, revision=report.revision, content=before)
    for name in FIELDS:
        setattr(report, name, new[name])
    report.saved_by(client_id, client_seq, changed=changed)
    report.save(update_fields=[*FIELDS, "revision", "client_id", "client_seq", "updated_at"])


def submit(
    report: TripReport,
    text: ReportText,
    *,
    by,
    client_id: str = "",
    client_seq: int = 0,
    base_revision: int | None = None,
) -> TripReport:
    """Save and submit: 内容 and 所感 are required; the trip's part is frozen now. A second
    submission of an unchanged report changes nothing. The page's id, counter and base
    revision as `save_report` takes them: a draft another device had replaced is kept."""
    with transaction.atomic():
        report = _locked(
            report, "trip__program__host", "enrollment__trainee", "enrollment__municipality"
        )
        _check_writable(report, by)
        _write(report, text, client_id=client_id, client_seq=client_seq, base=base_revision)
        for name in ("content", "impressions"):
            if not getattr(report, name):
                raise TripRefused(_("Write this part before submitting."), field=name)
        if report.status == TripReportStatus.DRAFT:
            report.status = TripReportStatus.SUBMITTED
            report.submitted_at = timezone.now()
        report.header = header_for(report.trip, report.enrollment)
        report.save(update_fields=["status", "submitted_at", "header", "updated_at"])
        record_activity(by, "trip_report.submitted", report, host_company=report.trip.program.host)
    return report


def acknowledge(report: TripReport, *, by) -> TripReport:
    if not is_coordinator_of(by, report.trip.program) and not by.is_superuser:
        raise TripRefused(_("Only the host's coordinators acknowledge trip reports."))
    updated = TripReport.objects.filter(pk=report.pk, status=TripReportStatus.SUBMITTED).update(
        status=TripReportStatus.ACKNOWLEDGED,
        acknowledged_at=timezone.now(),
        acknowledged_by=by,
        updated_at=timezone.now(),
    )
    if not updated and report.status != TripReportStatus.ACKNOWLEDGED:
        raise TripRefused(_("Only a submitted report can be acknowledged."))
    report.refresh_from_db()
    if updated:
        kenshu_cache.bump_program(report.trip.program_id, "seminars")  # update(): no signal
        record_activity(
            by, "trip_report.acknowledged", report, host_company=report.trip.program.host
        )
    return report


def may_confirm(user, report: TripReport) -> bool:
    """A contact (supervisor) of the trainee's municipality; nobody else, the host's
    coordinators included (their acknowledgement is `acknowledge`)."""
    return access.supervises(user, report.enrollment.municipality_id)


def confirm_for_municipality(report: TripReport, *, by, now, seen: str = "") -> TripReport:
    """The municipality's 確認 of a filed report (submitted, or acknowledged by the host):
    who and when are kept; a second confirmation changes nothing. `seen`: the filing the
    contact read (programs.confirmations.seen_token); a report filed again since is refused."""
    if not may_confirm(by, report):
        raise TripRefused(_("Only a contact of the trainee's municipality confirms this report."))
    with transaction.atomic():
        row = TripReport.objects.select_for_update().get(pk=report.pk)
        if row.status == TripReportStatus.DRAFT:
            raise TripRefused(_("Only a submitted report can be confirmed."))
        if row.municipality_confirmed_at is not None:
            return row
        if seen and seen != seen_token(row.submitted_at):
            raise TripRefused(
                _(
                    "The trainee submitted the report again since you opened it: read it again, "
                    "then confirm."
                )
            )
        row.confirm_now(by=by, now=now)
        record_activity(
            by,
            "trip_report.confirmed_by_municipality",
            row,
            host_company=report.trip.program.host,
            municipality=report.enrollment.municipality,
        )
    return row
