"""What a program's page reads: its facts, its trainees (each row with its mentor's
choices for the host's coordinators), the invitations waiting and the enrolment form.
A fixed number of queries whatever the number of trainees."""

from datetime import date

from config.translated import choice_labels

from .. import access, registry
from ..forms import EnrollForm
from ..models import Enrollment, Program, Status
from ..services import programs as program_services


def program_page_context(user, program: Program, today: date, *, enroll_form=None) -> dict:
    """The page's context; `enroll_form` is the bound form to show again (its errors next
    to its fields) after a refused enrolment."""
    can_edit = access.can_edit_program(user, program)
    context = {
        "program": program,
        "status": program.effective_status,
        "status_label": choice_labels(Status)[program.effective_status],
        "moves": program_services.allowed_moves(program, today) if can_edit else [],
        "can_edit": can_edit,
        "enrollments": enrollment_rows(user, program),
        "sections": registry.program_sections(user, program),
        "roster_import": None,
        "pending_invitations": [],
        "mentor_options": [],
    }
    if can_edit:
        context["roster_import"] = program.roster_imports.defer("upload", "rows").first()
        context["pending_invitations"] = list(
            program.invitations.pending().select_related("municipality")
        )
        context["mentor_options"] = mentor_options(program)
        context["enroll_form"] = enroll_form or EnrollForm(program=program, user=user)
    return context


def enrollment_rows(user, program: Program) -> list[Enrollment]:
    return list(
        Enrollment.objects.visible_to(user)
        .filter(program=program)
        .select_related("trainee", "municipality", "mentor")
        .order_by("withdrawn_at", "trainee__family_name_kana", "trainee__email")
    )


def mentor_options(program: Program) -> list[dict]:
    """The host's people, as the choices of each row's mentor select (read once)."""
    return [
        {"pk": person.pk, "name": person.display_name}
        for person in program_services.mentor_choices(program).only(
            "pk", "family_name", "given_name", "email"
        )
    ]
