"""Version-keyed caching of rendered fragments.

Every writer of the data a fragment shows bumps a version (after its transaction commits);
the version is part of every cache key, so a bump makes every older fragment unreachable.
Keys also carry the user (their scope), the language, the date (statuses follow it) and the
page's own parameters. With REDIS_URL the cache is shared by every process and machine; the
development default (a file cache) is shared by the processes of one machine."""

import hashlib
import time

from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

TIMEOUT = 10 * 60


def version(name: str) -> int:
    value = cache.get(f"version:{name}")
    if value is None:
        # A lost counter (evicted, culled, cache cleared) restarts from the clock, never from
        # a number it had before, so no fragment of an older version becomes current again.
        cache.add(f"version:{name}", time.time_ns(), None)
        value = cache.get(f"version:{name}") or time.time_ns()
    return value


def bump(*names: str) -> None:
    """Invalidate every fragment built on `names`: now, and again once the transaction
    commits (a fragment rendered in between from the old data must not outlive it)."""

    def do() -> None:
        for name in names:
            try:
                cache.incr(f"version:{name}")
            except ValueError:
                cache.set(f"version:{name}", time.time_ns(), None)

    do()
    transaction.on_commit(do)


def fragment_key(kind: str, request, *parts, data: str = "programs") -> str:
    raw = "|".join(
        str(p)
        for p in (
            kind,
            request.user.pk,
            translation.get_language(),
            timezone.localdate().isoformat(),
            version(data),
            *parts,
        )
    )
    return "fragment:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_fragment(key: str, build) -> str:
    html = cache.get(key)
    if html is None:
        html = build()
        cache.set(key, html, TIMEOUT)
    return html


def cached_render(request, key: str, template: str, build_context) -> SafeString:
    """`template` rendered with `build_context()`, from the cache when the key is there.
    The fragment holds no CSRF token and nothing of the session: forms that post stay
    outside it."""
    html = cached_fragment(key, lambda: render_to_string(template, build_context(), request))
    return mark_safe(html)  # noqa: S308 -- our own template, escaped when it was rendered
