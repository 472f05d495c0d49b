"""Version-keyed caching of rendered fragments, with versions scoped to what changed.

A cached fragment holds what a page shows, never who may see it: every view checks access
against the database before it asks for a fragment (programs.access and each app's access
module), and the key carries the person, their roles as read on this request, the language,
the day and the page's own parameters.

Versions are counters per scope, never global, so one host's writes leave every other host's
pages cached:
- `program_scope(id, kind)`: one program's data of one kind — "week" (the program, its
  enrolments, activities and the people in them), "trainees" (reflections, comments,
  interviews) or "seminars" (trips, legs, expenses, seminars, trip reports);
- `host_scope(id, kind)`: the same kinds over all of a host's programs (bumped with each of
  its programs), and "people": the host itself and its memberships.
Writers bump the scopes of the program they touched (`bump_program`) after their transaction
commits (and at once, so a fragment rendered in between from the old data cannot outlive it);
model signals do it for `save()` and `delete()`, services that write with `update()` call it
themselves. A write that nobody else sees (a draft's autosave) bumps nothing. With REDIS_URL
the cache is shared by every process and machine; the development default (a file cache) by
the processes of one machine."""

import hashlib
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

TIMEOUT = 10 * 60


def program_scope(program_id: int, kind: str) -> str:
    return f"program:{program_id}:{kind}"


def host_scope(host_id: int, kind: str) -> str:
    return f"host:{host_id}:{kind}"


def versions(scopes: Iterable[str]) -> list[int]:
    """The current version of each scope, in one round trip to the cache."""
    names = [f"version:{scope}" for scope in scopes]
    found = cache.get_many(names)
    for name in names:
        if name not in found:
            # A lost counter (evicted, culled, cache cleared) restarts from the clock, never
            # from a number it had before, so no fragment of an older version becomes
            # current again.
            cache.add(name, time.time_ns(), None)
            found[name] = cache.get(name) or time.time_ns()
    return [found[name] for name in names]


def bump(*scopes: str) -> None:
    """Invalidate every fragment built on `scopes`: now, and again once the transaction
    commits."""
    if not scopes:
        return

    def do() -> None:
        for scope in scopes:
            try:
                cache.incr(f"version:{scope}")
            except ValueError:
                cache.set(f"version:{scope}", time.time_ns(), None)

    do()
    transaction.on_commit(do)


def bump_program(program_id: int | None, kind: str, host_id: int | None = None) -> None:
    """One program's `kind` changed: its own scope and its host's. The host is looked up when
    the caller does not know it."""
    if program_id is None:
        return
    if host_id is None:
        from .models import Program

        host_id = Program.objects.filter(pk=program_id).values_list("host_id", flat=True).first()
    scopes = [program_scope(program_id, kind)]
    if host_id is not None:
        scopes.append(host_scope(host_id, kind))
    bump(*scopes)


def bump_programs(program_ids: Iterable[int], kind: str) -> None:
    """Several programs at once (a person renamed, a municipality renamed): one query for
    their hosts."""
    from .models import Program

    pairs = list(Program.objects.filter(pk__in=set(program_ids)).values_list("pk", "host_id"))
    bump(
        *(program_scope(pk, kind) for pk, _host in pairs),
        *{host_scope(host, kind) for _pk, host in pairs},
    )


def program_page_scopes(program, *kinds: str) -> list[str]:
    """What a page about one program is built on: its own data of `kinds` and its host's
    people."""
    return [program_scope(program.pk, kind) for kind in kinds] + [
        host_scope(program.host_id, "people")
    ]


def host_page_scopes(host_ids: Iterable[int], *kinds: str) -> list[str]:
    """What a page over whole hosts (the program list, the dashboard, an inbox) is built on."""
    return [host_scope(h, kind) for h in sorted(set(host_ids)) for kind in (*kinds, "people")]


def fragment_key(kind: str, request, *parts, scopes: Iterable[str]) -> str:
    from .access import roles_of

    roles = roles_of(request.user)
    raw = "|".join(
        str(p)
        for p in (
            kind,
            request.user.pk,
            # Who the person is on this request (read from the database): a change of role
            # makes a new key even before any version moves.
            sorted(roles["host_ids"]),
            sorted(roles["coordinated_ids"]),
            roles["supervisor"],
            roles["office"],
            roles["trainee"],
            translation.get_language(),
            timezone.localdate().isoformat(),
            *versions(scopes),
            *parts,
        )
    )
    return "fragment:" + hashlib.sha256(raw.encode()).hexdigest()


def enabled() -> bool:
    """KENSHU_FRAGMENT_CACHE=false renders every page every time (to measure pages cold)."""
    return settings.KENSHU_FRAGMENT_CACHE


def cached_value(name: str, compute, *, scopes: Iterable[str], parts: tuple = ()):
    """`compute()` (a count, a short list: no person in it), kept until one of `scopes`
    changes; computed every time when the fragment cache is off."""
    if not enabled():
        return compute()
    scopes = list(scopes)
    key = "{}:{}:{}".format(name, ",".join(map(str, parts)), ",".join(map(str, versions(scopes))))
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def cached_fragment(build, *, kind: str, request, scopes: Iterable[str], parts: tuple = ()):
    """`build()`, kept under the key of this person, page and versions. The caller has
    checked access already."""
    if not enabled():
        return build()
    key = fragment_key(kind, request, *parts, scopes=scopes)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value


def cached_render(
    request, template: str, build_context, *, kind: str, scopes: Iterable[str], parts=()
) -> SafeString:
    """`template` rendered with `build_context()`, from the cache when the key is there.
    The fragment holds no CSRF token and nothing of the session: forms that post stay
    outside it."""
    html = cached_fragment(
        lambda: render_to_string(template, build_context(), request),
        kind=kind,
        request=request,
        scopes=scopes,
        parts=parts,
    )
    return mark_safe(html)  # noqa: S308 -- our own template, escaped when it was rendered
