"""Who may hold a stored document: found through `Report.objects.visible_to` (the host's
people all of their host's; a supervisor their municipality's report and their trainees'
研修報告書; a trainee their own 研修報告書), decided from the database on every request, in
pages, retries and downloads alike. Everyone else gets 404.

The same for what the pages of reports show: an interview's article, a trip's documents, a
program's documents, the fiscal-year summary and the CSV exports."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from programs import access
from programs.integers import id_param
from programs.models import (
    Enrollment,
    HostCompany,
    Municipality,
    Program,
    Scheme,
    Status,
    supervised_by,
    worked_for,
)
from scheme import access as scheme_access
from scheme.models import MatchStatus
from seminars import access as trip_access
from trainees import access as trainee_access
from trainees.models import Interview, InterviewState

from .models import Report


def get_document_for_user(user, pk: int) -> Report:
    return get_object_or_404(
        Report.objects.visible_to(user).select_related(
            "program", "host", "municipality", "enrollment__trainee", "enrollment__municipality"
        ),
        pk=pk,
    )


# Interview articles ----------------------------------------------------------------------------


def get_article_for_user(user, pk: int) -> tuple[Interview, bool]:
    """The interview and whether the person is one of its host's people."""
    interview = trainee_access.get_interview_for_user(user, pk)
    is_host = access.works_for_host(user, interview.enrollment.program)
    if not is_host and interview.state in (InterviewState.DRAFT, InterviewState.INTERVIEWED):
        raise Http404  # the trainee sees the article once they have consented
    return interview, is_host


# Trip documents --------------------------------------------------------------------------------


def get_trip_for_user(user, pk: int, trip_pk: int, *, host_only: bool = False):
    """The trip (seminars.access: 404 outside the person's scope) and whether the person is
    one of its host's people; `host_only` answers 404 to everyone else."""
    program, trip = trip_access.get_trip_for_user(user, pk, trip_pk)
    is_host = access.works_for_host(user, program)
    if host_only and not is_host:
        raise Http404
    return program, trip, is_host


# Program documents -----------------------------------------------------------------------------


def get_report_municipality_for_user(user, program: Program, raw: str | None):
    """The municipality a program report is made for (?municipality=), checked: the host's
    people may ask for any of the program's, a supervisor only for their own; without one,
    the whole report, for the host's people only."""
    if not raw:
        if not access.works_for_host(user, program):
            raise Http404
        return None
    if (pk := id_param(raw)) is None:
        raise Http404
    mine = Municipality.objects.filter(pk=pk, enrollments__program=program)
    if not access.works_for_host(user, program):
        mine = mine.filter(pk__in=supervised_by(user))
    municipality = mine.distinct().first()
    if municipality is None:
        raise Http404
    return municipality


def get_enrollment_for_user(user, program: Program, enrollment_pk: int) -> Enrollment:
    """A trainee's enrolment the user may see: the host's people, the supervisor of the
    trainee's municipality, the trainee."""
    return get_object_or_404(
        Enrollment.objects.visible_to(user).select_related("trainee", "municipality"),
        pk=enrollment_pk,
        program=program,
    )


# Fiscal-year summary ---------------------------------------------------------------------------


def sums_up_every_host(user) -> bool:
    """Operators and the scheme office (事務局) may ask for the summary across hosts: the
    scheme's 年度 report."""
    return scheme_access.is_office(user)


def summary_hosts(user) -> list[HostCompany]:
    """The hosts whose own summary the person may ask for: the hosts they work for, every
    host for an operator, none for the office (which has the one across hosts); 404 for
    anyone else."""
    hosts = list(HostCompany.objects.visible_to(user).order_by("name"))
    if not user.is_superuser:
        hosts = [h for h in hosts if h.pk in access.host_ids_of(user)]
        if not hosts and not sums_up_every_host(user):
            raise Http404
    return hosts


def get_summary_host(user, hosts: list[HostCompany], raw: str) -> HostCompany | None:
    """The host asked for (?host=): one of `hosts`; operators and the office may also leave
    it empty for every host, anyone else gets their first host."""
    if raw:
        host = next((h for h in hosts if str(h.pk) == raw), None)
        if host is None:
            raise Http404
        return host
    return None if sums_up_every_host(user) else hosts[0]


# The scheme office's year ----------------------------------------------------------------------


def office_only(user) -> None:
    """The office's pages of reports: its staff (and operators); 404 for anyone else."""
    scheme_access.require_office(user)


def office_programs(user):
    """The programs the office follows: every published program of the scheme, at every
    host, and the drafts its own confirmed matches made (a host's other drafts stay with the
    host). Nobody else has any here."""
    if not scheme_access.is_office(user):
        return Program.objects.none()
    return Program.objects.filter(
        Q(scheme=Scheme.IT_VENTURE)
        & (~Q(status=Status.DRAFT) | Q(scheme_match__status=MatchStatus.CONFIRMED))
    )


# CSV exports -----------------------------------------------------------------------------------


def who_may_export(user) -> tuple[bool, bool]:
    """(may export at all, is one of a host's people). Exports are for the host's people and
    supervisors; a trainee (or anyone else) has none."""
    unrestricted = bool(user.is_authenticated and user.is_active and user.is_superuser)
    roles = access.roles_of(user)
    is_host = unrestricted or bool(roles["host_ids"])
    return is_host or roles["supervisor"], is_host


def exportable_programs(user, *, host_only: bool = False):
    """(the programs the person may export, is one of a host's people, is an operator);
    404 for anyone who may not export (or not this host-only file)."""
    allowed, is_host = who_may_export(user)
    if not allowed or (host_only and not is_host):
        raise Http404
    unrestricted = bool(user.is_active and user.is_superuser)
    programs = Program.objects.visible_to(user)
    if host_only and not unrestricted:
        # Seminars are the host's own business: only the programs of the hosts one works for.
        programs = programs.filter(host__in=worked_for(user))
    return programs, is_host, unrestricted


def get_export_program(programs, raw: str | None) -> Program | None:
    """With ?program=, that one program of `programs`: 404 when it is not theirs to see."""
    if not raw:
        return None
    if (pk := id_param(raw)) is None:
        raise Http404
    return get_object_or_404(programs, pk=pk)


# The contact's pages ---------------------------------------------------------------------------


def contact_only(user) -> None:
    """The contact's pages are for the supervisors of a municipality: 404 for anyone else."""
    if not access.roles_of(user)["supervisor"]:
        raise Http404


def contact_enrollments(user):
    """The enrolments of the contact's municipalities in programs they may see (never a
    draft program), withdrawn ones included."""
    return (
        Enrollment.objects.filter(municipality__in=supervised_by(user))
        .filter(program__in=Program.objects.visible_to(user))
        .exclude(program__status=Status.DRAFT)
    )


def get_contact_enrollment_for_user(user, pk: int) -> Enrollment:
    """One of `contact_enrollments`: 404 for another municipality's trainee, the host's
    people and anyone else."""
    return get_object_or_404(
        contact_enrollments(user).select_related("trainee", "municipality", "program__host"),
        pk=pk,
    )


# A municipality's letterhead ---------------------------------------------------------------------


def get_letterhead_municipality_for_user(user, pk: int) -> Municipality:
    """A municipality the person is the contact (supervisor) of; anyone else gets 404."""
    return get_object_or_404(Municipality.objects.supervised_by(user), pk=pk)
