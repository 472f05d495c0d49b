"""ORM queries compiled once per database connection and run again with other values.

Building and compiling a Django query costs 0.3–1.5 ms, as much as running it or more; on the
pages read most the SQL never changes but for its values (an id, a list of host ids, a day).
`CompiledQuery(build)` calls `build(*sentinels)` once per connection and shape (how many values
are passed, and an optional `shape` the caller names, such as a page's offset), finds each
sentinel among the compiled parameters, and from then on runs the same SQL with the caller's
values, through the ORM's converters (so SQLite's dates come back as dates, as they would from
the queryset). Values are ids (int) or days (date); pass a list for `__in`."""

import weakref
from collections.abc import Callable
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
        self.build = build  # build(*values) → a values_list() queryset
        self._per_connection = weakref.WeakKeyDictionary()

    def rows(self, *values, shape=(), using: str = "default") -> list[tuple]:
        connection = connections[using]
        key = (tuple(len(v) if isinstance(v, list | tuple) else -1 for v in values), shape)
        compiled = self._per_connection.setdefault(connection, {})
        found = compiled.get(key)
        if found is None:
            found = compiled[key] = self._compile(values, connection)
        sql, params, positions, compiler, converters = found
        params = list(params)
        for places, value in zip(positions, _flat(values), strict=True):
            for place in places:
                params[place] = _adapt(connection, value)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows

    def _compile(self, values, connection):
        sentinels = _sentinels(values)
        compiler = self.build(*sentinels).query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        positions = []
        for sentinel in _flat(sentinels):
            compiled = _adapt(connection, sentinel)
            found = [i for i, value in enumerate(params) if value == compiled]
            if not found:
                raise ValueError(f"each value must appear among the parameters: {params}")
            positions.append(found)  # a day may be compared twice, say
        converters = compiler.get_converters([select[0] for select in compiler.select])
        return sql, tuple(params), positions, compiler, converters
