"""The test suite's guard that no GET changes data (docs/architecture.md): every GET and HEAD
the suite makes runs its view with the database refusing INSERT, UPDATE and DELETE.

Installed last in MIDDLEWARE by config/settings/test.py, so it wraps the view alone: the
session saved by SessionMiddleware on the way out is not the view's write."""

import re
import threading

from django.db import connections

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


class GetWroteData(AssertionError):
    pass


class GetGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        # The browser tests' live server shares one in-memory SQLite connection between its
        # request threads (a page's service worker fetches pages while the person posts a
        # form): each guard refuses only its own thread's writes, and is taken out itself.
        thread = threading.get_ident()

        def refuse_writes(execute, sql, params, many, context):
            if threading.get_ident() == thread and WRITE.match(sql):
                raise GetWroteData(f"GET {request.path} writes: {sql[:120]}")
            return execute(sql, params, many, context)

        guarded = [connections[alias] for alias in connections]
        for connection in guarded:
            connection.execute_wrappers.append(refuse_writes)
        try:
            return self.get_response(request)
        finally:
            for connection in guarded:
                connection.execute_wrappers.remove(refuse_writes)
