"""Forms read what people typed; the rules live in the services (which name the field a
refusal belongs to, so the message appears next to it)."""

from datetime import timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.choosers import MunicipalitiesField
from programs.date_range import RangedDateField, RangedDateTimeField
from programs.integers import IdChoiceField, IdMultipleChoiceField
from programs.models import Program
from programs.plain_text import PlainTextForm

from .models import (
    TEXT_LIMIT,
    ExpenseKind,
    Mode,
    Payer,
    Scheme,
    SeminarKind,
    SeminarRole,
    TripStatus,
)
from .services.common import host_people
from .services.seminars import MAX_ATTENDANCE

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")
DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local", "step": 60}, format="%Y-%m-%dT%H:%M"
)


class YenField(forms.IntegerField):
    """Whole yen: "1,200" and "１２００" are read; "12.5" and "-3" are refused plainly."""

    default_error_messages = {
        "invalid": _("Whole yen only (no decimals)."),
        "min_value": _("The amount cannot be negative."),
    }

    # Text, not type=number: people type "38,000" or "３８０００円", which a number input
    # refuses before the form can read it. `inputmode` still brings up the digit keyboard.
    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 10_000_000)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            import unicodedata

            value = unicodedata.normalize("NFKC", value).replace(",", "").replace("¥", "")
            value = value.replace("円", "").strip()
        return super().to_python(value)


class TripForm(PlainTextForm):
    purpose = forms.CharField(
        label=_("Purpose (用務)"),
        max_length=300,
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. 地域ワーカー向け説明会・企業向けセミナーの開催")}
        ),
    )
    start_date = RangedDateField(label=_("First day"), widget=DATE)
    end_date = RangedDateField(label=_("Last day"), widget=DATE)
    municipalities = MunicipalitiesField(
        label=_("Destinations (municipalities)"),
        required=False,
        help_text=_("Type a name, its reading or its code; one municipality per box."),
    )
    places = forms.CharField(
        label=_("Other places"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One place per line, e.g. 東京（乗継）."),
    )
    trainees = IdMultipleChoiceField(
        label=_("Trainees"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    staff = IdMultipleChoiceField(
        label=_("Host staff"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    lodging = forms.CharField(
        label=_("Lodging"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    lodging_cost = YenField(
        label=_("Lodging cost per person per night (yen)"),
        required=False,
        help_text=_(
            "What the lodging costs. Where the payer pays lodging at cost, it pays up to its "
            "ceiling; a higher cost is flagged."
        ),
    )
    trainees_paid_by = forms.TypedChoiceField(
        label=_("The trainees' travel costs are paid by"),
        choices=Payer.choices,
        required=False,
        empty_value=Payer.MUNICIPALITY,
        initial=Payer.MUNICIPALITY,
    )
    status = forms.ChoiceField(label=_("Status"), choices=TripStatus.choices)

    def __init__(self, *args, program: Program, trip=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The program's trainees, and anyone already on the trip who has withdrawn since
        # (they travelled: their costs and report stay with the trip).
        enrollments = program.enrollments.filter(
            Q(withdrawn_at__isnull=True) | Q(trips=trip) if trip else Q(withdrawn_at__isnull=True)
        )
        self.fields["trainees"].queryset = enrollments.distinct().select_related("trainee")
        self.fields["trainees"].label_from_instance = lambda e: e.trainee.display_name
        if trip is not None:
            # An abolished destination already on the trip stays; a new one cannot be chosen.
            self.fields["municipalities"].keep = {m.pk for m in trip.municipalities.all()}
        self.fields["staff"].queryset = host_people(program)
        self.fields["staff"].label_from_instance = lambda u: u.display_name
        self.fields["start_date"].widget.attrs.update(
            {"min": program.start_date.isoformat(), "max": program.end_date.isoformat()}
        )
        self.fields["end_date"].widget.attrs.update(
            {"min": program.start_date.isoformat(), "max": program.end_date.isoformat()}
        )


class LegForm(PlainTextForm):
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices)
    origin_place = forms.CharField(label=_("From"), max_length=120)
    destination = forms.CharField(label=_("To"), max_length=120)
    depart_at = RangedDateTimeField(label=_("Departs"), widget=DATETIME)
    arrive_at = RangedDateTimeField(label=_("Arrives"), widget=DATETIME)
    service = forms.CharField(
        label=_("Train or flight"),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. のぞみ 12号, JAL 306")}),
    )
    fare = YenField(label=_("Fare per person (yen)"), required=False)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)

    def clean_fare(self):
        return self.cleaned_data.get("fare") or 0

    @staticmethod
    def initial_after(previous) -> dict:
        """A new leg starts where and when the last one ended."""
        if previous is None:
            return {}
        arrive = timezone.localtime(previous.arrive_at)
        return {
            "mode": previous.mode,
            "origin_place": previous.destination,
            "depart_at": arrive,
            "arrive_at": arrive + timedelta(hours=1),
        }


class ExpenseForm(PlainTextForm):
    participant = forms.ChoiceField(label=_("Participant"))
    kind = forms.ChoiceField(label=_("What for"), choices=ExpenseKind.choices)
    label = forms.CharField(
        label=_("Category in the payer's words"),
        max_length=20,
        required=False,
        help_text=_("Leave it empty for the word of the payer's travel rules."),
    )
    amount = YenField(label=_("Amount (yen)"))
    payer = forms.ChoiceField(label=_("Paid by"), choices=Payer.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, people: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].choices = [(p["key"], p["name"]) for p in people]


class SeminarForm(PlainTextForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=SeminarKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    date = RangedDateField(label=_("Date"), widget=DATE)
    start_time = forms.TimeField(label=_("Start"), widget=TIME)
    end_time = forms.TimeField(label=_("End"), widget=TIME)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    address = forms.CharField(label=_("Street address"), max_length=300, required=False)
    partner = forms.CharField(
        label=_("Partner organisation"),
        max_length=200,
        required=False,
        help_text=_("e.g. a chamber of commerce's youth division"),
    )
    lead = IdChoiceField(label=_("Lead from the host"), queryset=None, required=False)
    expected_attendance = forms.IntegerField(
        label=_("Expected attendance"), min_value=0, max_value=MAX_ATTENDANCE, required=False
    )
    actual_attendance = forms.IntegerField(
        label=_("Actual attendance"), min_value=0, max_value=MAX_ATTENDANCE, required=False
    )
    outcomes = forms.CharField(
        label=_("Outcomes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = host_people(program)
        self.fields["lead"].label_from_instance = lambda u: u.display_name

    def clean_expected_attendance(self):
        return self.cleaned_data.get("expected_attendance") or 0


class RolesForm(PlainTextForm):
    """One choice per trainee: a role, or not taking part."""

    def __init__(self, *args, enrollments, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Not taking part")), *SeminarRole.Role.choices]
        for enrollment in enrollments:
            self.fields[f"role_{enrollment.pk}"] = forms.ChoiceField(
                label=enrollment.trainee.display_name,
                choices=choices,
                required=False,
                initial=current.get(enrollment.pk, ""),
            )

    def roles(self) -> dict[int, str | None]:
        return {
            int(name.removeprefix("role_")): value or None
            for name, value in self.cleaned_data.items()
        }


class FollowUpForm(PlainTextForm):
    action = forms.CharField(label=_("Follow-up action"), max_length=300)
    owner = IdChoiceField(label=_("Owner"), queryset=None)
    due_date = RangedDateField(label=_("Due date"), widget=DATE)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: u.display_name


class MaterialForm(PlainTextForm):
    file = forms.FileField(
        label=_("Material"),
        help_text=_("PDF, PowerPoint (.pptx) or an image; at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.pptx,.png,.jpg,.jpeg,.gif,.webp"}),
    )


class TripReportForm(PlainTextForm):
    content = forms.CharField(
        label=_("内容 (what was done)"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    impressions = forms.CharField(
        label=_("所感 (impressions)"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    application = forms.CharField(
        label=_("今後の業務への活用 (use in my work)"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class TravelRulesForm(PlainTextForm):
    """A payer's travel rules. The amounts start at values to check against the payer's
    ordinance (条例), not at the law's table."""

    scheme = forms.ChoiceField(
        label=_("Categories"), choices=Scheme.choices, widget=forms.RadioSelect
    )
    lodging_ceiling = YenField(
        label=_("Lodging ceiling per night (yen)"),
        help_text=_("Lodging at cost (宿泊費) is paid up to this; a higher cost is flagged."),
    )
    lodging_allowance = YenField(
        label=_("Allowance per night (yen)"), help_text=_("宿泊手当 in the revised set.")
    )
    lodging_flat = YenField(
        label=_("Flat lodging per night (yen)"), help_text=_("宿泊料 in the older set.")
    )
    daily_allowance = YenField(
        label=_("Allowance per day (yen)"), help_text=_("日当 in the older set.")
    )
    fare_word = forms.CharField(
        label=_("Own word for fares"),
        max_length=20,
        required=False,
        help_text=_("Own categories only; an empty word: not used."),
    )
    lodging_word = forms.CharField(label=_("Own word for lodging"), max_length=20, required=False)
    own_lodging_at_cost = forms.BooleanField(
        label=_("Lodging paid at cost up to the ceiling (otherwise the flat rate)"),
        required=False,
    )
    night_word = forms.CharField(
        label=_("Own word for the allowance per night"), max_length=20, required=False
    )
    day_word = forms.CharField(
        label=_("Own word for the allowance per day"), max_length=20, required=False
    )


def name_cells(form) -> None:
    """Each cell of a table's row says its column and row to a screen reader
    (「交通手段（2行目）」), and points to its error when it has one."""
    row = int(form.prefix.rsplit("-", 1)[-1]) + 1
    for name, field in form.fields.items():
        field.widget.attrs["aria-label"] = _("%(field)s (row %(row)s)") % {
            "field": field.label,
            "row": row,
        }
        if form.is_bound and name in form.errors:
            field.widget.attrs["aria-invalid"] = "true"
            field.widget.attrs["aria-describedby"] = f"{form.prefix}-{name}-error"


class LegRowForm(LegForm):
    """One row of the itinerary table. A row left empty (no mode, no destination) is not a
    leg and is skipped; any other row is checked as a leg."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = [("", "—"), *Mode.choices]
        self.empty_permitted = True
        self.use_required_attribute = False

    def is_blank(self) -> bool:
        if not self.is_bound:
            return True
        return not any(
            (self.data.get(self.add_prefix(name)) or "").strip()
            for name in ("mode", "destination", "service", "fare", "notes")
        )

    def has_changed(self) -> bool:  # empty_permitted skips a row only when it is blank
        return not self.is_blank()


class SeminarRowForm(PlainTextForm):
    """One seminar planned from its placeholder, on the trip's seminars table."""

    include = forms.BooleanField(label=_("Plan it"), required=False, initial=True)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *SeminarKind.choices])
    title = forms.CharField(label=_("Title"), max_length=200)
    date = RangedDateField(label=_("Date"), widget=DATE)
    start_time = forms.TimeField(label=_("Start"), widget=TIME)
    end_time = forms.TimeField(label=_("End"), widget=TIME)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        # A row not ticked is not planned, whatever it holds.
        self.empty_permitted = self.is_bound and not self.data.get(self.add_prefix("include"))

    def has_changed(self) -> bool:
        return not self.empty_permitted
