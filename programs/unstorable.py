"""The last line before the database: no statement is sent with text it cannot store.

PostgreSQL refuses a NUL in text (and `\\u0000` in jsonb); no UTF-8 database can hold a lone
surrogate. Forms and services refuse these (and other control characters) first, next to the
field (programs.plain_text); this guard is for a path that missed them: every statement's
parameters are read before it is sent, on every database, so SQLite refuses what PostgreSQL
would and nothing reaches the INSERT. The view's request answers 400 with a page that says
which character (UnstorableTextMiddleware), not a 500; an enclosing transaction is rolled
back as for any database error."""

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

from django.db import DataError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")
_PLAIN = frozenset({int, bool, float, Decimal, date, datetime, time, timedelta, UUID, bytes})


class UnstorableText(DataError):
    """A statement's parameter held a NUL or a lone surrogate: it was not sent. A DataError,
    as PostgreSQL's own refusal of a NUL is."""

    def __init__(self, char: str):
        self.char = char
        self.code = f"U+{ord(char):04X}"
        super().__init__(f"text holding {self.code} was not sent to the database")


def _unstorable(value) -> str | None:
    """The first NUL or lone surrogate in a parameter: text, a list or tuple of them (a bulk
    statement's rows), or a JSON value as the PostgreSQL backend wraps it (Jsonb)."""
    if isinstance(value, str):
        match = UNSTORABLE.search(value)
        return match.group() if match else None
    if value is None or type(value) in _PLAIN:
        return None
    if isinstance(value, list | tuple):
        for item in value:
            if found := _unstorable(item):
                return found
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            if found := _unstorable(key) or _unstorable(item):
                return found
        return None
    if type(value).__name__ in ("Jsonb", "Json"):  # psycopg's JSON wrappers (Django's jsonb)
        return _unstorable(getattr(value, "obj", getattr(value, "adapted", None)))
    return None


def refuse_unstorable_text(execute, sql, params, many, context):
    """A database execute wrapper (Django's "database instrumentation")."""
    if params:
        found = _unstorable(params if not isinstance(params, dict) else list(params.values()))
        if found:
            raise UnstorableText(found)
    return execute(sql, params, many, context)


def install(connection, **kwargs) -> None:
    """connection_created receiver: each new connection (each thread has its own) gets the
    wrapper once."""
    if refuse_unstorable_text not in connection.execute_wrappers:
        connection.execute_wrappers.append(refuse_unstorable_text)


def message(code: str) -> str:
    return _(
        "The text contains a character that cannot be saved (%(code)s). It was not saved: go "
        "back, remove the character and send it again."
    ) % {"code": code}


class UnstorableTextMiddleware:
    """A view that reached the guard answers 400 with what to remove (JSON for the pages'
    scripts, which ask for it), never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, UnstorableText):
            return None
        text = message(exception.code)
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse(
                {"ok": False, "code": "unusable_character", "errors": {"__all__": text}},
                status=400,
            )
        return render(request, "unstorable_text.html", {"message": text}, status=400)
