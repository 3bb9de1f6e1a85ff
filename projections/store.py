"""The read-model tables on SQLite or PostgreSQL, beside the ``eventsourcing`` library's own
tracking table (one row: how far in the application's log the tables are) and ``rm_versions``
(the schema version each read model's tables were built with).

Built on the library's tracking recorders, so the tracking row and the tables are written in the
same transaction (``batch``): a crash rolls both back, and the next run resumes exactly where the
tables are. A rebuild (``rebuilding``) is one transaction too, which records the versions it
built; pages keep reading the tables as they were until it commits:

- SQLite (WAL): readers see the last committed state; the rebuild holds the database's single
  write lock from its first statement, so live batches (and the application's own writes, in
  the same file) wait for it;
- PostgreSQL: the new tables are built in a schema of their own and moved into place at the
  end, so pages read the old tables meanwhile and wait only for the swap itself. Live batches
  take ``rm_versions`` in ROW SHARE mode, a rebuild in EXCLUSIVE mode: a rebuild waits for the
  batches in flight and holds off new ones, which could otherwise write to tables it replaces.

SQL is written once with ``:name`` parameters; PostgreSQL gets ``%(name)s``.
"""

from __future__ import annotations

import re
import sqlite3
import time
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Protocol

import psycopg
from eventsourcing.persistence import InfrastructureFactory, Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.sqlite import (
    SQLITE3_DEFAULT_LOCK_TIMEOUT,
    SQLiteConnection,
    SQLiteConnectionPool,
    SQLiteDatastore,
    SQLiteTrackingRecorder,
)
from eventsourcing.utils import Environment
from psycopg.sql import SQL, Identifier

from police.app.base import created_once
from projections.schema import (
    BY_NAME,
    VERSIONS_TABLE,
    create_statements,
    table_names,
    table_statements,
)

APPLICATION = "police"  # the tracked application's name (PoliceApp.name)
VIEW_ENV_NAME = "read_models"  # PostgreSQL: tracking table "read_models_tracking"
_NAMED = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")

Row = dict[str, Any]
# Given the versions recorded, which read models to rebuild (decided once the lock is held).
Choice = Callable[[Mapping[str, int]], Sequence[str]]
SWAP_LOCK_TIMEOUT = "500ms"
SWAP_ATTEMPTS = 40


class Writer(Protocol):
    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None: ...

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]: ...

    def execute_many(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None: ...

    def columns(self, table: str) -> list[str]: ...


class ReadStore(Protocol):
    def batch(self, position: int) -> Any:
        """A transaction writing the tables and moving the tracked position to ``position``."""

    def reader(self) -> Any:
        """A read-only transaction."""

    def position(self) -> int: ...

    def versions(self) -> dict[str, int]:
        """The schema version each read model's tables were built with, as recorded."""

    def rebuilding(self, choose: Choice) -> Any:
        """One transaction yielding (names, writer): the read models ``choose`` picks from the
        versions recorded, their tables recreated empty; it records their versions before it
        commits and leaves the tracked position as it is."""

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

    def columns(self, table: str) -> list[str]:
        """The columns ``table`` has now (it may be an older shape than the code's)."""
        if self.postgres:
            rows = self.query(
                "SELECT column_name AS name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = :table",
                {"table": table},
            )
        else:
            rows = self.query("SELECT name FROM pragma_table_info(:table)", {"table": table})
        return [row["name"] for row in rows]

    def _sql(self, sql: str) -> str:
        return _postgres_sql(sql) if self.postgres else sql


@lru_cache(maxsize=1024)
def _postgres_sql(sql: str) -> str:
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))


# Prepared statements each read connection keeps. The library opens its SQLite connections with
# ``cached_statements=True``, a cache of one: the BEGIN of every transaction evicts the page's
# query, prepared again at each read (0.1-0.2 ms for the permits nearby, as long as the query).
STATEMENT_CACHE = 128


class _StatementCachingPool(SQLiteConnectionPool):
    """The library's pool, its new connections reopened with a statement cache of
    ``STATEMENT_CACHE`` (the library's own first open sets the WAL mode)."""

    def _create_connection(self) -> SQLiteConnection:
        connection = super()._create_connection()
        if self.is_sqlite_memory_mode:
            return connection  # a second connection would be another database
        opened = connection._sqlite_conn
        timeout = self.lock_timeout or SQLITE3_DEFAULT_LOCK_TIMEOUT
        reopened = sqlite3.connect(
            self.db_name,
            uri=True,
            check_same_thread=False,
            isolation_level=None,
            cached_statements=STATEMENT_CACHE,
            timeout=timeout,
        )
        reopened.row_factory = sqlite3.Row
        connection._sqlite_conn = reopened
        opened.close()
        return connection


class SQLiteReadStore(SQLiteTrackingRecorder):
    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        # Built by the library's factory with its own pool; only how it opens a connection
        # changes (none is open yet).
        datastore.pool.__class__ = _StatementCachingPool
        super().__init__(datastore, **kwargs)

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), VERSIONS_TABLE, *table_statements()]

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

    def versions(self) -> dict[str, int]:
        with self.reader() as reader:
            return _recorded(reader)

    @contextmanager
    def rebuilding(self, choose: Choice) -> Iterator[tuple[tuple[str, ...], _Cursor]]:
        with self.datastore.transaction(commit=True) as c:
            cursor = _Cursor(c, postgres=False)
            # A write first takes the write lock: the versions read next are the latest, and
            # no other writer can commit until this transaction does.
            cursor.execute("UPDATE rm_versions SET version = version WHERE read_model = ''")
            names = tuple(choose(_recorded(cursor)))
            for name in names:
                for table in table_names(name):
                    cursor.execute(f"DROP TABLE IF EXISTS {table}")
            for sql in create_statements(names):
                cursor.execute(sql)
            yield names, cursor
            _record(cursor, names)

    def close(self) -> None:
        self.datastore.close()


class PostgresReadStore(PostgresTrackingRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._on_schema: weakref.WeakSet[Any] = weakref.WeakSet()  # connections read from
        super().__init__(*args, **kwargs)

    def _create_table(self, curs: Any) -> None:
        super()._create_table(curs)
        self._use_schema(curs)
        for sql in [VERSIONS_TABLE, *table_statements()]:
            curs.execute(sql)

    def _use_schema(self, curs: Any, *schemas: str) -> None:
        path = ", ".join(Identifier(s).as_string(curs) for s in (*schemas, self.datastore.schema))
        curs.execute("SELECT set_config('search_path', %s, true)", (path,))

    @contextmanager
    def batch(self, position: int) -> Iterator[_Cursor]:
        # Pipeline mode: statements go out without waiting for each answer (one round trip
        # per batch instead of one per statement); a query still waits for its rows.
        with self.datastore.transaction(commit=True) as curs, curs.connection.pipeline():
            self._use_schema(curs)
            curs.execute("LOCK TABLE rm_versions IN ROW SHARE MODE")  # see the module's doc
            yield _Cursor(curs, postgres=True)
            self._insert_tracking(curs, Tracking(APPLICATION, position))

    @contextmanager
    def reader(self) -> Iterator[_Cursor]:
        """Reads outside a transaction: the library's connections are in autocommit mode, and
        under READ COMMITTED a transaction gives its statements no common snapshot anyway, so
        BEGIN and ROLLBACK would be two round trips for nothing. The search path is set once
        per connection, for its session (a batch or a rebuild sets its own, for its
        transaction only)."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            if conn not in self._on_schema:
                path = Identifier(self.datastore.schema).as_string(curs)
                curs.execute("SELECT set_config('search_path', %s, false)", (path,))
                self._on_schema.add(conn)
            yield _Cursor(curs, postgres=True)

    def position(self) -> int:
        return self.max_tracking_id(APPLICATION) or 0

    def versions(self) -> dict[str, int]:
        with self.reader() as reader:
            return _recorded(reader)

    @contextmanager
    def rebuilding(self, choose: Choice) -> Iterator[tuple[tuple[str, ...], _Cursor]]:
        main = self.datastore.schema
        shadow = f"{main[:48]}_rm_rebuild"
        with self.datastore.transaction(commit=True) as curs:
            self._use_schema(curs)
            curs.execute("LOCK TABLE rm_versions IN EXCLUSIVE MODE")
            cursor = _Cursor(curs, postgres=True)
            names = tuple(choose(_recorded(cursor)))
            if not names:
                yield names, cursor
                return
            with curs.connection.pipeline():
                curs.execute(SQL("CREATE SCHEMA {}").format(Identifier(shadow)))
                # Unqualified names now reach the new tables first (and the tracking table,
                # which the library names with its schema, stays where it is).
                self._use_schema(curs, shadow)
                for sql in create_statements(names):
                    curs.execute(sql)
                yield names, cursor
            self._swap(curs, names, shadow)
            self._use_schema(curs)
            _record(cursor, names)

    def _swap(self, curs: Any, names: Sequence[str], shadow: str) -> None:
        """Moves the new tables of ``names`` from ``shadow`` over the old ones."""
        main = self.datastore.schema
        tables = [t for name in names for t in table_names(name)]
        curs.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename = ANY(%s)",
            (main, tables),
        )
        old = [Identifier(main, row["tablename"]) for row in curs.fetchall()]
        if old:
            # Pages hold their tables a moment each; one reading two of them while the swap
            # holds one and waits for the other would deadlock with it. So the swap waits a
            # little, lets go and tries again, rather than risk the whole rebuild.
            curs.execute(SQL("SET LOCAL lock_timeout = {}").format(SWAP_LOCK_TIMEOUT))
            for attempt in range(SWAP_ATTEMPTS):
                try:
                    with curs.connection.transaction():  # a savepoint
                        curs.execute(
                            SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(
                                SQL(", ").join(old)
                            )
                        )
                    break
                except psycopg.errors.LockNotAvailable:
                    if attempt == SWAP_ATTEMPTS - 1:
                        raise
                    time.sleep(0.05 * (attempt + 1))
        for table in tables:
            curs.execute(SQL("DROP TABLE IF EXISTS {}").format(Identifier(main, table)))
            curs.execute(
                SQL("ALTER TABLE {} SET SCHEMA {}").format(
                    Identifier(shadow, table), Identifier(main)
                )
            )
        curs.execute(SQL("DROP SCHEMA {}").format(Identifier(shadow)))

    def close(self) -> None:
        self.datastore.close()


def _recorded(cursor: _Cursor) -> dict[str, int]:
    rows = cursor.query("SELECT read_model, version FROM rm_versions")
    return {row["read_model"]: int(row["version"]) for row in rows}


def _record(cursor: _Cursor, names: Sequence[str]) -> None:
    """The versions ``names`` were just built with, in the transaction that built them."""
    for name in names:
        cursor.execute(
            "INSERT INTO rm_versions (read_model, version) VALUES (:name, :version) "
            "ON CONFLICT (read_model) DO UPDATE SET version = excluded.version",
            {"name": name, "version": BY_NAME[name].version},
        )


def open_read_store(env: Mapping[str, str]) -> ReadStore:
    """The read store beside the event store that ``env`` (the application's) configures."""
    factory = InfrastructureFactory.construct(env=Environment(VIEW_ENV_NAME, dict(env)))
    kind = (
        PostgresReadStore
        if env.get("PERSISTENCE_MODULE") == "eventsourcing.postgres"
        else SQLiteReadStore
    )
    # The factory is typed to return its own recorder class, not the subclass asked for.
    return created_once(lambda: factory.tracking_recorder(kind))  # type: ignore[return-value]
