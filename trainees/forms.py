from django import forms
from django.utils.translation import gettext_lazy as _

from programs.date_range import RangedDateField
from programs.integers import IdChoiceField, IdMultipleChoiceField, limit_integer_field
from programs.plain_text import PlainTextForm, PlainTextModelForm

from .models import ProgramSurvey, QuestionSet
from .models.surveys import FOLLOWUP_MIN_DAYS


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
            f"{a.date:%m/%d} {a.start_time:%H:%M}–{a.end_time:%H:%M} {a.title}"
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
