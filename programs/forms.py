"""The forms of the programs app: invitations and accounts, programs, enrolments and the week."""

from datetime import date

from django import forms
from django.contrib.auth import password_validation
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choosers import MunicipalityField
from .date_range import RangedDateField, limit_date_field
from .formats import show
from .integers import IdChoiceField, IdMultipleChoiceField
from .models import (
    Activity,
    ActivityKind,
    Municipality,
    Program,
    Role,
    Status,
    TraineeProfile,
    User,
    WeekTemplate,
)
from .models.programs import MAX_PROGRAM_DAYS
from .plain_text import PlainTextForm, PlainTextModelForm, validate_plain_text
from .validators import SendableEmailField

TEXT_LIMIT = 2000


class LinesField(forms.CharField):
    """A list of short texts, one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        # Before splitting: splitlines() would quietly cut at a vertical tab or U+0085 too.
        validate_plain_text(text, multiline=True)
        return [line.strip() for line in text.splitlines() if line.strip()]


class ProgramForm(PlainTextModelForm):
    municipality_aims = LinesField(
        label=_("Aims of the municipality"),
        required=False,
        max_length=TEXT_LIMIT,
        help_text=_("One aim per line."),
    )
    host_aims = LinesField(
        label=_("Aims of the host"),
        required=False,
        max_length=TEXT_LIMIT,
        help_text=_("One aim per line."),
    )

    required_reminders = forms.MultipleChoiceField(
        label=_("Reminders trainees cannot turn off"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Everyone can turn the other reminders off for themselves."),
    )

    def __init__(self, *args, **kwargs):
        from . import registry

        super().__init__(*args, **kwargs)
        self.fields["required_reminders"].choices = [
            (kind, reminder.label) for kind, reminder in registry.reminders().items()
        ]
        limit_date_field(self.fields["start_date"])
        limit_date_field(self.fields["end_date"])

    class Meta:
        model = Program
        fields = [
            "title",
            "scheme",
            "start_date",
            "end_date",
            "municipality_aims",
            "host_aims",
            "reminder_time",
            "reflection_deadline",
            "required_reminders",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "reflection_deadline": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "end_date": _("A program lasts one to %(days)s days.") % {"days": MAX_PROGRAM_DAYS},
            "reminder_time": _(
                "Japan time. Trainees who have not written today's reflection are reminded then."
            ),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end:
            if end < start:
                self.add_error("end_date", _("The end date is before the start date."))
            elif (end - start).days + 1 > MAX_PROGRAM_DAYS:
                self.add_error(
                    "end_date",
                    _("A program lasts at most %(days)s days.") % {"days": MAX_PROGRAM_DAYS},
                )
        return data


class ProgramFilterForm(PlainTextForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    fiscal_year = forms.TypedChoiceField(
        label=_("Fiscal year"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + list(Status.choices)
    )
    municipality = IdChoiceField(
        label=_("Municipality"), required=False, queryset=Municipality.objects.none()
    )

    def __init__(self, *args, years=(), municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = self.year_choices(years)
        if municipalities is not None:
            self.fields["municipality"].queryset = municipalities

    @staticmethod
    def year_choices(years) -> list[tuple]:
        label = _("FY%(year)s")
        return [("", _("All"))] + [(y, label % {"year": y}) for y in years]


class ActivityForm(PlainTextForm):
    date = forms.TypedChoiceField(label=_("Day"), coerce=date.fromisoformat)
    start_time = forms.TimeField(
        label=_("Start"),
        widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"),
    )
    end_time = forms.TimeField(
        label=_("End"), widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    facilitator = IdChoiceField(
        label=_("Facilitator"), required=False, queryset=User.objects.none()
    )
    for_all = forms.BooleanField(label=_("All trainees take part"), required=False, initial=True)
    participants = IdMultipleChoiceField(
        label=_("Participants"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only when not all trainees take part."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    placeholder = forms.BooleanField(
        label=_("To plan (placeholder)"),
        required=False,
        help_text=_(
            "Kept for a trip or seminar not planned yet: shown to the host only, never in a "
            "calendar, and replaced by the leg or seminar planned onto it."
        ),
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["date"].choices = [(d.isoformat(), show(d, "day_long")) for d in program.days]
        self.fields["facilitator"].queryset = (
            User.objects.filter(
                memberships__host_company=program.host,
                memberships__role__in=[Role.COORDINATOR, Role.STAFF],
            )
            .distinct()
            .order_by("family_name_kana", "email")
        )
        self.fields["participants"].queryset = program.enrollments.active().select_related(
            "trainee"
        )
        self.fields["participants"].label_from_instance = lambda e: e.trainee.display_name

    def clean(self):
        data = super().clean()
        chosen = data.get("participants") or "participants" in self.errors  # refused already
        if not data.get("for_all") and not chosen:
            self.add_error(
                "participants", _("Choose the participants, or tick “All trainees take part”.")
            )
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end time must be after the start time."))
        return data

    @classmethod
    def initial_from(cls, activity: Activity) -> dict:
        return {
            "date": activity.date.isoformat(),
            "start_time": activity.start_time,
            "end_time": activity.end_time,
            "title": activity.title,
            "kind": activity.kind,
            "place": activity.place,
            "facilitator": activity.facilitator_id,
            "for_all": activity.for_all,
            "participants": list(activity.participants.values_list("pk", flat=True)),
            "notes": activity.notes,
            "placeholder": activity.placeholder,
        }


class EnrollForm(PlainTextForm):
    """Registered trainees enrolled at once (tick boxes), optionally with one mentor for
    all of them."""

    trainees = IdMultipleChoiceField(
        label=_("Trainees to enrol"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one trainee to enrol.")},
    )
    mentor = IdChoiceField(
        label=_("Mentor"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("No mentor"),
        help_text=_("For all of the trainees ticked; each one's mentor can be changed later."),
    )

    def __init__(self, *args, program: Program, user: User, **kwargs):
        from .services.programs import mentor_choices

        super().__init__(*args, **kwargs)
        enrolled = program.enrollments.active().values("trainee")
        self.fields["trainees"].queryset = (
            User.objects.filter(trainee_profile__in=TraineeProfile.objects.visible_to(user))
            .exclude(pk__in=enrolled)
            .select_related("trainee_profile__municipality")
            .order_by("family_name_kana", "email")
        )
        self.fields["trainees"].label_from_instance = lambda u: (
            f"{u.display_name}（{u.trainee_profile.municipality.name}）"
        )
        self.fields["mentor"].queryset = mentor_choices(program)


class MentorForm(PlainTextForm):
    """The mentor (メンター) of one enrolment: one of the host's people, or none."""

    mentor = IdChoiceField(label=_("Mentor"), required=False, queryset=User.objects.none())

    def __init__(self, *args, program: Program, **kwargs):
        from .services.programs import mentor_choices

        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentor_choices(program)


class InviteTraineeForm(PlainTextForm):
    email = SendableEmailField(label=_("Email address"), max_length=254)
    family_name = forms.CharField(label=_("Family name"), max_length=60)
    given_name = forms.CharField(label=_("Given name"), max_length=60, required=False)
    municipality = MunicipalityField(label=_("Municipality"))
    department = forms.CharField(label=_("Department"), max_length=120, required=False)
    position = forms.CharField(label=_("Position"), max_length=80, required=False)


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_(
            "CSV (UTF-8 or Shift_JIS) or .xlsx with the columns name, email, "
            "municipality code, department, position."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


def skip_days_off_field() -> forms.BooleanField:
    """土日祝を除く: the days go on working days only (programs.calendar_days)."""
    return forms.BooleanField(
        label=_("Skip Saturdays, Sundays and holidays"),
        help_text=_("The host's closed days are skipped too."),
        required=False,
        initial=True,
    )


class StartingWeekForm(PlainTextForm):
    """On a new program: the week it starts from (a template), applied as it is created."""

    template = IdChoiceField(
        label=_("Start the week from"),
        queryset=WeekTemplate.objects.none(),
        required=False,
        empty_label=_("An empty week"),
        help_text=_("The template's trip and seminars come as placeholders to plan."),
    )
    skip_weekends = skip_days_off_field()

    def __init__(self, *args, user: User, host, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = WeekTemplate.objects.visible_to(user).filter(
            models.Q(host__isnull=True) | models.Q(host=host)
        )


class ApplyTemplateForm(PlainTextForm):
    template = IdChoiceField(label=_("Template"), queryset=WeekTemplate.objects.none())
    skip_weekends = skip_days_off_field()

    def __init__(self, *args, user: User, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        # The built-in templates and the program's own host's.
        self.fields["template"].queryset = WeekTemplate.objects.visible_to(user).filter(
            models.Q(host__isnull=True) | models.Q(host=program.host)
        )


class CopyWeekForm(PlainTextForm):
    source = IdChoiceField(label=_("Copy the week of"), queryset=Program.objects.none())
    skip_weekends = skip_days_off_field()

    def __init__(self, *args, user: User, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = (
            Program.objects.editable_by(user).exclude(pk=program.pk).order_by("-start_date")
        )


class ClosedDayForm(PlainTextForm):
    """A host's closed days: one day, or a period such as 12/29〜1/3."""

    name = forms.CharField(
        label=pgettext_lazy("closed days", "Name"),
        max_length=60,
        help_text=_("For example 年末年始."),
    )
    start_date = RangedDateField(
        label=_("First closed day"), widget=forms.DateInput({"type": "date"})
    )
    end_date = RangedDateField(
        label=_("Last closed day"),
        required=False,
        widget=forms.DateInput({"type": "date"}),
        help_text=_("Leave empty for a single day."),
    )


class SaveTemplateForm(PlainTextForm):
    name = forms.CharField(label=_("Template name"), max_length=200)


class WithdrawForm(PlainTextForm):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class InvitationForm(PlainTextForm):
    email = SendableEmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(r.value, r.label) for r in (Role.TRAINEE, Role.STAFF, Role.COORDINATOR)],
        initial=Role.TRAINEE,
    )
    municipality = MunicipalityField(
        label=_("Municipality"),
        required=False,
        help_text=_("For a trainee: the municipality they work for."),
    )
    family_name = forms.CharField(label=_("Family name"), max_length=60, required=False)
    given_name = forms.CharField(label=_("Given name"), max_length=60, required=False)
    department = forms.CharField(label=_("Department"), max_length=120, required=False)
    position = forms.CharField(label=_("Position"), max_length=80, required=False)

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if (
            role == Role.TRAINEE
            and not data.get("municipality")
            and "municipality" not in self.errors
        ):
            self.add_error("municipality", _("Choose the municipality of the trainee."))
        return data


class AcceptInvitationForm(PlainTextForm):
    family_name = forms.CharField(label=_("Family name"), max_length=60)
    given_name = forms.CharField(label=_("Given name"), max_length=60)
    family_name_kana = forms.CharField(label=_("Family name (kana)"), max_length=60, required=False)
    given_name_kana = forms.CharField(label=_("Given name (kana)"), max_length=60, required=False)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            candidate = User(
                email=self.email,
                family_name=data.get("family_name", ""),
                given_name=data.get("given_name", ""),
            )
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class LanguageForm(PlainTextForm):
    language = forms.ChoiceField(choices=User._meta.get_field("language").choices)


class InvitationAddressForm(PlainTextForm):
    """Put right the address of an invitation that could not be sent, and send it again."""

    email = SendableEmailField(label=_("Correct email address"), max_length=254)
