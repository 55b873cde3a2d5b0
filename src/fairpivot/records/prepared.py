"""Queries a page view runs every time, compiled to SQL once instead of every time.

Building and compiling an ORM query costs far more than running it on an indexed key:
the case page ran four such queries per view (the signed-in user, the viewer, the case,
its ledger) and compiling them was about a third of its CPU. A ``Prepared`` query is the
ORM's own query, written as usual, compiled by the ORM once per connection with stand-in
parameters; each run sends that SQL with the real parameters and converts the values as
the ORM would (its converters: datetimes made aware on SQLite, JSON decoded, and so on).

Only ``values_list`` queries: the caller builds model instances from the rows when it
needs them (``Model.from_db``), as ``access.viewer_of`` did already.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock
from typing import Any
from weakref import WeakKeyDictionary

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

# Stand-in parameters: values no real key takes, so each is found once among the
# compiled query's parameters and its place there is where the real value goes.
_STAND_INS: dict[type, Callable[[int], object]] = {
    int: lambda i: -7_340_033 - i,
    str: lambda i: f"\x00prepared-{i}\x00",
}


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[int, ...]  # where each argument goes among ``params``
    compiler: SQLCompiler
    converters: dict[int, Any]


class Prepared:
    """A ``values_list`` query compiled once per database connection, run with new values.

    ``build`` makes the query from its parameters, one per type in ``kinds`` (``int`` or
    ``str``); it is called once per connection, with stand-ins.
    """

    def __init__(self, build: Callable[..., QuerySet[Any, Any]], *kinds: type) -> None:
        self._build = build
        self._stand_ins = tuple(_STAND_INS[kind](i) for i, kind in enumerate(kinds))
        # By connection object: each thread has its own, and a compiler is bound to one.
        self._compiled: WeakKeyDictionary[BaseDatabaseWrapper, _Compiled] = WeakKeyDictionary()
        self._lock = Lock()

    def rows(self, *args: object) -> list[tuple[Any, ...]]:
        """The query's rows for these parameters, each value as the ORM gives it."""
        return self.converted(self.raw(*args))

    def raw(self, *args: object) -> list[tuple[Any, ...]]:
        """The query's rows as the database driver gives them, before the ORM's converters
        (``converted`` applies them): equal raw rows convert to equal rows."""
        compiled = self._compiled_here()
        params = list(compiled.params)
        for slot, value in zip(compiled.slots, args, strict=True):
            params[slot] = value
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            return [tuple(row) for row in cursor.fetchall()]

    def converted(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """``raw`` rows with each value as the ORM gives it."""
        compiled = self._compiled_here()
        if not compiled.converters:
            return rows
        return [tuple(row) for row in compiled.compiler.apply_converters(rows, compiled.converters)]

    def _compiled_here(self) -> _Compiled:
        connection = connections[DEFAULT_DB_ALIAS]
        compiled = self._compiled.get(connection)
        return compiled if compiled is not None else self._compile(connection)

    def _compile(self, connection: BaseDatabaseWrapper) -> _Compiled:
        queryset = self._build(*self._stand_ins)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = []
        for stand_in in self._stand_ins:
            places = [i for i, p in enumerate(params) if p == stand_in]
            if len(places) != 1:
                raise ValueError(f"a prepared query must use each parameter once: {sql}")
            slots.append(places[0])
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        compiled = _Compiled(
            sql, tuple(params), tuple(slots), compiler, compiler.get_converters(fields)
        )
        with self._lock:
            self._compiled[connection] = compiled
        return compiled
