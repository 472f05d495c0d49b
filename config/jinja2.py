"""The Jinja2 environment for the hot fragments (the list, grid and dashboard tables that are
drawn on every request when the fragment cache is cold): DESIGN.md's budgets measured a
50-row table at 9 ms in Django's template language and 0.5 ms in Jinja2. The views hand these
templates strings already formatted in Python (dates, money, names, URLs), so the templates
only print and loop. Everything else stays in Django templates.

Templates live in each app's `jinja2/` folder. They translate with `_("…")`, the same call
`makemessages` finds in Django templates, so one catalogue serves both engines."""

from datetime import datetime

from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats, timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from jinja2 import Environment, StrictUndefined

_fixed_urls: dict[tuple, str] = {}


def url(name: str, *args, **kwargs) -> str:
    """reverse(); a URL without arguments is reversed once per URLconf and script prefix
    (the header alone names fifteen on every page)."""
    if args or kwargs:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    key = (get_script_prefix(), get_urlconf(), name)
    found = _fixed_urls.get(key)
    if found is None:
        found = _fixed_urls[key] = reverse(name)
    return found


def local_date(value, format: str) -> str:
    """Django's `|date:format`, in the current time zone as Django's templates show it."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, format)


def django_partial(name: str, request, **context):
    """A Django template (a form's fields, say) drawn inside a Jinja2 page."""
    return mark_safe(render_to_string(name, context, request))  # noqa: S308 -- autoescaped


def csrf_field(request):
    """The CSRF hidden input, made once for all the forms of a partial."""
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )


def nav_roles(request) -> dict:
    """The roles the navigation shows, read with the signed-in user (programs.auth)."""
    from programs.access import roles_of

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return roles_of(user)


def url_by_pk(name: str, *args):
    """`url_by_pk("program_detail")(pk)`: one reverse() for a whole table instead of one
    per row. The URL pattern takes the object's pk as its last argument, after `args`
    (`url_by_pk("leg_edit", program.pk, trip.pk)(leg_pk)`)."""
    marker = 2_147_483_647
    template = reverse(name, args=[*args, marker])
    assert template.count(str(marker)) == 1, template
    return template.replace("{", "{{").replace("}", "}}").replace(str(marker), "{}").format


class KenshuEnvironment(Environment):
    """`row.title` on a dict looks the key up first. Jinja2 tries the attribute first and
    the key after a failed getattr, which costs an exception per cell: the views hand the
    templates dicts of prepared strings, and a 50-row table prints hundreds of them."""

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def environment(**options) -> Environment:
    # Strict about undefined names: a misspelt key fails the tests instead of printing nothing.
    options["undefined"] = StrictUndefined
    options.setdefault("autoescape", True)  # Django's backend sets it; said here for the reader
    env = KenshuEnvironment(extensions=["jinja2.ext.i18n"], **options)  # noqa: S701
    env.install_gettext_callables(
        gettext=translation.gettext,
        ngettext=translation.ngettext,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
        newstyle=True,
    )
    env.globals.update(
        url=url,
        static=static,
        language=translation.get_language,
        messages=get_messages,
        nav_roles=nav_roles,
        csrf_field=csrf_field,
        local_date=local_date,
        django_partial=django_partial,
    )
    return env
