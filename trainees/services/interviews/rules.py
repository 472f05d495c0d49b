"""What every interview change checks: who may do what, the states in which the text still
changes, and how a move between states is made and recorded."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs import access
from programs.models import Membership, Role
from programs.plain_text import plain_text_error
from programs.refusals import Refused
from programs.services.activity_log import record_activity

from ...models import ANSWER_LIMIT, Interview, InterviewEvent, InterviewState

# Interviewers write until they finish; then the transcript is the trainee's to correct.
EDITABLE_STATES = (InterviewState.DRAFT,)
# The article's own text changes until the supervisor has approved what they read.
ARTICLE_EDITABLE_STATES = (
    InterviewState.DRAFT,
    InterviewState.INTERVIEWED,
    InterviewState.REVIEWED,
)


class InterviewRefused(Refused):
    """A change the rules of this kind of record do not allow (programs.refusals)."""


# Who may do what ---------------------------------------------------------------------------


def can_coordinate(user, interview: Interview) -> bool:
    return access.can_edit_program(user, interview.enrollment.program)


def can_conduct(user, interview: Interview) -> bool:
    """Coordinators of the host, and the interview's own interviewers."""
    return can_coordinate(user, interview) or interview.interviewers.filter(pk=user.pk).exists()


def is_supervisor_of(user, interview: Interview) -> bool:
    return Membership.objects.filter(
        user=user, role=Role.SUPERVISOR, municipality_id=interview.enrollment.municipality_id
    ).exists()


def record_event(interview: Interview, state: str, by, comment: str = "") -> None:
    InterviewEvent.objects.create(interview=interview, state=state, actor=by, comment=comment)
    record_activity(
        by,
        f"interview.{state}",
        interview,
        host_company=interview.enrollment.program.host,
        municipality=interview.enrollment.municipality,
    )


def move(interview: Interview, expected: tuple, to: str, by, comment: str = "") -> Interview:
    """Change the state if it is still one of `expected` (two clicks, two tabs: one wins)."""
    with transaction.atomic():
        updated = Interview.objects.filter(pk=interview.pk, state__in=expected).update(
            state=to, updated_at=timezone.now()
        )
        if not updated:
            raise InterviewRefused(
                _("This interview has moved on in the meantime: reload the page."), "state"
            )
        interview.state = to
        # update() sends no signal: the event's own save bumps the cached interview list.
        record_event(interview, to, by, comment)
    return interview


def checked_answer(raw: str, *, keep: bool = False) -> tuple[str, str | None]:
    """An answer as kept (newlines as "\\n", no spaces around) and what is wrong with it,
    if anything. With `keep`, an answer cannot be emptied (the trainee's correction)."""
    raw = raw.replace("\r\n", "\n")
    unusable = plain_text_error(raw, multiline=True)
    answer = raw.strip()
    if unusable:
        return answer, unusable
    if keep and not answer:
        return answer, _("An answer cannot be emptied; say no to publishing it instead.")
    if len(answer) > ANSWER_LIMIT:
        return answer, _("At most %(limit)s characters (now %(count)s).") % {
            "limit": ANSWER_LIMIT,
            "count": len(answer),
        }
    return answer, None
