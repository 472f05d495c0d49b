"""The municipality's contact names the staff of a confirmed match: each person is enrolled
in the match's draft program (an existing trainee) or invited into it (the core's
programs.services.trainee_entry, as the host's roster does), in one transaction; the
invitation emails leave once it commits."""

from django.db import transaction
from django.utils.translation import gettext as _

from programs.models import Enrollment, Invitation, Program, Status
from programs.refusals import Refused
from programs.services.trainee_entry import NamedTrainee, enrol_or_invite, registered_trainees

from ..models import Match, MatchStatus


class StaffRefused(Refused):
    """The staff cannot be named (as typed); nothing was written."""


def named_emails(program: Program) -> set[str]:
    """The addresses already in the program: enrolled, or invited and not yet answered."""
    enrolled = Enrollment.objects.active().filter(program=program)
    invited = Invitation.objects.pending().filter(program=program)
    return {e.lower() for e in enrolled.values_list("trainee__email", flat=True)} | {
        e.lower() for e in invited.values_list("email", flat=True)
    }


def places_left(match: Match) -> int:
    if match.program_id is None or match.status != MatchStatus.CONFIRMED:
        return 0
    return max(match.staff - len(named_emails(match.program)), 0)


def name_staff(match: Match, people: list[dict], *, by, today, ip: str | None = None) -> dict:
    """Enrol or invite each person (dicts of family_name, given_name, email, department,
    position and the form's `row`). An address already in the program is left as it is;
    more people than places left is refused, and so is a program reported or over on
    `today`. Returns counts: enrolled, invited, already."""
    with transaction.atomic():
        match = (
            Match.objects.select_for_update(of=("self",))
            .select_related("program__host", "application__municipality")
            .get(pk=match.pk)
        )
        if match.status != MatchStatus.CONFIRMED or match.program is None:
            raise StaffRefused(_("This match was cancelled: its staff can no longer be named."))
        program, municipality = match.program, match.application.municipality
        if program.status == Status.REPORTED or program.end_date < today:
            raise StaffRefused(_("The program is over: its staff can no longer be named."))
        named = named_emails(program)
        fresh = _distinct([p for p in people if p["email"].lower() not in named])
        if len(named) + len(fresh) > match.staff:
            raise StaffRefused(
                _("%(count)s people named, but only %(left)s places are left.")
                % {"count": len(fresh), "left": max(match.staff - len(named), 0)}
            )
        registered = registered_trainees(by, [p["email"] for p in fresh], municipality)
        counts = {"existing": 0, "new": 0, "already": len(people) - len(fresh)}
        for person in fresh:
            named_trainee = NamedTrainee(
                email=person["email"],
                family_name=person["family_name"],
                given_name=person["given_name"],
                municipality=municipality,
                department=person["department"],
                position=person["position"],
            )
            try:
                outcome = enrol_or_invite(
                    program,
                    named_trainee,
                    by=by,
                    registered=registered.get(person["email"].lower()),
                    ip=ip,
                )
            except Refused as refused:
                raise _for_row(refused, person) from refused
            counts[outcome] += 1
    return {"enrolled": counts["existing"], "invited": counts["new"], "already": counts["already"]}


def _distinct(people: list[dict]) -> list[dict]:
    seen, kept = set(), []
    for person in people:
        if person["email"].lower() not in seen:
            seen.add(person["email"].lower())
            kept.append(person)
    return kept


def _for_row(refused: Refused, person: dict) -> StaffRefused:
    """The core's refusal said next to the row's field it names (the email by default)."""
    fields = ("family_name", "given_name", "department", "position")
    field = refused.field if refused.field in fields else "email"
    name = f"{field}_{person['row']}" if "row" in person else None
    return StaffRefused(refused.message, code=refused.code, field=name)
