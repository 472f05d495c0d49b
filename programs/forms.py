from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from .integers import IdChoiceField
from .models import Municipality, Role, User
from .plain_text import PlainTextForm
from .validators import SendableEmailField


class InvitationForm(PlainTextForm):
    email = SendableEmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(r.value, r.label) for r in (Role.TRAINEE, Role.STAFF, Role.COORDINATOR)],
        initial=Role.TRAINEE,
    )
    municipality = IdChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        help_text=_("For a trainee: the municipality they work for."),
    )
    family_name = forms.CharField(label=_("Family name"), max_length=60, required=False)
    given_name = forms.CharField(label=_("Given name"), max_length=60, required=False)
    department = forms.CharField(label=_("Department"), max_length=120, required=False)
    position = forms.CharField(label=_("Position"), max_length=80, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.registry()

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == Role.TRAINEE and not data.get("municipality"):
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
