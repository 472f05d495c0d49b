"""Reading and checking what the office, hosts and municipalities type."""

# The call, the offers and the applications (募集・受入枠・申込) --------------------------------

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programs.formats import show
from programs.plain_text import PlainTextForm
from programs.prefectures import Prefecture
from programs.validators import SendableEmailField

from .models import MAX_CALL_WEEKS, MAX_HOST_CHOICES, MAX_PLACES, Call, Theme
from .weeks import week_choices, week_list

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TICKS = forms.CheckboxSelectMultiple(attrs={"class": "tick-grid"})
NOTES = forms.Textarea(attrs={"rows": 4})
MAX_STAFF = 20


def _number(label, low, high, *, too_low, too_high, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        error_messages={"min_value": too_low, "max_value": too_high},
        **kwargs,
    )


class CallForm(PlainTextForm):
    """The office's call: 年度, window, weeks, rules."""

    fiscal_year = _number(
        _("Fiscal year (年度)"),
        2000,
        2100,
        too_low=_("Give the 年度 as a year, e.g. 2027."),
        too_high=_("Give the 年度 as a year, e.g. 2027."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    opens_on = forms.DateField(label=_("Applications from"), widget=DATE)
    closes_on = forms.DateField(label=_("Applications until"), widget=DATE)
    first_week = forms.DateField(
        label=_("First week (Monday)"), widget=DATE, help_text=_("Programs start on a Monday.")
    )
    last_week = forms.DateField(label=_("Last week (Monday)"), widget=DATE)
    min_weeks = _number(
        _("Shortest program (weeks)"),
        1,
        2,
        too_low=_("A program lasts one or two weeks."),
        too_high=_("A program lasts one or two weeks."),
        initial=1,
    )
    max_weeks = _number(
        _("Longest program (weeks)"),
        1,
        2,
        too_low=_("A program lasts one or two weeks."),
        too_high=_("A program lasts one or two weeks."),
        initial=2,
    )
    max_staff = _number(
        _("Staff per municipality, at most"),
        1,
        MAX_STAFF,
        too_low=_("At least one."),
        too_high=_("At most %(limit)d.") % {"limit": MAX_STAFF},
        initial=3,
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=NOTES)

    def clean(self):
        data = super().clean()
        for name in ("first_week", "last_week"):
            day = data.get(name)
            if day and day.weekday() != 0:
                self.add_error(
                    name,
                    _("%(day)s is not a Monday: give the Monday the week starts on.")
                    % {"day": show(day, "day_long")},
                )
        first, last = data.get("first_week"), data.get("last_week")
        if first and last and "first_week" not in self.errors and "last_week" not in self.errors:
            if last < first:
                self.add_error("last_week", _("The last week comes before the first."))
            elif (last - first).days // 7 + 1 > MAX_CALL_WEEKS:
                self.add_error(
                    "last_week",
                    _("At most %(limit)d weeks in one call.") % {"limit": MAX_CALL_WEEKS},
                )
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The window closes before it opens."))
        low, high = data.get("min_weeks"), data.get("max_weeks")
        if low and high and high < low:
            self.add_error("max_weeks", _("The longest is shorter than the shortest."))
        return data


class OfferForm(PlainTextForm):
    """A host's offer (受入枠) in a call."""

    host = forms.TypedChoiceField(label=_("Host company"), coerce=int)
    weeks = forms.MultipleChoiceField(
        label=_("Weeks"), widget=TICKS, error_messages={"required": _("Tick at least one week.")}
    )
    places = _number(
        _("Places per week"),
        1,
        MAX_PLACES,
        too_low=_("Offer at least one place."),
        too_high=_("At most %(limit)d places per week.") % {"limit": MAX_PLACES},
        help_text=_("How many trainees the host takes in one week."),
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"), choices=Theme.choices, widget=TICKS, required=False
    )
    location = forms.CharField(
        label=_("Where"), max_length=120, help_text=_("Where the trainees work, e.g. 東京都渋谷区.")
    )
    includes_trip = forms.BooleanField(label=_("A business trip is included"), required=False)
    overnight = forms.BooleanField(
        label=_("The trip includes nights away"),
        required=False,
        help_text=_("Only with a trip."),
    )
    accessible = forms.BooleanField(label=_("Step-free office and trip"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=NOTES)

    def __init__(self, *args, call: Call, hosts: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weeks"].choices = week_choices(call)
        if len(hosts) > 1:
            self.fields["host"].choices = [("", "---------")] + [(h.pk, h.name) for h in hosts]
        else:
            del self.fields["host"]

    def clean(self):
        data = super().clean()
        if data.get("overnight") and not data.get("includes_trip"):
            self.add_error("overnight", _("Nights away come with a trip: tick the trip too."))
        return data


def _host_field(rank: int, hosts) -> forms.TypedChoiceField:
    label = _("First choice") if rank == 1 else _("Choice %(rank)d") % {"rank": rank}
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "---------"), *hosts],
    )


class ApplicationForm(PlainTextForm):
    """A municipality's application (申込) in a call."""

    municipality = forms.TypedChoiceField(label=_("Municipality"), coerce=int)
    staff = forms.IntegerField(
        label=_("Staff to send"), min_value=1, widget=forms.NumberInput(attrs={"min": 1})
    )
    weeks_wanted = forms.TypedChoiceField(label=_("Length (weeks)"), coerce=int)
    preferred_weeks = forms.MultipleChoiceField(
        label=_("Preferred weeks"), widget=TICKS, required=False
    )
    impossible_weeks = forms.MultipleChoiceField(
        label=_("Weeks that are impossible"), widget=TICKS, required=False
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"), choices=Theme.choices, widget=TICKS, required=False
    )
    other_hosts_ok = forms.BooleanField(
        label=_("Another host is acceptable"),
        required=False,
        initial=True,
        help_text=_("If none of the chosen hosts has room, the office may propose another."),
    )
    no_overnight = forms.BooleanField(label=_("No nights away"), required=False)
    needs_accessibility = forms.BooleanField(label=_("Needs step-free access"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=NOTES)

    def __init__(self, *args, call: Call, municipalities: list, hosts: list, **kwargs):
        super().__init__(*args, **kwargs)
        if len(municipalities) > 1:
            self.fields["municipality"].choices = [("", "---------")] + [
                (m.pk, f"{m.name}（{m.get_prefecture_display()}）") for m in municipalities
            ]
        else:
            del self.fields["municipality"]
        staff = self.fields["staff"]
        staff.max_value = call.max_staff
        staff.widget.attrs["max"] = call.max_staff
        staff.validators.append(MaxValueValidator(call.max_staff))
        staff.error_messages["max_value"] = _("At most %(limit)d staff in this call.") % {
            "limit": call.max_staff
        }
        staff.error_messages["min_value"] = _("Send at least one.")
        staff.help_text = _("At most %(limit)d staff.") % {"limit": call.max_staff}
        lengths = range(call.min_weeks, call.max_weeks + 1)
        self.fields["weeks_wanted"].choices = [(n, _("%(n)d week(s)") % {"n": n}) for n in lengths]
        for name in ("preferred_weeks", "impossible_weeks"):
            self.fields[name].choices = week_choices(call)
        for rank in range(1, MAX_HOST_CHOICES + 1):
            self.fields[f"host_{rank}"] = _host_field(rank, hosts)
        # Hosts before the constraints and the notes.
        order = [n for n in self.fields if not n.startswith("host_")]
        at = order.index("other_hosts_ok")
        hosts_fields = [f"host_{rank}" for rank in range(1, MAX_HOST_CHOICES + 1)]
        self.order_fields(order[:at] + hosts_fields + order[at:])

    def clean(self):
        data = super().clean()
        both = set(data.get("preferred_weeks") or ()) & set(data.get("impossible_weeks") or ())
        if both:
            days = week_list(both)
            self.add_error(
                "impossible_weeks",
                _("A week cannot be both preferred and impossible: %(weeks)s.") % {"weeks": days},
            )
        seen = set()
        for rank in range(1, MAX_HOST_CHOICES + 1):
            host = data.get(f"host_{rank}")
            if host in seen:
                self.add_error(f"host_{rank}", _("This host is already chosen above."))
            elif host:
                seen.add(host)
        data["hosts"] = [
            data.get(f"host_{rank}")
            for rank in range(1, MAX_HOST_CHOICES + 1)
            if data.get(f"host_{rank}")
        ]
        return data


class OfferFilterForm(forms.Form):
    theme = forms.ChoiceField(
        label=_("Theme"), required=False, choices=[("", _("All"))] + list(Theme.choices)
    )
    week = forms.ChoiceField(label=pgettext_lazy("scheme", "Week"), required=False)
    host = forms.CharField(label=_("Host company"), required=False, max_length=100)

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["week"].choices = [("", _("All"))] + week_choices(call)


class ApplicationFilterForm(forms.Form):
    prefecture = forms.TypedChoiceField(
        label=_("Prefecture"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All"))] + list(Prefecture.choices),
    )
    theme = forms.ChoiceField(
        label=_("Theme"), required=False, choices=[("", _("All"))] + list(Theme.choices)
    )
    first_choice = forms.TypedChoiceField(
        label=_("First choice"), required=False, coerce=int, empty_value=None
    )
    constraint = forms.ChoiceField(
        label=_("Constraint"),
        required=False,
        choices=[
            ("", _("All")),
            ("no_overnight", _("No nights away")),
            ("accessibility", _("Needs step-free access")),
            ("named_only", _("Only the hosts named")),
        ],
    )

    def __init__(self, *args, hosts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_choice"].choices = [("", _("All")), *hosts]


# --- A match's staff, its cancellation and its move (services/staff.py, services/matches.py)


STAFF_COLUMNS = ("family_name", "given_name", "email", "department", "position")


class StaffForm(PlainTextForm):
    """One row per place of the match (family name, given name, email, 所属, 職名); a row
    left blank is skipped. `left`: the places not named yet, which the rows may not pass."""

    def __init__(self, *args, places: int, left: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.places, self.left = places, left
        for row in range(1, places + 1):
            self.fields[f"family_name_{row}"] = forms.CharField(
                label=_("Family name"), max_length=60, required=False
            )
            self.fields[f"given_name_{row}"] = forms.CharField(
                label=_("Given name"), max_length=60, required=False
            )
            self.fields[f"email_{row}"] = SendableEmailField(
                label=_("Email address"), max_length=254, required=False
            )
            self.fields[f"department_{row}"] = forms.CharField(
                label=_("Department (所属)"), max_length=120, required=False
            )
            self.fields[f"position_{row}"] = forms.CharField(
                label=_("Position (職名)"), max_length=80, required=False
            )

    def rows(self) -> list[dict]:
        """The rows the page shows (one per place left), each with its bound fields."""
        return [
            {"number": row, "fields": [self[f"{name}_{row}"] for name in STAFF_COLUMNS]}
            for row in range(1, max(self.left, 0) + 1)
        ]

    def _typed(self, row: int) -> bool:
        return any(str(self.data.get(f"{name}_{row}", "")).strip() for name in STAFF_COLUMNS)

    def clean(self):
        cleaned = super().clean()
        seen: dict[str, int] = {}
        people = []
        for row in range(1, self.places + 1):
            if not self._typed(row):
                continue
            email = (cleaned.get(f"email_{row}") or "").strip().lower()
            if not cleaned.get(f"family_name_{row}") and f"family_name_{row}" not in self.errors:
                self.add_error(f"family_name_{row}", _("Enter the family name."))
            if not email and f"email_{row}" not in self.errors:
                self.add_error(f"email_{row}", _("Enter the email address."))
            if email in seen:
                self.add_error(
                    f"email_{row}", _("The same address as row %(row)s.") % {"row": seen[email]}
                )
            elif email:
                seen[email] = row
            people.append(self._person(cleaned, row, email))
        if not people:
            raise forms.ValidationError(_("Fill in at least one row."))
        if len(people) > self.left:
            raise forms.ValidationError(
                _("%(count)s people named, but only %(left)s places are left.")
                % {"count": len(people), "left": self.left}
            )
        cleaned["people"] = people
        return cleaned

    @staticmethod
    def _person(cleaned: dict, row: int, email: str) -> dict:
        person = {name: (cleaned.get(f"{name}_{row}") or "").strip() for name in STAFF_COLUMNS}
        return {**person, "email": email, "row": row}


class CancelMatchForm(PlainTextForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the host's coordinators and the municipality's contacts."),
    )


class MoveMatchForm(forms.Form):
    """The other weeks of the match's offer it could start in (`choices`: (week, places
    left) for each start whose weeks the offer still has)."""

    start_week = forms.ChoiceField(label=_("New first week"), widget=forms.RadioSelect)

    def __init__(self, *args, choices: list[tuple], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_week"].choices = [
            (
                week.isoformat(),
                _("from %(week)s (%(left)s places left)") % {"week": show(week), "left": left},
            )
            for week, left in choices
        ]

    def clean_start_week(self):
        from datetime import date

        return date.fromisoformat(self.cleaned_data["start_week"])
