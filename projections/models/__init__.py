"""The read models, one module per table group: its tables, the schema version they are built
with, and what each event does to them.

A read model writes only its own tables, so any one of them can be dropped and rebuilt alone
with the same rows. Its ``handlers`` map event classes (or their base classes) to what the
event does; the dispatcher (``projections.projection``) hands each event to every read model
that has a handler for it, and stops on an event none of them knows.

Change what a read model keeps (a column, a table, what a row says) and bump its ``version``:
a projector that finds its tables built with another version rebuilds them when it starts.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from police.aggregates.case import Case
from police.catalogue import Catalogue
from police.territory import Territory
from police.workflow import CaseStatus

if TYPE_CHECKING:
    from projections.store import Writer

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class Applied:
    """An event as the dispatcher hands it over: its position in the log and, for a case
    event, the case after it and the status it had before (None: the event opened it)."""

    position: int
    case: Case | None = None
    status_before: CaseStatus | None = None


class UnknownEvent(Exception):
    """An event no read model knows: the projection stops rather than skip it silently."""

    def __init__(self, event: Any, position: int) -> None:
        topic = f"{type(event).__module__}:{type(event).__qualname__}"
        super().__init__(
            f"event n° {position} of kind {topic} (aggregate {event.originator_id}, version "
            f"{event.originator_version}) has no handler: projection stopped, nothing skipped"
        )


Handler = Callable[[Any, "Writer", Any, Applied], None]


class ReadModel:
    name: ClassVar[str]
    version: ClassVar[int]
    # Table or index name -> its CREATE statement, portable SQL (see ``projections.schema``).
    tables: ClassVar[dict[str, str]]
    handlers: ClassVar[Mapping[type, Handler]]
    needs_cases: ClassVar[bool] = False  # its handlers read ``Applied.case``

    def __init__(self, territory: Territory, catalogue: Catalogue, cache_size: int) -> None:
        self.territory = territory
        self.catalogue = catalogue
        self.cache_size = cache_size

    def flush(self, w: Writer) -> None:
        """Writes what the batch accumulated; called once per batch, before it commits."""

    def forget(self) -> None:
        """Drops what it keeps in memory: the tables moved on without it (or rolled back)."""

    @classmethod
    def handler_for(cls, kind: type) -> Handler | None:
        """What an event of ``kind`` does here: the handler of its nearest class listed."""
        return next((cls.handlers[c] for c in kind.__mro__ if c in cls.handlers), None)


class Recent(OrderedDict[K, V], Generic[K, V]):
    """The latest value of each key, the least recently kept forgotten past ``size``."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def keep(self, key: K, value: V) -> None:
        self.pop(key, None)
        self[key] = value
        if len(self) > self.size:
            self.popitem(last=False)


def cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def iso(moment: datetime) -> str:
    return moment.isoformat()


def update_row(w: Writer, table: str, key: str, event: Any, columns: dict[str, Any]) -> None:
    """Sets ``columns`` on the row of ``table`` whose ``key`` column is the event's aggregate,
    with the event's time and version (the names are ours, never a user's)."""
    values = columns | {"updated_at": iso(event.timestamp), "version": event.originator_version}
    assignments = ", ".join(f"{c} = :{c}" for c in values)
    w.execute(
        f"UPDATE {table} SET {assignments} WHERE {key} = :row_key",
        values | {"row_key": str(event.originator_id)},
    )
