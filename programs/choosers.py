"""Form fields that choose local governments from the registry by typing: a name, a reading
(hiragana or katakana) or a code. The input suggests matches as one types
(static/js/municipality.js asks programs:municipality_search); without script, the typed text
is resolved when the form is sent, and a name that fits several is answered next to the field
with their codes."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .models import Municipality
from .selectors.municipalities import resolve

SEARCH_URL = reverse_lazy("programs:municipality_search")


def _attrs(extra=None) -> dict:
    return {
        "data-municipality-search": SEARCH_URL,
        "autocomplete": "off",
        "placeholder": _("Name, reading or code, e.g. 田川市, たがわし, 402061"),
        **(extra or {}),
    }


def _label_of(value) -> str:
    if isinstance(value, Municipality):
        return value.label
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit() and len(value) < 6):
        found = Municipality.objects.filter(pk=int(value)).first()
        return found.label if found else ""
    return value or ""


class MunicipalityInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__(_attrs(attrs))

    def format_value(self, value):
        return _label_of(value) or None


class MunicipalityField(forms.Field):
    """One municipality. `keep` are ids already chosen: an abolished one among them stays."""

    widget = MunicipalityInput

    def __init__(self, *, keep=(), **kwargs):
        self.keep = set(keep)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return _label_of(value)

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        if isinstance(value, Municipality):
            return value
        resolved = resolve(str(value)[:120], keep=self.keep)
        if resolved.municipality is None:
            raise ValidationError(resolved.error, code="invalid_choice")
        return resolved.municipality


class MunicipalityInputs(forms.Widget):
    """One input per chosen municipality and one empty input for another; the script adds
    more on demand."""

    template_name = "programs/widgets/municipality_inputs.html"

    def __init__(self, attrs=None):
        super().__init__(_attrs(attrs))

    def format_value(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        return [label for label in (_label_of(v) for v in value) if label]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["values"] = [*self.format_value(value), ""]
        return context

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        if isinstance(values, str | int):
            values = [values]
        return [str(v) for v in values if str(v).strip()]

    def value_omitted_from_data(self, data, files, name):
        return False


class MunicipalitiesField(forms.Field):
    """Several municipalities (a trip's destinations), each typed in its own input; the
    same one twice is taken once."""

    widget = MunicipalityInputs

    def __init__(self, *, keep=(), **kwargs):
        self.keep = set(keep)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if hasattr(value, "all"):
            return list(value.all())
        return value

    def to_python(self, value):
        chosen, errors = [], []
        for text in value or []:
            if isinstance(text, Municipality):
                chosen.append(text)
                continue
            resolved = resolve(str(text)[:120], keep=self.keep)
            if resolved.municipality is None:
                errors.append(ValidationError(resolved.error, code="invalid_choice"))
            elif resolved.municipality not in chosen:
                chosen.append(resolved.municipality)
        if errors:
            raise ValidationError(errors)
        return chosen

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
