"""Conducting the interview: the interviewer's answers (saved as they type, safely
repeated), the wording and highlight of each question, follow-up questions, finishing."""

from django.db import transaction
from django.utils.translation import gettext as _

from programs.plain_text import plain_text_error

from ...models import QUESTION_LIMIT, Interview, InterviewQuestion, InterviewState
from .rules import EDITABLE_STATES, InterviewRefused, can_conduct, checked_answer, move


def _question_text_error(text: str) -> str | None:
    if unusable := plain_text_error(text, multiline=False):
        return unusable
    if not text or len(text) > QUESTION_LIMIT:
        return _("A question needs between 1 and %(limit)s characters.") % {"limit": QUESTION_LIMIT}
    return None


def _apply(q: InterviewQuestion, answer, text, highlight, errors: dict) -> bool:
    """Put what the page sent for question `q` on it (None: not sent). What is wrong goes
    in `errors` under the form's field name. Whether anything changed."""
    dirty = False
    if answer is not None:
        answer, error = checked_answer(answer)
        if error:
            errors[f"answer-{q.pk}"] = error
        elif answer != q.answer:
            q.answer, dirty = answer, True
    if text is not None:
        text = text.strip()
        if error := _question_text_error(text):
            errors[f"text-{q.pk}"] = error
        elif text != q.text:
            q.text, dirty = text, True
    if highlight is not None and highlight != q.highlight:
        q.highlight, dirty = highlight, True
    return dirty


def save_answers(
    interview: Interview,
    answers: dict | None = None,
    *,
    texts: dict | None = None,
    highlights: dict | None = None,
    by,
    client_id: str = "",
    client_seq: int = 0,
) -> bool:
    """Save what the interviewer typed: answers, question wording (text by question id) and
    highlights (True or False by question id); a question the page did not send is left as
    it is. A save the same page already made is not applied again. Returns whether anything
    was applied."""
    if not can_conduct(by, interview):
        raise InterviewRefused(_("Only the interviewers record answers."), "forbidden")
    answers, texts, highlights = answers or {}, texts or {}, highlights or {}
    errors = {}
    with transaction.atomic():
        row = Interview.objects.select_for_update().get(pk=interview.pk)
        if row.state not in EDITABLE_STATES:
            raise InterviewRefused(
                _("The interview has been finished: its answers are the trainee's to correct."),
                "locked",
            )
        if client_id and row.client_id == client_id and client_seq <= row.client_seq:
            return False
        changed = [
            q
            for q in row.questions.all()
            if _apply(q, answers.get(q.pk), texts.get(q.pk), highlights.get(q.pk), errors)
        ]
        if errors:
            raise InterviewRefused(_("Some fields need attention."), "invalid", errors)
        InterviewQuestion.objects.bulk_update(changed, ["answer", "text", "highlight"])
        row.revision += 1
        row.client_id, row.client_seq = client_id[:40], client_seq
        row.save(update_fields=["revision", "client_id", "client_seq", "updated_at"])
    interview.revision = row.revision
    return True


def add_question(interview: Interview, text: str, *, by, after: int | None = None):
    """A question asked on the spot, after question `after` (a pk) or at the end."""
    if not can_conduct(by, interview):
        raise InterviewRefused(_("Only the interviewers record answers."), "forbidden")
    text = (text or "").strip()
    if message := plain_text_error(text, multiline=False):
        raise InterviewRefused(message, "invalid", {"question": message})
    if not text or len(text) > QUESTION_LIMIT:
        message = _("A question needs between 1 and %(limit)s characters.") % {
            "limit": QUESTION_LIMIT
        }
        raise InterviewRefused(message, "invalid", {"question": message})
    with transaction.atomic():
        row = Interview.objects.select_for_update().get(pk=interview.pk)
        if row.state not in EDITABLE_STATES:
            raise InterviewRefused(_("The questions of this interview no longer change."), "locked")
        questions = list(interview.questions.order_by("order", "pk"))
        position = len(questions)
        for index, q in enumerate(questions):
            if q.pk == after:
                position = index + 1
        new = InterviewQuestion(interview=interview, text=text, follow_up=True)
        questions.insert(position, new)
        for order, q in enumerate(questions, start=1):
            q.order = order
        new.save()
        InterviewQuestion.objects.bulk_update([q for q in questions if q is not new], ["order"])
    return new


def _lock_editable(interview: Interview, by) -> None:
    if not can_conduct(by, interview):
        raise InterviewRefused(_("Only the interviewers change the questions."), "forbidden")
    row = Interview.objects.select_for_update().get(pk=interview.pk)
    if row.state not in EDITABLE_STATES:
        raise InterviewRefused(_("The questions of this interview no longer change."), "locked")


def move_question(question: InterviewQuestion, direction: int, *, by) -> None:
    interview = question.interview
    with transaction.atomic():
        _lock_editable(interview, by)
        questions = list(interview.questions.order_by("order", "pk"))
        index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
        other = index + direction
        if 0 <= other < len(questions):
            questions[index], questions[other] = questions[other], questions[index]
            for order, q in enumerate(questions, start=1):
                q.order = order
            InterviewQuestion.objects.bulk_update(questions, ["order"])


def remove_question(question: InterviewQuestion, *, by) -> None:
    with transaction.atomic():
        _lock_editable(question.interview, by)
        if InterviewQuestion.objects.filter(pk=question.pk).exclude(answer="").exists():
            raise InterviewRefused(_("A question with an answer is not removed."), "answered")
        question.delete()


def finish(interview: Interview, *, by) -> Interview:
    """The interviewer is done: the trainee can now read, correct and consent."""
    if not can_conduct(by, interview):
        raise InterviewRefused(_("Only the interviewers finish an interview."), "forbidden")
    if not interview.questions.exclude(answer="").exists():
        raise InterviewRefused(_("Record at least one answer first."), "empty")
    return move(interview, (InterviewState.DRAFT,), InterviewState.INTERVIEWED, by)
