"""The Jinja2 environment for the hot fragments (the list, grid and dashboard tables that are
drawn on every request when the fragment cache is cold): DESIGN.md's budgets measured a
50-row table at 9 ms in Django's template language and 0.5 ms in Jinja2. The views hand these
templates strings already formatted in Python (dates, money, names, URLs), so the templates
only print and loop. Everything else stays in Django templates.

Templates live in each app's `jinja2/` folder. They translate with `_("…")`, the same call
`makemessages` finds in Django templates, so one catalogue serves both engines."""

import functools
import html
import re
from collections.abc import Callable
from datetime import datetime

from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import formats, timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from jinja2 import Environment, StrictUndefined, nodes
from jinja2.compiler import CodeGenerator
from jinja2.idtracking import VAR_LOAD_RESOLVE
from markupsafe import Markup

from config.translated import messages_for

_fixed_urls: dict[tuple, str] = {}
_url_formats: dict[tuple, Callable[..., str] | None] = {}
_MARKER = 2_147_483_647  # an id no row has; markers count down from it


def _url_format(name: str, count: int) -> Callable[..., str] | None:
    """`format(*ids)`: the URL `reverse(name, args=ids)` gives, built once per URLconf and
    script prefix with marker ids and filled in after (reverse() costs 10–40 µs a call: a
    trip page names a dozen). None when the pattern's converters refuse the markers."""
    key = (get_script_prefix(), get_urlconf(), name, count)
    if key in _url_formats:
        return _url_formats[key]
    markers = [str(_MARKER - i) for i in range(count)]
    try:
        text = reverse(name, args=markers).replace("{", "{{").replace("}", "}}")
    except NoReverseMatch:
        text = None
    for i, marker in enumerate(markers):
        if text is None or text.count(marker) != 1:
            text = None
            break
        text = text.replace(marker, f"{{{i}}}")
    found = _url_formats[key] = text.format if text is not None else None
    return found


def url(name: str, *args, **kwargs) -> str:
    """reverse(); a URL without arguments is reversed once per URLconf and script prefix
    (the header alone names fifteen on every page), one with ids filled into a pattern
    reversed once (`_url_format`)."""
    if kwargs:
        return reverse(name, args=args or None, kwargs=kwargs)
    if args:
        if all(type(a) is int and a >= 0 for a in args):
            found = _url_format(name, len(args))
            if found is not None:
                return found(*args)
        return reverse(name, args=args)
    key = (get_script_prefix(), get_urlconf(), name)
    found = _fixed_urls.get(key)
    if found is None:
        found = _fixed_urls[key] = reverse(name)
    return found


def local_date(value, format: str = "day") -> str:
    """`value` in one of programs.formats' named formats ("day", "day_long", "moment", …),
    in the current time zone and language (docs/glossary.md, "Formats")."""
    from programs import formats as named

    if format in named.DATE_FORMATS["ja"]:
        return named.show(value, format)
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, format)


def _formats_globals() -> dict:
    from programs import formats as named

    return {
        "period": named.period,
        "time_range": named.time_range,
        "sep": named.separator,
        "join_names": named.join_names,
    }


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


def nav_links(request, roles: dict) -> list[tuple[str, str, bool]]:
    """(title, url, current) of each link the registry gives for `roles`."""
    from programs import registry

    match = getattr(request, "resolver_match", None)
    here = match.view_name if match else ""
    return [
        (str(link.title), url(link.url_name), here == link.url_name or here in link.current)
        for link in registry.nav_links(roles)
    ]


def url_by_pk(name: str, *args) -> Callable[[int], str]:
    """`url_by_pk("programs:program_detail")(pk)`: one reverse() for a whole table instead of one
    per row. The URL pattern takes the object's pk as its last argument, after `args`
    (`url_by_pk("seminars:leg_edit", program.pk, trip.pk)(leg_pk)`), all of them ids."""
    found = _url_format(name, len(args) + 1)
    if found is None:
        raise NoReverseMatch(f"{name} takes no {len(args) + 1} ids")
    return functools.partial(found, *args)


_HOLE = re.compile(r"\{(\w+)\}")


def _cell(value) -> str:
    if type(value) is str:
        return html.escape(value)
    if type(value) is int:
        return str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def fill_rows(pattern: str, rows) -> Markup:
    """A table's body from one row of its own template: `pattern` is the row's HTML, drawn
    once by the template (inside `{% set row %}…{% endset %}`, so its labels are translated
    and escaped once), with `{key}` holes; each row's dict fills them, every value escaped
    (Markup passes as it is). A 50-row table prints in 0.16 ms this way, against 1.3 ms for
    Jinja2's loop, which escapes and yields each cell and each label again on every row."""
    parts = _HOLE.split(str(pattern))
    pairs, last = list(zip(parts[0:-1:2], parts[1::2], strict=True)), parts[-1]
    out: list[str] = []
    add = out.append
    for row in rows:
        for literal, key in pairs:
            add(literal)
            add(_cell(row[key]))
        add(last)
    return Markup("".join(out))  # noqa: S704 -- the pattern was escaped as drawn, each value here


class KenshuCodeGenerator(CodeGenerator):
    """`_("…")`, `ngettext(…)` and `url(…)` compiled as plain calls of this module's
    functions (through `environment.globals`). Jinja2 compiles every call as
    `context.call(f, …)`, which inspects the callee for pass_context and its kind on each
    call (3 µs; a page makes fifty of these). Only where the name is looked up from the
    context: a loop variable or macro argument of that name is left alone (the templates
    never `set` these names)."""

    DIRECT = frozenset({"_", "gettext", "ngettext", "url"})

    def visit_Call(self, node, frame, forward_caller: bool = False) -> None:
        callee = node.node
        if (
            isinstance(callee, nodes.Name)
            and callee.name in self.DIRECT
            and not forward_caller
            and not self.environment.is_async
            and not self.environment.sandboxed
        ):
            ident = frame.symbols.find_ref(callee.name)
            if ident is not None and frame.symbols.find_load(ident) == (
                VAR_LOAD_RESOLVE,
                callee.name,
            ):
                # f(*(), a, b=c): signature() writes each argument after a comma
                self.write(f"environment.globals[{callee.name!r}](*()")
                self.signature(node, frame)
                self.write(")")
                return
        super().visit_Call(node, frame, forward_caller=forward_caller)


class KenshuEnvironment(Environment):
    """Its calls of `_` and `url` compiled as plain calls (KenshuCodeGenerator); and
    `row.title` on a dict looks the key up first. Jinja2 tries the attribute first and
    the key after a failed getattr, which costs an exception per cell: the views hand the
    templates dicts of prepared strings, and a 50-row table prints hundreds of them."""

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)

    code_generator_class = KenshuCodeGenerator


def gettext(message: str, **variables) -> Markup:
    """`_()` and `gettext()` in the templates, in the active language: Jinja2's newstyle
    gettext (the translation is markup, the variables are escaped into it), called directly
    instead of through its two wrappers, each message kept per language (config.translated):
    17 → 5 µs a call, where a page's header and table make forty."""
    if variables:
        return Markup(translation.gettext(message)) % variables  # noqa: S704 -- our catalogue
    return messages_for(translation.get_language())(message)


def ngettext(singular: str, plural: str, num: int, **variables) -> Markup:
    variables.setdefault("num", num)
    return Markup(translation.ngettext(singular, plural, num)) % variables  # noqa: S704


def offline_tags(request):
    """The account's key and the offline banner's words, for the service worker
    (programs/offline.py); nothing for a visitor who is not signed in."""
    from programs.offline import page_tags

    return page_tags(request)


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
    # The plain callables above in place of the wrappers install_gettext_callables made.
    env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)
    env.globals.update(
        url=url,
        static=static,
        language=translation.get_language,
        messages=get_messages,
        nav_roles=nav_roles,
        nav_links=nav_links,
        csrf_field=csrf_field,
        local_date=local_date,
        django_partial=django_partial,
        fill_rows=fill_rows,
        offline_tags=offline_tags,
    )
    env.globals.update(_formats_globals())
    return env
