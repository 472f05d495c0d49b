"""One access helper per object kind. Each starts from a scoped queryset, so an object outside
the user's scope answers 404 (its existence is not revealed); a member who may read but not
change it gets 403 when they try to change it."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import (
    Activity,
    Enrollment,
    HostCompany,
    Invitation,
    Membership,
    Municipality,
    Program,
    Role,
    TraineeProfile,
)


def get_host_company_for_user(user, pk: int, *, write: bool = False) -> HostCompany:
    """A host company the user works for. `write` asks for a coordinator."""
    host = get_object_or_404(HostCompany.objects.visible_to(user), pk=pk)
    if write and not HostCompany.objects.coordinated_by(user).filter(pk=host.pk).exists():
        raise PermissionDenied
    return host


def get_municipality_for_user(user, pk: int) -> Municipality:
    """A municipality the user supervises (or, for a trainee, works for)."""
    return get_object_or_404(Municipality.objects.visible_to(user), pk=pk)


def get_invitation_for_user(user, host: HostCompany, pk: int) -> Invitation:
    return get_object_or_404(Invitation.objects.visible_to(user), pk=pk, host_company=host)


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


def roles_of(user) -> dict:
    """What the navigation needs: which kinds of home page the user has. Two queries, cached
    on the user object for the request."""
    cached = getattr(user, "_kenshu_roles", None)
    if cached is not None:
        return cached
    roles = {"host": False, "coordinator": False, "supervisor": False, "trainee": False}
    if user.is_authenticated:
        held = set(Membership.objects.filter(user=user).values_list("role", flat=True))
        roles["coordinator"] = Role.COORDINATOR in held
        roles["host"] = roles["coordinator"] or Role.STAFF in held
        roles["supervisor"] = Role.SUPERVISOR in held
        roles["trainee"] = TraineeProfile.objects.filter(user=user).exists()
    user._kenshu_roles = roles
    return roles


def get_program_for_user(user, pk: int, *, write: bool = False) -> Program:
    """A program the user may see; `write` asks for a coordinator of its host (403 for the
    others who may only read it)."""
    program = get_object_or_404(Program.objects.visible_to(user).select_related("host"), pk=pk)
    if write and not Program.objects.editable_by(user).filter(pk=program.pk).exists():
        raise PermissionDenied
    return program


def can_edit_program(user, program: Program) -> bool:
    return Program.objects.editable_by(user).filter(pk=program.pk).exists()


def get_activity_for_user(user, program: Program, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.visible_to(user).live().select_related("facilitator"),
        pk=pk,
        program=program,
    )


def get_enrollment_for_user(user, program: Program, pk: int) -> Enrollment:
    return get_object_or_404(
        Enrollment.objects.visible_to(user).select_related("trainee", "program"),
        pk=pk,
        program=program,
    )
