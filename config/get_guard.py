"""The test suite's guard that no GET changes data (docs/architecture.md): every GET and HEAD
the suite makes runs its view with the database refusing INSERT, UPDATE and DELETE.

Installed last in MIDDLEWARE by config/settings/test.py, so it wraps the view alone: the
session saved by SessionMiddleware on the way out is not the view's write."""

import re

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

        def refuse_writes(execute, sql, params, many, context):
            if WRITE.match(sql):
                raise GetWroteData(f"GET {request.path} writes: {sql[:120]}")
            return execute(sql, params, many, context)

        wrappers = []
        for alias in connections:
            wrapper = connections[alias].execute_wrapper(refuse_writes)
            wrapper.__enter__()
            wrappers.append(wrapper)
        try:
            return self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
