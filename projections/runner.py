"""Following the application's log into the read models.

The loop reads the log after the tracked position, a page at a time, and applies each page in one
transaction with the new position (``store.batch``): killed at any moment, it resumes exactly where
the tables are. It polls (every 100 ms when idle): the SQLite recorder offers no subscription, and
one code path serves both stores; on PostgreSQL a poll is one index lookup.

Before its first page, a projector rebuilds every read model whose tables were built with a
schema version other than the one the code declares, or never recorded one (``migrate``).

``EmbeddedProjections`` runs the loop in a thread of the web process (the embedded default);
``police project`` runs it as a worker process (production).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import (
    ApplicationRecorder,
    IntegrityError,
    InterfaceError,
    JSONTranscoder,
    OperationalError,
)

from police import transcodings
from police.aggregates.case import Case
from police.app.base import created_once
from police.catalogue import Catalogue
from police.territory import Territory
from projections.projection import ReadModelProjection
from projections.schema import PROJECTIONS, declared_versions
from projections.store import APPLICATION, Choice, ReadStore, Writer, open_read_store

log = logging.getLogger(__name__)
PAGE = 500
IDLE_POLL = 0.1


class EventLog(Application[UUID]):
    """Reads the police application's log: same name, same transcodings, no commands."""

    name = APPLICATION

    def construct_recorder(self) -> ApplicationRecorder:
        return created_once(super().construct_recorder)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcodings.register(transcoder)


class Projector:
    def __init__(
        self, env: Mapping[str, str], *, page: int = PAGE, log: Application[UUID] | None = None
    ) -> None:
        """``log``: the application whose events to read, when this process already has it
        (the web app): its connection pool is shared instead of opening a second one."""
        self.env = dict(env)
        self._owns_log = log is None
        self.log: Application[UUID] = log or EventLog(env=self.env)
        self.store: ReadStore = open_read_store(self.env)
        self.territory = Territory.load(self.env.get("POLICE_TERRITORY") or "")
        self.catalogue = Catalogue.load()  # the application's too (``police.app.base``)
        self.projection = self._projection(PROJECTIONS)
        self.page = page
        self.advanced = threading.Condition()
        self._written: int | None = None  # the position this projector's last batch reached
        self._migrated = False

    def _projection(self, groups: Iterable[str]) -> ReadModelProjection:
        return ReadModelProjection(
            territory=self.territory,
            catalogue=self.catalogue,
            load_case=self._load_case,
            groups=groups,
        )

    def _load_case(self, case_id: UUID, version: int) -> Case:
        case: Any = self.log.repository.get(case_id, version=version)
        assert isinstance(case, Case)
        return case

    def position(self) -> int:
        return self.store.position()

    def head(self) -> int:
        return self.log.recorder.max_notification_id() or 0

    def lag(self) -> int:
        return max(0, self.head() - self.position())

    def step(self) -> int:
        """Applies the next page of the log; returns how many events it held."""
        if not self._migrated:
            self.migrate()
        position = self.position()
        if position != self._written:
            # Another projector moved the tables on: what this one keeps in memory (cases,
            # subjects' brigades) may be behind them.
            self.projection.forget()
        page = self.log.recorder.select_notifications(position, self.page, inclusive_of_start=False)
        if not page:
            self._written = position
            return 0
        last = page[-1].id
        try:
            with self.store.batch(last) as writer:
                self.projection.writer = writer
                for notification in page:
                    event = self.log.mapper.to_domain_event(notification)
                    self.projection.process_event(event, notification.id)
                self.projection.flush()
        except IntegrityError:
            self.projection.forget()
            if self.position() >= last:
                return 0  # another projector recorded this page first: the tables hold it
            raise
        except BaseException:
            self.projection.forget()
            raise
        finally:
            self.projection.writer = None
        self._written = last
        with self.advanced:
            self.advanced.notify_all()
        return len(page)

    def catch_up(self, timeout: float = 30.0) -> int:
        """Applies the log up to its end as it is now; returns the position reached."""
        target, deadline = self.head(), time.monotonic() + timeout
        while (position := self.position()) < target:
            if not self.step() and time.monotonic() > deadline:
                raise TimeoutError(f"read models at {position}, log at {target}")
        return self.position()

    def wait_for(self, position: int, timeout: float = 2.0) -> bool:
        """Waits until the tables include the event at ``position`` (another thread projects)."""
        deadline = time.monotonic() + timeout
        with self.advanced:
            while self.position() < position:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.advanced.wait(min(left, IDLE_POLL))
        return True

    def run(self, stop: threading.Event) -> None:
        """Follows the log until ``stop`` is set. A database hiccup is retried; an event the
        projection cannot handle stops the loop (raised) with its name in the log."""
        while not stop.is_set():
            try:
                if not self.step():
                    stop.wait(IDLE_POLL)
            except Exception as e:
                if _is_transient(e):
                    log.warning("read models: %s; retrying", e)
                    stop.wait(1.0)
                    continue
                log.exception("read models stopped at position %d: %s", self.position(), e)
                raise

    def migrate(self) -> tuple[str, ...]:
        """Rebuilds the read models whose tables were built with another schema version than
        the code declares, or recorded none (added since); returns their names. Another
        projector migrating meanwhile is waited for, and what it rebuilt is not rebuilt again."""
        rebuilt: tuple[str, ...] = ()
        if _stale(self.store.versions()):
            rebuilt, replayed = self._rebuild(_stale)
            if rebuilt:
                log.info(
                    "read models %s rebuilt for their new schema version: %d events replayed",
                    ", ".join(rebuilt),
                    replayed,
                )
            self.projection.forget()
        self._migrated = True
        return rebuilt

    def rebuild(self, names: Iterable[str]) -> int:
        """Drops the tables of ``names`` and replays the log into them, in one transaction, up to
        the position the other tables are at; returns how many events were replayed."""
        groups = tuple(dict.fromkeys(names))
        return self._rebuild(lambda _: groups)[1]

    def _rebuild(self, choose: Choice) -> tuple[tuple[str, ...], int]:
        with self.store.rebuilding(choose) as (groups, writer):
            replayed = self._replay(self._projection(groups), writer) if groups else 0
        return groups, replayed

    def _replay(self, projection: ReadModelProjection, writer: Writer) -> int:
        """Replays the log up to the tracked position into ``writer``'s new tables."""
        projection.writer = writer
        replayed, position, target = 0, 0, self.position()
        while position < target:
            page = self.log.recorder.select_notifications(
                position, self.page, stop=target, inclusive_of_start=False
            )
            if not page:
                break
            for notification in page:
                event = self.log.mapper.to_domain_event(notification)
                projection.process_event(event, notification.id)
            projection.flush()
            position = page[-1].id
            replayed += len(page)
        return replayed

    def close(self) -> None:
        self.store.close()
        if self._owns_log:
            self.log.close()


def _stale(recorded: Mapping[str, int]) -> list[str]:
    """The read models whose recorded version is not the declared one, or is missing."""
    return [name for name, version in declared_versions().items() if recorded.get(name) != version]


def _is_transient(error: Exception) -> bool:
    return isinstance(error, OperationalError | InterfaceError)


class EmbeddedProjections:
    """The projector in a background thread of the web process (embedded default)."""

    def __init__(self, env: Mapping[str, str], log: Application[UUID] | None = None) -> None:
        self.projector = Projector(env, log=log)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def start(self) -> None:
        if self.running:
            return  # one projecting thread per process, however many times the app starts
        self._thread = threading.Thread(target=self._run, name="read-models", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self.projector.run(self._stop)
        except BaseException as e:  # kept for /readyz; the log line names the event
            self.error = e

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.projector.close()
