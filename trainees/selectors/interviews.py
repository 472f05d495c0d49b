"""What the interview pages read: a program's interviews, the interviewer's questions, the
trainee's review."""

from config.jinja2 import url_by_pk
from config.translated import choice_labels
from programs.formats import join_names, show, time_range

from ..cells import display_name
from ..models import Interview, InterviewState, NameForm
from ..names import initials_known, trainee_name


def _interviewers(found: list) -> dict[int, list[str]]:
    """The interviewers' names of these interviews (in the order they were added)."""
    interviewers: dict[int, list[str]] = {}
    if found:
        for interview_id, family, given, email in (
            Interview.interviewers.through.objects.filter(
                interview_id__in=[row[0] for row in found]
            )
            .order_by("pk")
            .values_list("interview_id", "user__family_name", "user__given_name", "user__email")
        ):
            interviewers.setdefault(interview_id, []).append(display_name(family, given, email))
    return interviewers


def list_context(user, program, is_host: bool) -> dict:
    """One query for the interviews' cells and, when there are any, one for their
    interviewers (in the order they were added). The host's people see every interview of
    their host's program (`Interview.objects.visible_to` gives them all of them), so their
    query names the program; anyone else's stays scoped."""
    if is_host:
        interviews = Interview.objects.filter(enrollment__program_id=program.pk)
    else:
        interviews = Interview.objects.visible_to(user).filter(enrollment__program_id=program.pk)
    found = list(
        interviews.order_by("activity__date", "activity__start_time", "pk").values_list(
            "pk",
            "state",
            "enrollment__trainee__family_name",
            "enrollment__trainee__given_name",
            "enrollment__trainee__email",
            "enrollment__municipality__name",
            "activity__date",
            "activity__start_time",
            "activity__end_time",
        )
    )
    interviewers = _interviewers(found)
    link = url_by_pk("trainees:interview_conduct" if is_host else "reports:article_preview")
    state_labels = choice_labels(InterviewState)
    return {
        "rows": [
            {
                "name": display_name(family, given, email),
                "municipality": municipality,
                "state": state,
                "state_label": state_labels.get(state, state),
                "when": f"{show(day, 'day')} {time_range(start, end)}",
                "interviewers": join_names(interviewers.get(pk, ())),
                "url": link(pk),
            }
            for pk, state, family, given, email, municipality, day, start, end in found
        ]
    }


def conduct_questions(interview, form, errors: dict) -> list[dict]:
    """Each question with its answer: what the page sent when it was refused."""
    return [
        {
            "q": q,
            "answer": form.sent(f"answer-{q.pk}", q.answer) if errors else q.answer,
            "error": errors.get(f"answer-{q.pk}", "") or errors.get(f"text-{q.pk}", ""),
        }
        for q in interview.questions.order_by("order", "pk")
    ]


def name_examples(interview) -> list:
    """Each name form with how this trainee's name would read, e.g. イニシャル（S.T.さん）."""
    examples = []
    for value, label in NameForm.choices:
        if value == NameForm.INITIALS and not initials_known(interview.enrollment.trainee):
            examples.append((value, label))
            continue
        original = interview.name_form
        interview.name_form = value
        examples.append((value, f"{label}（{trainee_name(interview)}）"))
        interview.name_form = original
    return examples


def review_questions(questions, form) -> list[dict]:
    """Each question with the trainee's answer and consent: what the page sent when it was
    refused (`form`), else what is saved."""
    rows = []
    for q in questions:
        if form is None:
            consent, answer, error = {True: "yes", False: "no"}.get(q.consent, ""), q.answer, ""
        else:
            consent = form.sent(f"consent-{q.pk}", "")
            answer = form.sent(f"answer-{q.pk}", q.answer)
            error = _first_error(form, f"consent-{q.pk}", f"answer-{q.pk}")
        rows.append({"q": q, "answer": answer, "consent": consent, "error": error})
    return rows


def _first_error(form, *names) -> str:
    for name in names:
        if form.errors.get(name):
            return form.errors[name][0]
    return ""
