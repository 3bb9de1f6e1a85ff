"""The read-model tables on SQLite or PostgreSQL, beside the ``eventsourcing`` library's own
tracking table (one row: how far in the application's log the tables are).

Built on the library's tracking recorders, so the tracking row and the tables are written in the
same transaction (``batch``): a crash rolls both back, and the next run resumes exactly where the
tables are. SQL is written once with ``:name`` parameters; PostgreSQL gets ``%(name)s``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Protocol

from eventsourcing.persistence import InfrastructureFactory, Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteTrackingRecorder
from eventsourcing.utils import Environment

from police.app.base import created_once
from projections.schema import create_statements, table_names

APPLICATION = "police"  # the tracked application's name (PoliceApp.name)
VIEW_ENV_NAME = "read_models"  # PostgreSQL: tracking table "read_models_tracking"
_NAMED = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")

Row = dict[str, Any]


class Writer(Protocol):
    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None: ...

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]: ...

    def execute_many(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None: ...


class ReadStore(Protocol):
    def batch(self, position: int) -> Any:
        """A transaction writing the tables and moving the tracked position to ``position``."""

    def reader(self) -> Any:
        """A read-only transaction."""

    def position(self) -> int: ...

    def rebuilding(self, names: Sequence[str]) -> Any:
        """One transaction that starts by dropping and recreating the tables of ``names`` and
        leaves the tracked position as it is; live writers wait for it to commit."""

    def close(self) -> None: ...


class _Cursor:
    def __init__(self, cursor: Any, postgres: bool) -> None:
        self.cursor = cursor
        self.postgres = postgres

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        self.cursor.execute(self._sql(sql), params or {})

    def execute_many(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        self.cursor.executemany(self._sql(sql), rows)

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        self.cursor.execute(self._sql(sql), params or {})
        return [dict(row) for row in self.cursor.fetchall()]

    def _sql(self, sql: str) -> str:
        return _postgres_sql(sql) if self.postgres else sql


@lru_cache(maxsize=1024)
def _postgres_sql(sql: str) -> str:
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))


class SQLiteReadStore(SQLiteTrackingRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *create_statements()]

    @contextmanager
    def batch(self, position: int) -> Iterator[_Cursor]:
        with self.datastore.transaction(commit=True) as c:
            yield _Cursor(c, postgres=False)
            self._insert_tracking(c, Tracking(APPLICATION, position))

    @contextmanager
    def reader(self) -> Iterator[_Cursor]:
        with self.datastore.transaction(commit=False) as c:
            yield _Cursor(c, postgres=False)

    def position(self) -> int:
        return self.max_tracking_id(APPLICATION) or 0

    @contextmanager
    def rebuilding(self, names: Sequence[str]) -> Iterator[_Cursor]:
        with self.datastore.transaction(commit=True) as c:
            _recreate(c, names)
            yield _Cursor(c, postgres=False)

    def close(self) -> None:
        self.datastore.close()


class PostgresReadStore(PostgresTrackingRecorder):
    def _create_table(self, curs: Any) -> None:
        super()._create_table(curs)
        self._use_schema(curs)
        for sql in create_statements():
            curs.execute(sql)

    def _use_schema(self, curs: Any) -> None:
        curs.execute("SELECT set_config('search_path', %s, true)", (self.datastore.schema,))

    @contextmanager
    def batch(self, position: int) -> Iterator[_Cursor]:
        # Pipeline mode: statements go out without waiting for each answer (one round trip
        # per batch instead of one per statement); a query still waits for its rows.
        with self.datastore.transaction(commit=True) as curs, curs.connection.pipeline():
            self._use_schema(curs)
            yield _Cursor(curs, postgres=True)
            self._insert_tracking(curs, Tracking(APPLICATION, position))

    @contextmanager
    def reader(self) -> Iterator[_Cursor]:
        with self.datastore.transaction(commit=False) as curs:
            self._use_schema(curs)
            yield _Cursor(curs, postgres=True)

    def position(self) -> int:
        return self.max_tracking_id(APPLICATION) or 0

    @contextmanager
    def rebuilding(self, names: Sequence[str]) -> Iterator[_Cursor]:
        with self.datastore.transaction(commit=True) as curs, curs.connection.pipeline():
            self._use_schema(curs)
            _recreate(curs, names)
            yield _Cursor(curs, postgres=True)

    def close(self) -> None:
        self.datastore.close()


def _recreate(cursor: Any, names: Sequence[str]) -> None:
    for name in names:
        for table in table_names(name):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        for sql in create_statements((name,)):
            cursor.execute(sql)


def open_read_store(env: Mapping[str, str]) -> ReadStore:
    """The read store beside the event store that ``env`` (the application's) configures."""
    factory = InfrastructureFactory.construct(env=Environment(VIEW_ENV_NAME, dict(env)))
    kind = (
        PostgresReadStore
        if env.get("PERSISTENCE_MODULE") == "eventsourcing.postgres"
        else SQLiteReadStore
    )
    return created_once(lambda: factory.tracking_recorder(kind))  # type: ignore[return-value]
