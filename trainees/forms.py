from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ProgramSurvey, QuestionSet


class SurveySettingsForm(forms.ModelForm):
    """The question set a program asks (built-in or the host's own) and the follow-up."""

    class Meta:
        model = ProgramSurvey
        fields = ["question_set", "followup_days"]
        labels = {"followup_days": _("Follow-up survey after (days)")}

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question_set"].queryset = QuestionSet.objects.usable_by(program.host)
        self.fields["question_set"].empty_label = None
        self.fields["followup_days"].widget.attrs.update({"min": 7, "max": 730})
