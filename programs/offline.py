"""The installable app and the pages kept on the phone (README, "On a phone").

- `account_key(request)`: the name of the signed-in person's offline copies. A keyed hash of
  the user's id and this session's key (Django makes a new one at each sign-in), never the
  address or the id itself. The layout gives it to the service worker (a `<meta>`), and every
  HTML answer to a signed-in person carries it (`X-Kenshu-Account`, OfflineAccountMiddleware
  in programs/middleware.py): the worker keeps a page only under the key of the answer it came
  in, so it never keeps one person's page among another's copies.
- `worker_source()`: static/js/sw.js with its settings in front (the version, the static files
  to keep, the fallback pages), served at /sw.js.
- `manifest()`: the web app manifest.

Nothing here widens access: Django checks every online request as before; the worker only
replays, offline, what this browser received while signed in as this person."""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.html import format_html, json_script
from django.utils.translation import get_language
from django.utils.translation import gettext as _

STATIC = Path(settings.BASE_DIR) / "static"
WORKER = STATIC / "js" / "sw.js"
THEME_COLOUR = "#1d2433"  # --ink in static/css/kenshu.css: the site header
BACKGROUND_COLOUR = "#f6f7f9"  # --bg
# The static files every kept page may need, kept when the worker installs.
KEPT_STATIC = ("css/*.css", "js/*.js", "vendor/htmx-*.js", "icons/*.png")


def account_key(request) -> str:
    """ "" for a visitor who is not signed in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    key = getattr(request, "_kenshu_account_key", None)
    if key is None:
        session = getattr(request, "session", None)
        value = f"{user.pk}:{getattr(session, 'session_key', '') or ''}"
        key = salted_hmac("kenshu.offline.account", value, algorithm="sha256").hexdigest()[:32]
        request._kenshu_account_key = key
    return key


def page_tags(request):
    """What the layout's head carries for the worker: the account's key and the words the
    offline banner is made of, in the page's language (static/js/offline.js reads them)."""
    key = account_key(request)
    if not key:
        return ""
    words = {
        "lang": "en" if (get_language() or "ja").startswith("en") else "ja",
        # The moment is written as programs.formats writes "moment": 12/6 14:05.
        "banner": _("Offline: showing this page as saved on %(when)s"),
        "timeZone": settings.TIME_ZONE,
        "worker": reverse("programs:service_worker"),
    }
    return format_html(
        '<meta name="kenshu-account" content="{}">\n  {}', key, json_script(words, "kenshu-offline")
    )


def _static_names() -> list[str]:
    names = set()
    for pattern in KEPT_STATIC:
        names.update(path.relative_to(STATIC).as_posix() for path in STATIC.glob(pattern))
    names.discard("js/sw.js")
    return sorted(names)


def worker_source() -> str:
    """The worker's script, its settings first. Its version changes with the script and with
    any static file it keeps (their hashed names in production, their size and time here),
    so a changed file reaches phones as a new worker, which drops the old static copies."""
    source = WORKER.read_text(encoding="utf-8")
    kept = [static(name) for name in _static_names()]
    digest = hashlib.sha256(source.encode())
    for name, url in zip(_static_names(), kept, strict=True):
        stat = (STATIC / name).stat()
        digest.update(f"{url}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    fallback = reverse("programs:offline_page")
    config = {
        "version": digest.hexdigest()[:12],
        "static": kept,
        "staticPrefix": static(""),
        "offline": {code: f"{fallback}?lang={code}" for code, _name in settings.LANGUAGES},
    }
    return f"const KENSHU = {json.dumps(config)};\n{source}"


def manifest() -> dict:
    icon = static("icons/kenshu-192.png")
    big = static("icons/kenshu-512.png")
    return {
        "id": "/kenshu",
        "name": "Kenshu 研修",
        "short_name": "研修",
        "description": _("Your training week, itinerary and reflections, also offline."),
        "lang": "en" if (get_language() or "ja").startswith("en") else "ja",
        "dir": "ltr",
        "start_url": reverse("programs:trainee_today") + "?source=pwa",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": icon, "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": big, "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {
                "src": static("icons/kenshu-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
