"""After the interview: the trainee's corrections and consent, the supervisor's approval or
request for changes, the article's own text, publication."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.plain_text import plain_text_error, plain_text_errors

from ...models import ARTICLE_TEXT_LIMIT, Interview, InterviewQuestion, InterviewState, NameForm
from ...names import initials_known
from .conducting import finish
from .rules import (
    ARTICLE_EDITABLE_STATES,
    InterviewRefused,
    can_coordinate,
    checked_answer,
    is_supervisor_of,
    move,
)


def _name_form_error(name_form: str, by) -> str | None:
    if name_form not in NameForm.values:
        return _("Choose how your name appears.")
    if name_form == NameForm.INITIALS and not initials_known(by):
        return _(
            "The reading of your name is not known, so no initials can be made: choose "
            "another form, or ask your coordinator to add the reading (kana)."
        )
    return None


def _decide(q: InterviewQuestion, consent, corrected, errors: dict, now) -> None:
    """Put the trainee's consent (True, False or None: not said) and correction (None: not
    sent) on answered question `q`; what is wrong goes in `errors` under the field's name.
    The recorded answer is kept the first time it is corrected."""
    if consent is None:
        errors[f"consent-{q.pk}"] = _("Say whether this answer may be published.")
    if corrected is not None:
        corrected, error = checked_answer(corrected, keep=True)
        if error:
            errors[f"answer-{q.pk}"] = error
        elif corrected != q.answer:
            if not q.recorded_answer:
                q.recorded_answer = q.answer
            q.answer, q.corrected_at = corrected, now
    q.consent = consent is True


def review(
    interview: Interview,
    name_form: str,
    consents: dict,
    corrections: dict | None = None,
    *,
    by,
) -> Interview:
    """The trainee corrects their own answers (the recorded text is kept), says yes or no
    to publishing each answer (True or False by question id), and chooses how their name
    appears. `corrections` holds the answers they sent, by question id."""
    if by.pk != interview.enrollment.trainee_id:
        raise InterviewRefused(_("Only the trainee interviewed reviews this."), "forbidden")
    if interview.state != InterviewState.INTERVIEWED:
        raise InterviewRefused(_("This interview is not waiting for your review."), "state")
    corrections = corrections or {}
    errors = {}
    if error := _name_form_error(name_form, by):
        errors["name_form"] = error
    updates = [q for q in interview.questions.all() if q.answer]
    now = timezone.now()
    for q in updates:
        _decide(q, consents.get(q.pk), corrections.get(q.pk), errors, now)
    if errors:
        raise InterviewRefused(_("Some answers need attention."), "invalid", errors)
    with transaction.atomic():
        InterviewQuestion.objects.bulk_update(
            updates, ["answer", "recorded_answer", "corrected_at", "consent"]
        )
        Interview.objects.filter(pk=interview.pk).update(name_form=name_form)
        interview.name_form = name_form
        move(interview, (InterviewState.INTERVIEWED,), InterviewState.REVIEWED, by)
    return interview


def approve(interview: Interview, *, by) -> Interview:
    if not is_supervisor_of(by, interview):
        raise InterviewRefused(
            _("Only a supervisor of the trainee's municipality approves."), "forbidden"
        )
    interview = move(interview, (InterviewState.REVIEWED,), InterviewState.APPROVED, by)
    Interview.objects.filter(pk=interview.pk).update(supervisor_comment="")
    return interview


def request_changes(interview: Interview, comment: str, *, by) -> Interview:
    """Back to the trainee (and the interviewers) with the supervisor's comment."""
    if not is_supervisor_of(by, interview):
        raise InterviewRefused(
            _("Only a supervisor of the trainee's municipality approves."), "forbidden"
        )
    comment = (comment or "").replace("\r\n", "\n")
    if message := plain_text_error(comment, multiline=True):
        raise InterviewRefused(message, "invalid", {"comment": message})
    comment = comment.strip()
    if not comment:
        message = _("Say what should change.")
        raise InterviewRefused(message, "invalid", {"comment": message})
    with transaction.atomic():
        move(interview, (InterviewState.REVIEWED,), InterviewState.INTERVIEWED, by, comment)
        Interview.objects.filter(pk=interview.pk).update(supervisor_comment=comment[:2000])
    return interview


def publish(interview: Interview, *, by) -> Interview:
    if not can_coordinate(by, interview):
        raise InterviewRefused(_("Only a coordinator publishes."), "forbidden")
    return move(interview, (InterviewState.APPROVED,), InterviewState.PUBLISHED, by)


def edit_article(interview: Interview, introduction: str, closing: str, *, by) -> None:
    """The introduction and closing change until the supervisor approves the article (what
    they approve is what is published)."""
    if not can_coordinate(by, interview):
        raise InterviewRefused(_("Only a coordinator edits the article."), "forbidden")
    errors = plain_text_errors(
        {"introduction": introduction, "closing": closing},
        multiline=("introduction", "closing"),
    )
    for name, value in (("introduction", introduction), ("closing", closing)):
        if name not in errors and len(value or "") > ARTICLE_TEXT_LIMIT:
            errors[name] = _("At most %(limit)s characters (now %(count)s).") % {
                "limit": ARTICLE_TEXT_LIMIT,
                "count": len(value),
            }
    if errors:
        raise InterviewRefused(_("Some fields need attention."), "invalid", errors)
    updated = Interview.objects.filter(pk=interview.pk, state__in=ARTICLE_EDITABLE_STATES).update(
        introduction=(introduction or "").strip(),
        closing=(closing or "").strip(),
        updated_at=timezone.now(),
    )
    if not updated:
        raise InterviewRefused(
            _("The article has been approved: it no longer changes."), "published"
        )


MOVES = {
    "finish": finish,
    "approve": approve,
    "publish": publish,
}
