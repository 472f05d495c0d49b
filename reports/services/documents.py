"""Asking for documents. A request creates a Report row that a worker builds (never the web
process); the same content gets the version already there, and a change makes a new version
while the old ones stay downloadable."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from programs.models import Enrollment, HostCompany, Municipality, Program, Scheme, Status
from programs.refusals import Refused
from seminars.models import Trip

from .. import documents, program_documents
from ..models import Report, ReportKind, ReportState, fiscal_year_scope, program_scope
from ..tasks import build_report

LIVE = (ReportState.QUEUED, ReportState.RUNNING, ReportState.DONE)
_UNSAFE_IN_NAMES = str.maketrans({ch: "_" for ch in '/\\:*?"<>|\n\r\t'})


def safe_name(text: str) -> str:
    """A part of a file name: no folder separators or characters Windows refuses."""
    return text.translate(_UNSAFE_IN_NAMES).strip()[:60]


def _request(kind: str, scope: str, html: str, *, lock, filename, by, automatic=False, **owner):
    """The version of this content queued, being built or built; else a new version,
    queued for a worker after commit. `lock` takes a row lock so that two requests at once
    wait for each other (one version, one job); where there is no row to lock, the unique
    version decides and the loser gets the winner's row."""
    digest = documents.content_hash(html)
    with transaction.atomic():
        lock()
        versions = Report.objects.filter(kind=kind, scope=scope)
        live = versions.filter(content_hash=digest, state__in=LIVE)
        existing = next((r for r in live if not r.is_stale), None)
        if existing is not None:
            if automatic and not existing.automatic:
                Report.objects.filter(pk=existing.pk).update(automatic=True)
                existing.automatic = True
            return existing
        version = (versions.aggregate(v=Max("version"))["v"] or 0) + 1
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    kind=kind,
                    scope=scope,
                    version=version,
                    content_hash=digest,
                    filename=filename(version),
                    requested_by=by,
                    automatic=automatic,
                    **owner,
                )
        except IntegrityError:
            return versions.get(version=version)
        build_report.delay_on_commit(report.pk)
    return report


def _lock(model, pk):
    return lambda: model.objects.select_for_update().filter(pk=pk).exists()


def request_itinerary(trip: Trip, *, by) -> Report:
    """The trip's itinerary PDF (every traveller's page)."""
    return _request(
        ReportKind.ITINERARY,
        f"trip:{trip.pk}",
        documents.itinerary_html(trip),
        lock=_lock(Trip, trip.pk),
        filename=lambda v: f"行程表_{trip.start_date:%Y%m%d}_v{v}.pdf",
        by=by,
        program=trip.program,
        host_id=trip.program.host_id,
    )


def request_program_report(
    program: Program, *, by, today, municipality: Municipality | None = None, automatic=False
) -> Report:
    """The end-of-program report; with a municipality, the one made for it (its trainees
    only), which its supervisor may hold. `today` (the caller's clock): before the program
    ends, an interim version dated that day."""
    who = f"_{safe_name(municipality.name)}" if municipality else ""
    return _request(
        ReportKind.PROGRAM,
        program_scope(program, municipality),
        program_documents.program_html(program, municipality, today=today),
        lock=_lock(Program, program.pk),
        filename=lambda v: f"研修実施報告書_{program.start_date:%Y%m%d}{who}_v{v}.pdf",
        by=by,
        automatic=automatic,
        program=program,
        host_id=program.host_id,
        municipality=municipality,
        fiscal_year=program.fiscal_year,
    )


def request_trainee_report(enrollment: Enrollment, *, by, today) -> Report:
    """A trainee's 研修報告書 (interim before the program ends, as the program report)."""
    program = enrollment.program
    name = safe_name(enrollment.trainee.display_name.replace(" ", ""))
    return _request(
        ReportKind.TRAINEE,
        f"enrollment:{enrollment.pk}",
        program_documents.trainee_html(enrollment, today=today),
        lock=_lock(Program, program.pk),
        filename=lambda v: f"研修報告書_{name}_{program.start_date:%Y%m%d}_v{v}.pdf",
        by=by,
        program=program,
        host_id=program.host_id,
        municipality_id=enrollment.municipality_id,
        enrollment=enrollment,
        fiscal_year=program.fiscal_year,
    )


def request_fiscal_year(year: int, *, host: HostCompany | None, by, today=None) -> Report:
    """The fiscal-year summary of one host, or across hosts (host None: the scheme's 年度
    report, for operators and the office), whose figures are those of `today` (the
    caller's day; a host's summary has none that depend on it)."""
    who = safe_name(host.name) if host else "全受入企業"
    return _request(
        ReportKind.FISCAL_YEAR,
        fiscal_year_scope(year, host),
        program_documents.fiscal_year_html(year, host, today=today),
        lock=_lock(HostCompany, host.pk) if host else lambda: None,
        filename=lambda v: f"年度研修実績_{year}年度_{who}_v{v}.pdf",
        by=by,
        host=host,
        fiscal_year=year,
    )


def retry(report: Report) -> bool:
    """Queue a failed build (or one whose worker died) again; False when there is nothing to
    retry (it is queued, being built by a live worker, or done)."""
    if not (report.state == ReportState.FAILED or report.is_stale):
        return False
    queued = Report.objects.filter(pk=report.pk, state=report.state).update(
        state=ReportState.QUEUED, error="", attempts=0
    )
    if queued:
        build_report.delay_on_commit(report.pk)
    return bool(queued)


class ShareRefused(Refused):
    """This document cannot be shared with the scheme office."""


def may_share_with_office(report: Report) -> bool:
    """A built version of a scheme program's whole report (not a draft's)."""
    program = report.program
    return (
        report.kind == ReportKind.PROGRAM
        and report.municipality_id is None
        and report.state == ReportState.DONE
        and program is not None
        and program.scheme == Scheme.IT_VENTURE
        and program.status != Status.DRAFT
    )


def share_with_office(report: Report, *, share: bool, by, now) -> None:
    """The host's coordinator shares this version with the scheme office, or takes it back.
    The caller has checked that `by` coordinates the program's host."""
    if share and not may_share_with_office(report):
        raise ShareRefused(_("Only a built report of a program of the scheme can be shared."))
    Report.objects.filter(pk=report.pk).update(
        shared_with_office_at=now if share else None, shared_with_office_by=by if share else None
    )
