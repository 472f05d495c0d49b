"""ORM queries compiled once per database connection and run again with other values.

Building and compiling a Django query costs 0.3–1.5 ms, as much as running it or more; on the
pages read most the SQL never changes but for its values (an id, a list of host ids, a day).
`CompiledQuery(build)` calls `build(*sentinels)` once per connection and shape (how many values
are passed, and an optional `shape` the caller names, such as a page's offset), finds each
sentinel among the compiled parameters, and from then on runs the same SQL with the caller's
values, through the ORM's converters (so SQLite's dates come back as dates, as they would from
the queryset). Values are ids (int) or days (date); pass a list for `__in`. `rows()` gives
tuples; `dicts()` gives, for a `.values()` queryset, the dicts it would."""

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connections
from django.db.models import QuerySet

INT_BASE = -7_340_001  # ids no row has
DATE_BASE = date(1901, 1, 1)  # days no program has


def _sentinels(values) -> list:
    """One distinct sentinel per value (each element of a list counts as one)."""
    out, n = [], 0
    for value in values:
        items = value if isinstance(value, list | tuple) else [value]
        group = []
        for item in items:
            if isinstance(item, datetime):
                raise TypeError(f"a compiled query takes ids and days, not {item!r}")
            if isinstance(item, date):
                group.append(DATE_BASE + timedelta(days=n))
            elif isinstance(item, int):
                group.append(INT_BASE - n)
            else:
                raise TypeError(f"a compiled query takes ids and days, not {item!r}")
            n += 1
        out.append(group if isinstance(value, list | tuple) else group[0])
    return out


def _adapt(connection, value):
    """A value as the ORM passes it to the database (SQLite takes days as text)."""
    return connection.ops.adapt_datefield_value(value) if isinstance(value, date) else value


def _flat(values) -> list:
    return [i for v in values for i in (v if isinstance(v, list | tuple) else [v])]


class CompiledQuery:
    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build  # build(*values) → a values() or values_list() queryset
        self._per_connection = weakref.WeakKeyDictionary()

    def rows(self, *values, shape=(), using: str = "default") -> list[tuple]:
        return run_together([self.later(*values, shape=shape)], using=using)[0]

    def dicts(self, *values, shape=(), using: str = "default") -> list[dict]:
        """The rows as the `.values()` queryset gives them: a dict per row, by field name."""
        return run_together([self.later(*values, shape=shape, dicts=True)], using=using)[0]

    def later(self, *values, shape=(), dicts: bool = False) -> "Pending":
        """This query with these values, to run with others by `run_together`."""
        return Pending(self, values, shape, dicts)

    def _bind(self, pending: "Pending", connection):
        """(sql, params, finish): the SQL with the caller's values, and what turns the
        fetched rows into the queryset's."""
        values = pending.values
        key = (tuple(len(v) if isinstance(v, list | tuple) else -1 for v in values), pending.shape)
        compiled = self._per_connection.setdefault(connection, {})
        found = compiled.get(key)
        if found is None:
            found = compiled[key] = self._compile(values, connection)
        sql, params, positions, compiler, converters, names = found
        params = list(params)
        for places, value in zip(positions, _flat(values), strict=True):
            for place in places:
                params[place] = _adapt(connection, value)

        def finish(rows):
            if converters:
                rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
            if pending.dicts:
                return [dict(zip(names, row, strict=True)) for row in rows]
            return rows

        return sql, params, finish

    def _compile(self, values, connection):
        sentinels = _sentinels(values)
        query = self.build(*sentinels).query
        names = list(query.selected or ()) or [
            *query.extra_select,
            *query.values_select,
            *query.annotation_select,
        ]
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        positions = []
        for sentinel in _flat(sentinels):
            compiled = _adapt(connection, sentinel)
            found = [i for i, value in enumerate(params) if value == compiled]
            if not found:
                raise ValueError(f"each value must appear among the parameters: {params}")
            positions.append(found)  # a day may be compared twice, say
        converters = compiler.get_converters([select[0] for select in compiler.select])
        return sql, tuple(params), positions, compiler, converters, names


@dataclass(frozen=True)
class Pending:
    query: CompiledQuery
    values: tuple
    shape: tuple
    dicts: bool


def run_together(pending: list[Pending], using: str = "default") -> list[list]:
    """Each query's rows (or dicts), in order. On PostgreSQL the queries go to the server
    together, in one round trip (psycopg's pipeline mode): a page's independent queries cost
    one wait instead of one each. Elsewhere they run one after another. Each is still one
    statement, and counts as one query."""
    connection = connections[using]
    bound = [p.query._bind(p, connection) for p in pending]
    connection.ensure_connection()
    if len(bound) > 1 and _pipelines(connection):
        with connection.wrap_database_errors, connection.connection.pipeline():
            cursors = []
            try:
                for sql, params, _finish in bound:
                    cursor = connection.cursor()
                    cursors.append(cursor)
                    cursor.execute(sql, params)
                fetched = [cursor.fetchall() for cursor in cursors]
            finally:
                for cursor in cursors:
                    cursor.close()
    else:
        fetched = []
        for sql, params, _finish in bound:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                fetched.append(cursor.fetchall())
    return [finish(rows) for (_sql, _params, finish), rows in zip(bound, fetched, strict=True)]


def _pipelines(connection) -> bool:
    if connection.vendor != "postgresql":
        return False
    import psycopg

    return psycopg.Pipeline.is_supported()
