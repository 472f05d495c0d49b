"""Interview templates: the built-in one, and a host's own (a name and one question per
line)."""

from django.db import transaction
from django.utils.translation import gettext as _

from programs.models import Role
from programs.plain_text import plain_text_errors

from ...builtin_interview import create_built_in_template
from ...models import QUESTION_LIMIT, InterviewTemplate, InterviewTemplateQuestion
from .rules import InterviewRefused

TEMPLATE_MAX_QUESTIONS = 30


def built_in_template() -> InterviewTemplate:
    template = InterviewTemplate.objects.filter(host__isnull=True).order_by("pk").first()
    if template is None:
        # Deleted by an operator (or never migrated in): the built-in template comes back.
        template = create_built_in_template(InterviewTemplate, InterviewTemplateQuestion)
    return template


def _template_errors(name: str, lines: list[str], questions_text: str) -> dict:
    errors = {}
    if not name or len(name) > 120:
        errors["name"] = _("Give the template a name of at most 120 characters.")
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
    return errors


def save_template(host, name: str, questions_text: str, *, by, template=None):
    """A host's own template: a name and one question per line, in order. The built-in one
    is not changed; a coordinator "edits" it by saving a copy as their own."""
    if not host.memberships.filter(user=by, role=Role.COORDINATOR).exists() and not (
        by.is_active and by.is_superuser
    ):
        # Said next to the name on the templates' page, as every refusal of a template is.
        raise InterviewRefused(_("Only a coordinator edits templates."), "forbidden", field="name")
    if template is not None and template.host_id != host.pk:
        raise InterviewRefused(
            _("The built-in template is copied, not changed."), "built_in", field="name"
        )
    name = (name or "").strip()
    lines = [line.strip() for line in (questions_text or "").splitlines() if line.strip()]
    if errors := _template_errors(name, lines, questions_text):
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
