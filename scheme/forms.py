"""Reading and checking what the office, hosts and municipalities type."""


# --- A match's staff, its cancellation and its move (services/staff.py, services/matches.py)

from django import forms  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from programs.formats import show  # noqa: E402
from programs.plain_text import PlainTextForm  # noqa: E402
from programs.validators import SendableEmailField  # noqa: E402

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
