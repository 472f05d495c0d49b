"""One person into a program as a trainee: enrolled at once when already registered as a
trainee, else invited into the program (enrolled when they accept, services/acceptance.py).
The roster (services/roster.py) and the scheme's naming of a match's staff both come here."""

from dataclasses import dataclass

from ..models import Municipality, Program, Role, TraineeProfile, User
from .invitations import create_invitation
from .programs import enroll


@dataclass(frozen=True)
class NamedTrainee:
    """A person someone names for a program: who, where they work, what they do there."""

    email: str
    family_name: str
    given_name: str
    municipality: Municipality
    department: str = ""
    position: str = ""


def registered_trainees(by: User, emails, municipality: Municipality) -> dict[str, User]:
    """The trainees `by` may see, registered in `municipality` under these addresses (one
    query, keys lower-cased). Whether an address is a trainee elsewhere is never told."""
    return {
        profile.user.email.lower(): profile.user
        for profile in TraineeProfile.objects.visible_to(by)
        .filter(user__email__in=[e.lower() for e in emails], municipality=municipality)
        .select_related("user")
    }


def enrol_or_invite(
    program: Program,
    person: NamedTrainee,
    *,
    by: User,
    registered: User | None = None,
    ip: str | None = None,
) -> str:
    """Enrol `registered` (the person's existing trainee account) or invite the person into
    the program, its email sent once the transaction commits. "existing" or "new"."""
    if registered is not None:
        enroll(program, registered, by=by, ip=ip)
        return "existing"
    create_invitation(
        invited_by=by,
        email=person.email,
        role=Role.TRAINEE,
        host_company=program.host,
        municipality=person.municipality,
        family_name=person.family_name,
        given_name=person.given_name,
        department=person.department,
        position=person.position,
        program=program,
        ip=ip,
    )
    return "new"
