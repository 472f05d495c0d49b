import re

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.date_range import RangedDateField
from programs.formats import show, time_range
from programs.integers import IdChoiceField, IdMultipleChoiceField, limit_integer_field
from programs.plain_text import PlainTextForm, PlainTextModelForm

from .models import ProgramSurvey, QuestionSet
from .models.surveys import FOLLOWUP_MIN_DAYS, answer_field


class SurveySettingsForm(PlainTextModelForm):
    """The question set a program asks (built-in or the host's own) and the follow-up."""

    class Meta:
        model = ProgramSurvey
        fields = ["question_set", "followup_days"]
        labels = {"followup_days": _("Follow-up survey after (days)")}
        field_classes = {"question_set": IdChoiceField}

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question_set"].queryset = QuestionSet.objects.usable_by(program.host)
        self.fields["question_set"].empty_label = None
        # The model's bounds on the form's field: out of them the value never reaches the
        # instance, which the page then draws (its follow-up window among others).
        limit_integer_field(self.fields["followup_days"], minimum=FOLLOWUP_MIN_DAYS, maximum=730)


class InterviewScheduleForm(PlainTextForm):
    """When and where an interview takes place, who asks, and from which template."""

    enrollment = IdChoiceField(queryset=None, label=_("Trainee"))
    slot = IdChoiceField(
        queryset=None,
        required=False,
        label=_("An interview slot of the week"),
        empty_label=_("— a new slot —"),
        help_text=_("Or give a date and times below for a slot of this trainee only."),
    )
    date = RangedDateField(
        label=_("Date"), required=False, widget=forms.DateInput({"type": "date"})
    )
    start_time = forms.TimeField(
        label=_("Start"), required=False, widget=forms.TimeInput({"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("End"), required=False, widget=forms.TimeInput({"type": "time"})
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_url = forms.URLField(
        label=_("Online meeting link"), required=False, assume_scheme="https"
    )
    interviewers = IdMultipleChoiceField(
        queryset=None, label=_("Interviewers"), widget=forms.CheckboxSelectMultiple
    )
    template = IdChoiceField(queryset=None, label=_("Questions from"), empty_label=None)

    def __init__(self, *args, program, interview=None, **kwargs):
        from programs.models import Activity, ActivityKind, User
        from programs.models.organisations import HOST_ROLES

        from .models import InterviewTemplate

        super().__init__(*args, **kwargs)
        self.fields["enrollment"].queryset = (
            program.enrollments.active().filter(interviews__isnull=True).select_related("trainee")
        )
        self.fields["enrollment"].label_from_instance = lambda e: e.trainee.display_name
        # The week's interview slots, not those made for one trainee's interview.
        self.fields["slot"].queryset = (
            Activity.objects.live()
            .filter(program=program, kind=ActivityKind.INTERVIEW)
            .exclude(interviews__owns_activity=True)
            .distinct()
        )
        self.fields["slot"].label_from_instance = lambda a: (
            f"{show(a.date, 'day')} {time_range(a.start_time, a.end_time)} {a.title}"
        )
        self.fields["interviewers"].queryset = (
            User.objects.filter(
                memberships__host_company=program.host, memberships__role__in=HOST_ROLES
            )
            .distinct()
            .order_by("family_name_kana", "email")
        )
        self.fields["interviewers"].label_from_instance = lambda u: u.display_name
        self.fields["template"].queryset = InterviewTemplate.objects.usable_by(program.host)
        if interview is not None:
            del self.fields["enrollment"]
            del self.fields["template"]

    def clean(self):
        data = super().clean()
        if not data.get("slot") and not (
            data.get("date") and data.get("start_time") and data.get("end_time")
        ):
            self.add_error("date", _("Give the date and the times, or choose a slot of the week."))
        start, end = data.get("start_time"), data.get("end_time")
        if not data.get("slot") and start and end and end <= start:
            self.add_error("end_time", _("The end must be after the start."))
        return data


class PerQuestionForm(forms.Form):
    """Fields named `<kind>-<question id>`, read as sent (None when not sent): one for each
    such name the page sent, and one of each kind for each of `questions`. The rules the
    text must meet are the service's, which names the field at fault in its refusal."""

    KINDS: tuple[str, ...] = ()
    OTHER: tuple[str, ...] = ()

    def __init__(self, data=None, *, questions=(), **kwargs):
        super().__init__(data, **kwargs)
        pattern = re.compile(rf"({'|'.join(self.KINDS)})-([1-9][0-9]{{0,17}})")
        names = [*self.OTHER, *(f"{kind}-{q.pk}" for q in questions for kind in self.KINDS)]
        names += [key for key in (data or {}) if pattern.fullmatch(key)]
        for name in names:
            self.fields[name] = forms.Field(required=False)

    def per_question(self, kind: str) -> dict[int, str]:
        """{question id: text} for the fields of `kind` the page sent."""
        prefix = f"{kind}-"
        return {
            int(name.removeprefix(prefix)): value
            for name, value in self.cleaned_data.items()
            if name.startswith(prefix) and value is not None
        }

    def sent(self, name: str, default=None):
        """What the page sent in `name`, to show again after a refusal."""
        value = self[name].value() if name in self.fields else None
        return default if value is None else value


def _truthy(value) -> bool:
    return str(value).lower() in {"on", "1", "true", "yes"}


class InterviewAnswersForm(PerQuestionForm):
    """The interviewer's page: each question's answer, its wording, its highlight mark."""

    KINDS = ("answer", "text", "highlight")

    def changes(self) -> dict:
        """The service's arguments: answers, question texts and highlights by question id."""
        return {
            "answers": self.per_question("answer"),
            "texts": self.per_question("text"),
            "highlights": {pk: _truthy(v) for pk, v in self.per_question("highlight").items()},
        }


class InterviewReviewForm(PerQuestionForm):
    """The trainee's review: a yes or no to publishing each answer, their corrections, and
    how their name appears."""

    KINDS = ("consent", "answer")
    OTHER = ("name_form",)

    def review(self) -> dict:
        """The service's arguments: the name form, each consent (True, False, or absent when
        neither yes nor no) and each corrected answer, by question id."""
        consents = {"yes": True, "no": False}
        return {
            "name_form": self.sent("name_form", ""),
            "consents": {
                pk: consents[value]
                for pk, value in self.per_question("consent").items()
                if value in consents
            },
            "corrections": self.per_question("answer"),
        }


class SurveyAnswerForm(forms.Form):
    """A trainee's survey answers, one field per question (`q<id>`), read as sent; the
    survey's rules (`services.surveys.answer`) name the field at fault in their refusal."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[answer_field(question.pk)] = forms.Field(required=False)

    def answers(self) -> dict[int, str]:
        """{question id: text as sent ("" when not sent)}."""
        return {q.pk: self.cleaned_data.get(answer_field(q.pk)) or "" for q in self.questions}


def field_errors(form) -> dict:
    """The form's first message per field, and per page ("__all__"), as the pages that draw
    their fields themselves show them."""
    return {name: errors[0] for name, errors in form.errors.items()}


class InterviewTemplateForm(forms.Form):
    """A host's interview template: its name and one question per line, read as sent (the
    rules are `services.interviews.save_template`'s)."""

    name = forms.Field(required=False)
    questions = forms.Field(required=False)

    def sent(self) -> dict:
        return {name: self[name].value() or "" for name in self.fields}
