"""One access helper per object kind. Each starts from a scoped queryset, so an object outside
the user's scope answers 404 (its existence is not revealed); a member who may read but not
change it gets 403 when they try to change it."""

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, IntegerField, Q, Value
from django.http import Http404
from django.shortcuts import get_object_or_404

from .compiled import CompiledQuery
from .models import (
    Activity,
    CalendarFeed,
    ClosedDay,
    Enrollment,
    HostCompany,
    Invitation,
    Membership,
    Municipality,
    Program,
    Role,
    RosterImport,
    TraineeProfile,
)


def get_host_company_for_user(user, pk: int, *, write: bool = False) -> HostCompany:
    """A host company the user works for. `write` asks for a coordinator."""
    host = get_object_or_404(HostCompany.objects.visible_to(user), pk=pk)
    if write and not coordinates(user, host):
        raise PermissionDenied
    return host


def coordinates(user, host: HostCompany) -> bool:
    """The user may manage the host's people (a coordinator of it, or an operator)."""
    return HostCompany.objects.coordinated_by(user).filter(pk=host.pk).exists()


def get_closed_day_for_user(user, host: HostCompany, pk: int) -> ClosedDay:
    """One of the host's closed days (the host found through get_host_company_for_user)."""
    return get_object_or_404(ClosedDay.objects.visible_to(user), pk=pk, host=host)


def get_municipality_for_user(user, pk: int) -> Municipality:
    """A municipality the user supervises (or, for a trainee, works for)."""
    return get_object_or_404(Municipality.objects.visible_to(user), pk=pk)


def get_invitation_for_user(user, host: HostCompany, pk: int) -> Invitation:
    return get_object_or_404(Invitation.objects.visible_to(user), pk=pk, host_company=host)


def get_program_invitation_for_user(user, program: Program, pk: int) -> Invitation:
    """An invitation into a program, for those who may see it."""
    return get_object_or_404(Invitation.objects.visible_to(user).filter(program=program), pk=pk)


def get_membership_for_user(user, host: HostCompany, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.visible_to(user).select_related("user", "host_company"),
        pk=pk,
        host_company=host,
    )


def get_trainee_profile(user) -> TraineeProfile:
    """The signed-in person's own trainee profile; 404 for anyone who is not a trainee."""
    try:
        return TraineeProfile.objects.select_related("municipality").get(user=user)
    except TraineeProfile.DoesNotExist as exc:
        raise Http404 from exc


PROFILE = "trainee-profile"  # not a Role: marks the row that says the user is a trainee


def roles_from(held, *, is_trainee: bool) -> dict:
    """The roles dict from the user's (role, host_company_id) memberships."""
    kinds = {role for role, _host in held}
    return {
        "coordinator": Role.COORDINATOR in kinds,
        "host": Role.COORDINATOR in kinds or Role.STAFF in kinds,
        "supervisor": Role.SUPERVISOR in kinds,
        "office": Role.OFFICE in kinds,
        "trainee": is_trainee,
        "host_ids": {h for role, h in held if role in (Role.COORDINATOR, Role.STAFF)},
        "coordinated_ids": {h for role, h in held if role == Role.COORDINATOR},
    }


def roles_of(user) -> dict:
    """Which roles the user holds, read from the database once per request (kept on the
    request's user object, never in a shared cache): every access decision below starts
    here, so a membership changed in any way (a service, the admin, `update()`, a shell)
    counts from the next request on."""
    cached = getattr(user, "_kenshu_roles", None)
    if cached is not None:
        return cached
    roles = {
        "host": False,
        "coordinator": False,
        "supervisor": False,
        "office": False,
        "trainee": False,
        "host_ids": set(),
        "coordinated_ids": set(),
    }
    if user.is_authenticated and user.is_active:
        # One round trip: the memberships, and a row marked PROFILE if the user is a trainee.
        # (Signed-in requests have them already: programs.auth reads them with the user.)
        held = list(
            Membership.objects.filter(user=user)
            .order_by()
            .values_list("role", "host_company_id")
            .union(
                TraineeProfile.objects.filter(user=user)
                .order_by()
                .values_list(
                    Value(PROFILE, output_field=CharField()),
                    Value(None, output_field=IntegerField()),
                )
            )
        )
        roles = roles_from(held, is_trainee=any(role == PROFILE for role, _host in held))
    user._kenshu_roles = roles
    return roles


def programs_for(user):
    """`Program.objects.visible_to(user)`, simpler for the host's people: someone who only
    works for hosts (no municipality to supervise, not a trainee) sees exactly their hosts'
    programs, so the query names them instead of joining the memberships again."""
    hosts = only_hosts(user)
    if hosts:
        return Program.objects.filter(host_id__in=hosts)
    return Program.objects.visible_to(user)


def enrollments_for(user):
    """`Enrollment.objects.visible_to(user)`, simpler for the host's people (as above)."""
    hosts = only_hosts(user)
    if hosts:
        return Enrollment.objects.filter(program__host_id__in=hosts)
    return Enrollment.objects.visible_to(user)


def only_hosts(user) -> list[int]:
    """The user's hosts, if working for hosts is all the user does here (else [])."""
    roles = roles_of(user)
    if roles["supervisor"] or roles["trainee"] or (user.is_active and user.is_superuser):
        return []
    return sorted(roles["host_ids"])


def get_program_for_user(user, pk: int, *, write: bool = False) -> Program:
    """A program the user may see; `write` asks for a coordinator of its host (403 for the
    others who may only read it). The host's own people are recognised from their
    memberships (read once per request); everyone else goes through
    `Program.objects.visible_to`."""
    program = _program_with_host(pk)
    if program is None:
        raise Http404
    if not works_for_host(user, program) and not (
        Program.objects.visible_to(user).filter(pk=pk).exists()
    ):
        raise Http404
    if write and not can_edit_program(user, program):
        raise PermissionDenied
    return program


def get_program_to_run(user, pk: int) -> Program:
    """A program for its host's coordinators to change, on the host's own working pages
    (the publish checklist, a withdrawal's confirmation): 404 for anyone who is not one of
    the host's people (a trainee, a supervisor), 403 for the host's staff, who only read."""
    program = get_program_for_user(user, pk)
    if not works_for_host(user, program):
        raise Http404
    if not can_edit_program(user, program):
        raise PermissionDenied
    return program


PROGRAM_FIELDS = [f.attname for f in Program._meta.concrete_fields]
HOST_FIELDS = [f.attname for f in HostCompany._meta.concrete_fields]
PROGRAM_WITH_HOST = CompiledQuery(
    lambda pk: Program.objects.filter(pk=pk).values_list(
        *PROGRAM_FIELDS, *(f"host__{name}" for name in HOST_FIELDS)
    )
)


def _program_with_host(pk: int) -> Program | None:
    """`Program.objects.select_related("host").filter(pk=pk).first()`, read on every program
    page, through a query compiled once per connection (programs.compiled)."""
    return program_from_rows(PROGRAM_WITH_HOST.rows(pk))


def program_from_rows(rows: list[tuple]) -> Program | None:
    """The program (and its host) of PROGRAM_WITH_HOST's rows: None where there is none."""
    if not rows:
        return None
    n = len(PROGRAM_FIELDS)
    program = Program.from_db("default", PROGRAM_FIELDS, rows[0][:n])
    program.host = HostCompany.from_db("default", HOST_FIELDS, rows[0][n:])
    return program


def works_for_host(user, program: Program) -> bool:
    """The user is one of the program's host's people (coordinator or staff), or an operator."""
    return program.host_id in host_ids_of(user)


def can_edit_program(user, program: Program) -> bool:
    if user.is_active and user.is_superuser:
        return True
    return program.host_id in roles_of(user)["coordinated_ids"]


def supervises(user, municipality_id: int | None) -> bool:
    """The user is a contact (supervisor) of this municipality: the person who confirms
    (確認) the documents its trainees file."""
    if not (user.is_authenticated and user.is_active and municipality_id):
        return False
    return Membership.objects.filter(
        user=user, role=Role.SUPERVISOR, municipality_id=municipality_id
    ).exists()


def host_ids_of(user) -> set[int]:
    if user.is_authenticated and user.is_active and user.is_superuser:
        return set(HostCompany.objects.values_list("pk", flat=True))
    return roles_of(user)["host_ids"]


def get_activity_for_user(
    user, program: Program, pk: int, *, deleted_too: bool = False
) -> Activity:
    """An activity or placeholder of the program's grid (the host's people change them); a
    deleted one only with `deleted_too` (to put it back)."""
    activities = Activity.objects.visible_to(user)
    if not deleted_too:
        activities = activities.on_the_grid()
    return get_object_or_404(activities.select_related("facilitator"), pk=pk, program=program)


def get_enrollment_for_user(user, program: Program, pk: int) -> Enrollment:
    return get_object_or_404(
        Enrollment.objects.visible_to(user).select_related("trainee", "program"),
        pk=pk,
        program=program,
    )


def get_live_activity_for_user(user, pk: int) -> Activity:
    """A live activity (with its program) that the user may see, for its own download: in a
    program the user may see, and one the user takes part in unless they work for its host."""
    activity = get_object_or_404(
        Activity.objects.visible_to(user).live().select_related("program", "facilitator"),
        pk=pk,
    )
    if not activities_for(user, activity.program).filter(pk=pk).exists():
        raise Http404
    return activity


def activities_for(user, program: Program):
    """The live activities of a program that the user may see: all of them for the host's
    people; for everyone else (a supervisor, a trainee) those for all trainees and those in
    which one of the enrolments they may see takes part."""
    live = Activity.objects.live().filter(program=program)
    if program.host_id in host_ids_of(user):
        return live
    mine = Enrollment.objects.visible_to(user).active().filter(program=program)
    return live.filter(Q(for_all=True) | Q(participants__in=mine)).distinct()


def hosts_of_visible_programs(user) -> set[int]:
    """The host's people see their hosts' programs; anyone else (a supervisor, a trainee) the
    programs of the hosts their trainees or they themselves are enrolled with."""
    hosts = host_ids_of(user)
    if hosts:
        return hosts
    return set(
        Program.objects.visible_to(user).order_by().values_list("host_id", flat=True).distinct()
    )


def get_roster_import(program: Program, pk: int) -> RosterImport:
    """A roster import of a program (checked already, for writing): without its file."""
    return get_object_or_404(RosterImport.objects.defer("upload"), pk=pk, program=program)


def feed_programs_for(user):
    """The programs whose calendar the user may subscribe to: those of the hosts they work for."""
    return Program.objects.visible_to(user).filter(host__memberships__user=user).distinct()


def get_calendar_feed_for_user(user, pk: int) -> CalendarFeed:
    """One of the user's own calendar feeds."""
    return get_object_or_404(CalendarFeed, pk=pk, user=user)


def get_calendar_feed_by_token(token: str) -> CalendarFeed:
    """A feed by its secret address. Still scoped: a program feed stops when its owner can
    no longer see the program, and no feed answers for an account that is not active."""
    feed = CalendarFeed.objects.select_related("user", "program").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    if (
        feed.program_id
        and not Program.objects.visible_to(feed.user).filter(pk=feed.program_id).exists()
    ):
        raise Http404
    return feed
