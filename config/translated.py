"""Translations looked up once per language and process.

Django's gettext asks for the active language (a thread- and task-local lookup) and walks
every catalogue on each call: 4 µs, and a page's labels, table headers and choice names make
dozens of calls that always give the same answer in the same language. These keep each answer
per language. A .mo file changed under the development server forgets them, as Django forgets
its own catalogues then."""

from types import MappingProxyType

from django.db.models import Choices
from django.dispatch import receiver
from django.utils import translation
from django.utils.autoreload import file_changed
from markupsafe import Markup

LIMIT = 10_000  # messages per language: the code's and templates' literals, never a page's data


class Messages:
    """The templates' `_("…")` in one language, as Jinja2's newstyle gettext gives it: the
    translation is markup (`%` then escapes the variables into it, as it must always be
    applied: "100%%" is "100%")."""

    def __init__(self, language: str | None):
        self.language = language
        self.found: dict[str, Markup] = {}

    def __call__(self, message: str) -> Markup:
        found = self.found.get(message)
        if found is None:
            with translation.override(self.language):
                found = Markup(translation.gettext(message)) % {}  # noqa: S704 -- our catalogue
            if len(self.found) < LIMIT:
                self.found[message] = found
        return found


_messages: dict[str | None, Messages] = {}
_choices: dict[tuple[str | None, type], MappingProxyType] = {}


def messages_for(language: str | None) -> Messages:
    found = _messages.get(language)
    if found is None:
        found = _messages[language] = Messages(language)
    return found


def choice_labels(choices: type[Choices]) -> MappingProxyType:
    """{value: label} of a choices class (TextChoices, IntegerChoices) in the active
    language, as `dict(choices.choices)` with each lazy label made a string; read-only,
    since every caller in this language shares it."""
    key = (translation.get_language(), choices)
    found = _choices.get(key)
    if found is None:
        labels = {value: str(label) for value, label in choices.choices}
        found = _choices[key] = MappingProxyType(labels)
    return found


@receiver(file_changed)
def _forget(sender, file_path, **kwargs):
    if file_path.suffix == ".mo":
        _messages.clear()
        _choices.clear()
