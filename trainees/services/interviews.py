"""The post-training interview: scheduling it into the week, recording answers (saved as the
interviewer types, safely repeated), follow-up questions, the trainee's corrections and
consent, the supervisor's approval, publication. Each move is allowed to one role only and
recorded with who and when."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from programs import access
from programs.models import Activity, ActivityKind, Enrollment, Membership, Role
from programs.models.organisations import HOST_ROLES
from programs.plain_text import plain_text_error, plain_text_errors
from programs.refusals import Refused
from programs.services.activity_log import record_activity
from programs.services.week import ActivityRefused, Slot, cancel_activity, save_activity

from ..builtin_interview import create_built_in_template
from ..models import (
    ANSWER_LIMIT,
    ARTICLE_TEXT_LIMIT,
    QUESTION_LIMIT,
    Interview,
    InterviewEvent,
    InterviewQuestion,
    InterviewState,
    InterviewTemplate,
    InterviewTemplateQuestion,
    NameForm,
)
from ..names import initials_known

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


def built_in_template() -> InterviewTemplate:
    template = InterviewTemplate.objects.filter(host__isnull=True).order_by("pk").first()
    if template is None:
        # Deleted by an operator (or never migrated in): the built-in template comes back.
        template = create_built_in_template(InterviewTemplate, InterviewTemplateQuestion)
    return template


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


def _event(interview: Interview, state: str, by, comment: str = "") -> None:
    InterviewEvent.objects.create(interview=interview, state=state, actor=by, comment=comment)
    record_activity(
        by,
        f"interview.{state}",
        interview,
        host_company=interview.enrollment.program.host,
        municipality=interview.enrollment.municipality,
    )


def _move(interview: Interview, expected: tuple, to: str, by, comment: str = "") -> Interview:
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
        _event(interview, to, by, comment)
    return interview


# Scheduling --------------------------------------------------------------------------------


@dataclass
class Plan:
    """When and where: a new slot (date, start, end, place) or an existing interview slot of
    the week (`slot`), the online link, the interviewers."""

    interviewers: list
    date: datetime.date | None = None
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    place: str = ""
    online_url: str = ""
    slot: Activity | None = None


def _check_interviewers(enrollment: Enrollment, interviewers) -> None:
    if not interviewers:
        raise InterviewRefused(
            _("Choose at least one interviewer."),
            "no_interviewer",
            {"interviewers": _("Choose at least one interviewer.")},
        )
    known = set(
        Membership.objects.filter(
            host_company=enrollment.program.host_id,
            role__in=HOST_ROLES,
            user__in=interviewers,
        ).values_list("user_id", flat=True)
    )
    if known != {u.pk for u in interviewers}:
        message = _("Interviewers are coordinators or staff of the host company.")
        raise InterviewRefused(message, "foreign_interviewer", {"interviewers": message})


def _slot_activity(enrollment: Enrollment, plan: Plan, *, by, current: Activity | None):
    """The activity of the week the interview takes place in: the chosen existing slot, or
    a new (or moved) one for this trainee only. Clashes are refused as in the week editor."""
    program = enrollment.program
    if plan.slot is not None:
        slot = plan.slot
        takes_part = slot.for_all or slot.participants.filter(pk=enrollment.pk).exists()
        if slot.program_id != program.pk or slot.cancelled_at or not takes_part:
            message = _("Choose an interview slot of this program that includes the trainee.")
            raise InterviewRefused(message, "slot", {"slot": message})
        return slot, False
    if not (plan.date and plan.start_time and plan.end_time):
        message = _("Give the date and the times, or choose a slot of the week.")
        raise InterviewRefused(message, "when", {"date": message})
    title = _("Interview: %(name)s") % {"name": enrollment.trainee.display_name}
    try:
        activity = save_activity(
            program,
            Slot(
                date=plan.date,
                start_time=plan.start_time,
                end_time=plan.end_time,
                title=title[:200],
                kind=ActivityKind.INTERVIEW,
                place=plan.place,
                facilitator=plan.interviewers[0],
                for_all=False,
                participants=[enrollment],
                notes=plan.online_url,
            ),
            by=by,
            activity=current,
        )
    except ActivityRefused as refused:
        raise InterviewRefused(refused.message, "clash", {"date": refused.message}) from refused
    return activity, True


def default_introduction(enrollment: Enrollment) -> str:
    program = enrollment.program
    return _(
        "A staff member of %(municipality)s%(department)s spent %(days)s days at %(host)s "
        "(%(start)s–%(end)s) in the program “%(program)s”. We asked about the week."
    ) % {
        "municipality": enrollment.municipality.name,
        "department": f"（{enrollment.department}）" if enrollment.department else "",
        "days": len(program.days),
        "host": program.host.name,
        "start": formats.date_format(program.start_date, "Y/n/j"),
        "end": formats.date_format(program.end_date, "n/j"),
        "program": program.title,
    }


def schedule(
    enrollment: Enrollment, plan: Plan, *, by, template: InterviewTemplate | None = None
) -> Interview:
    program = enrollment.program
    if not access.can_edit_program(by, program):
        raise InterviewRefused(_("Only a coordinator schedules interviews."), "forbidden")
    if not enrollment.is_active:
        raise InterviewRefused(_("This trainee has withdrawn from the program."), "withdrawn")
    if Interview.objects.filter(enrollment=enrollment).exists():
        message = _("This trainee already has an interview in this program.")
        raise InterviewRefused(message, "twice", {"enrollment": message})
    _check_interviewers(enrollment, plan.interviewers)
    template = template or built_in_template()
    if template.host_id not in (None, program.host_id):
        raise InterviewRefused(_("Choose one of the offered templates."), "foreign_template")
    with transaction.atomic():
        activity, owns = _slot_activity(enrollment, plan, by=by, current=None)
        interview = Interview.objects.create(
            enrollment=enrollment,
            activity=activity,
            owns_activity=owns,
            online_url=plan.online_url,
            created_by=by,
            introduction=default_introduction(enrollment),
            closing=_("Thank you for taking part in the program."),
        )
        interview.interviewers.set(plan.interviewers)
        InterviewQuestion.objects.bulk_create(
            InterviewQuestion(interview=interview, order=q.order, text=q.text)
            for q in template.questions.order_by("order")
        )
        _event(interview, InterviewState.DRAFT, by)
    return interview


def reschedule(interview: Interview, plan: Plan, *, by) -> Interview:
    if not can_coordinate(by, interview):
        raise InterviewRefused(_("Only a coordinator schedules interviews."), "forbidden")
    enrollment = interview.enrollment
    _check_interviewers(enrollment, plan.interviewers)
    with transaction.atomic():
        row = Interview.objects.select_for_update().get(pk=interview.pk)
        if row.state != InterviewState.DRAFT:
            raise InterviewRefused(_("The interview has been held: its time no longer changes."))
        old = row.activity
        # Its own slot moves with it; a cancelled one (deleted in the week) is replaced.
        reuse = row.owns_activity and plan.slot is None and old.cancelled_at is None
        activity, owns = _slot_activity(enrollment, plan, by=by, current=old if reuse else None)
        if row.owns_activity and activity.pk != old.pk and old.cancelled_at is None:
            cancel_activity(old, by=by)
        row.activity, row.owns_activity = activity, owns
        row.online_url = plan.online_url
        row.save(update_fields=["activity", "owns_activity", "online_url", "updated_at"])
        row.interviewers.set(plan.interviewers)
    interview.activity, interview.owns_activity = row.activity, row.owns_activity
    return interview


# Conducting -------------------------------------------------------------------------------


def _truthy(value) -> bool:
    return str(value).lower() in {"on", "1", "true", "yes"}


def save_answers(
    interview: Interview,
    data,
    *,
    by,
    client_id: str = "",
    client_seq: int = 0,
) -> bool:
    """Save what the interviewer typed (answers, highlights, question wording). A save the
    same page already made is not applied again. Returns whether anything was applied."""
    if not can_conduct(by, interview):
        raise InterviewRefused(_("Only the interviewers record answers."), "forbidden")
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
        questions = list(row.questions.all())
        changed = []
        for q in questions:
            answer = data.get(f"answer-{q.pk}")
            text = data.get(f"text-{q.pk}")
            highlight = data.get(f"highlight-{q.pk}")
            dirty = False
            if answer is not None:
                answer = answer.replace("\r\n", "\n")
                unusable = plain_text_error(answer, multiline=True)
                answer = answer.strip()
                if unusable:
                    errors[f"answer-{q.pk}"] = unusable
                elif len(answer) > ANSWER_LIMIT:
                    errors[f"answer-{q.pk}"] = _(
                        "At most %(limit)s characters (now %(count)s)."
                    ) % {
                        "limit": ANSWER_LIMIT,
                        "count": len(answer),
                    }
                elif answer != q.answer:
                    q.answer, dirty = answer, True
            if text is not None:
                text = text.strip()
                if unusable := plain_text_error(text, multiline=False):
                    errors[f"text-{q.pk}"] = unusable
                elif not text or len(text) > QUESTION_LIMIT:
                    errors[f"text-{q.pk}"] = _(
                        "A question needs between 1 and %(limit)s characters."
                    ) % {"limit": QUESTION_LIMIT}
                elif text != q.text:
                    q.text, dirty = text, True
            if highlight is not None and _truthy(highlight) != q.highlight:
                q.highlight, dirty = _truthy(highlight), True
            if dirty:
                changed.append(q)
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
    return _move(interview, (InterviewState.DRAFT,), InterviewState.INTERVIEWED, by)


# The trainee's review, the supervisor's approval, publication ------------------------------


def review(interview: Interview, data, *, by) -> Interview:
    """The trainee corrects their own answers (the recorded text is kept), says yes or no
    to publishing each answer, and chooses how their name appears."""
    if by.pk != interview.enrollment.trainee_id:
        raise InterviewRefused(_("Only the trainee interviewed reviews this."), "forbidden")
    if interview.state != InterviewState.INTERVIEWED:
        raise InterviewRefused(_("This interview is not waiting for your review."), "state")
    errors = {}
    name_form = data.get("name_form", "")
    if name_form not in NameForm.values:
        errors["name_form"] = _("Choose how your name appears.")
    elif name_form == NameForm.INITIALS and not initials_known(by):
        errors["name_form"] = _(
            "The reading of your name is not known, so no initials can be made: choose "
            "another form, or ask your coordinator to add the reading (kana)."
        )
    questions = [q for q in interview.questions.all() if q.answer]
    updates = []
    now = timezone.now()
    for q in questions:
        consent = data.get(f"consent-{q.pk}", "")
        if consent not in ("yes", "no"):
            errors[f"consent-{q.pk}"] = _("Say whether this answer may be published.")
        corrected = data.get(f"answer-{q.pk}")
        if corrected is not None:
            corrected = corrected.replace("\r\n", "\n")
            unusable = plain_text_error(corrected, multiline=True)
            corrected = corrected.strip()
            if unusable:
                errors[f"answer-{q.pk}"] = unusable
            elif not corrected:
                errors[f"answer-{q.pk}"] = _(
                    "An answer cannot be emptied; say no to publishing it instead."
                )
            elif len(corrected) > ANSWER_LIMIT:
                errors[f"answer-{q.pk}"] = _("At most %(limit)s characters (now %(count)s).") % {
                    "limit": ANSWER_LIMIT,
                    "count": len(corrected),
                }
            elif corrected != q.answer:
                if not q.recorded_answer:
                    q.recorded_answer = q.answer
                q.answer, q.corrected_at = corrected, now
        q.consent = consent == "yes"
        updates.append(q)
    if errors:
        raise InterviewRefused(_("Some answers need attention."), "invalid", errors)
    with transaction.atomic():
        InterviewQuestion.objects.bulk_update(
            updates, ["answer", "recorded_answer", "corrected_at", "consent"]
        )
        Interview.objects.filter(pk=interview.pk).update(name_form=name_form)
        interview.name_form = name_form
        _move(interview, (InterviewState.INTERVIEWED,), InterviewState.REVIEWED, by)
    return interview


def approve(interview: Interview, *, by) -> Interview:
    if not is_supervisor_of(by, interview):
        raise InterviewRefused(
            _("Only a supervisor of the trainee's municipality approves."), "forbidden"
        )
    interview = _move(interview, (InterviewState.REVIEWED,), InterviewState.APPROVED, by)
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
        _move(interview, (InterviewState.REVIEWED,), InterviewState.INTERVIEWED, by, comment)
        Interview.objects.filter(pk=interview.pk).update(supervisor_comment=comment[:2000])
    return interview


def publish(interview: Interview, *, by) -> Interview:
    if not can_coordinate(by, interview):
        raise InterviewRefused(_("Only a coordinator publishes."), "forbidden")
    return _move(interview, (InterviewState.APPROVED,), InterviewState.PUBLISHED, by)


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


# Templates ---------------------------------------------------------------------------------

TEMPLATE_MAX_QUESTIONS = 30


def save_template(host, name: str, questions_text: str, *, by, template=None):
    """A host's own template: a name and one question per line, in order. The built-in one
    is not changed; a coordinator "edits" it by saving a copy as their own."""
    if not host.memberships.filter(user=by, role=Role.COORDINATOR).exists() and not (
        by.is_active and by.is_superuser
    ):
        raise InterviewRefused(_("Only a coordinator edits templates."), "forbidden")
    if template is not None and template.host_id != host.pk:
        raise InterviewRefused(_("The built-in template is copied, not changed."), "built_in")
    errors = {}
    name = (name or "").strip()
    if not name or len(name) > 120:
        errors["name"] = _("Give the template a name of at most 120 characters.")
    lines = [line.strip() for line in (questions_text or "").splitlines() if line.strip()]
    if not lines:
        errors["questions"] = _("Write at least one question, one per line.")
    elif len(lines) > TEMPLATE_MAX_QUESTIONS:
        errors["questions"] = _("At most %(count)s questions.") % {"count": TEMPLATE_MAX_QUESTIONS}
    elif any(len(line) > QUESTION_LIMIT for line in lines):
        errors["questions"] = _("A question needs between 1 and %(limit)s characters.") % {
            "limit": QUESTION_LIMIT
        }
    # A character that cannot be kept is said in place of the rest: it is what to change.
    errors |= plain_text_errors(
        {"name": name, "questions": (questions_text or "").replace("\r\n", "\n")},
        multiline=("questions",),
    )
    if errors:
        raise InterviewRefused(_("Some fields need attention."), "invalid", errors)
    with transaction.atomic():
        if template is None:
            template = InterviewTemplate.objects.create(host=host, name=name)
        else:
            template.name = name
            template.save(update_fields=["name"])
            template.questions.all().delete()
        InterviewTemplateQuestion.objects.bulk_create(
            InterviewTemplateQuestion(template=template, order=order, text=text)
            for order, text in enumerate(lines, start=1)
        )
    return template
