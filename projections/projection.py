"""The dispatcher: hands each event of the log to the read models (``projections.models``)
that have a handler for it, within the caller's transaction, and has each of them write what
it accumulated once per batch (``flush``).

Case events are applied first to an in-memory copy of the ``Case`` aggregate (the domain's own
``mutate``), which the read models then read, so statuses, balances and deadlines follow the
domain's rules without restating them.

An event that no read model knows (whether or not it is being projected now) and that is not
listed as ``IGNORED`` stops the projection (``UnknownEvent``), naming it: nothing is skipped
silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from police.aggregates.access import AccessJournal
from police.aggregates.billboard import BillboardStructure
from police.aggregates.case import Case
from police.aggregates.counter import ReferenceCounter
from police.aggregates.subject import Subject
from police.aggregates.upkeep import Upkeep
from police.aggregates.user import User
from police.catalogue import Catalogue
from police.territory import Territory
from police.workflow import CaseStatus
from projections.models import Applied, Handler, ReadModel, Recent, UnknownEvent
from projections.schema import BY_NAME, MODELS, PROJECTIONS
from projections.store import Writer

__all__ = ["IGNORED", "ReadModelProjection", "UnknownEvent"]

CaseLoader = Callable[[UUID, int], Case]
# Known events that no table needs: listed, so that a new kind stops the projection.
IGNORED: frozenset[type] = frozenset(
    {
        User.PasswordChanged,
        User.LoggedOut,  # sessions are read from the user's own events
        User.SignedOutEverywhere,
        User.LanguageChosen,
        User.RecoveryCodesRenewed,
        Subject.PermitLinked,  # the registry reads the permit's own events
        BillboardStructure.Registered,
        BillboardStructure.PermitChanged,
        User.ApiTokenIssued,  # tokens are read from the user's own events, never from a table
        User.ApiTokenRevoked,
        User.ApiTokenUsed,
        ReferenceCounter.Started,
        ReferenceCounter.Allocated,
        AccessJournal.Opened,
        AccessJournal.Viewed,
        Upkeep.Started,  # the system page reads the upkeep record itself, never a table
        Upkeep.BackupMade,
        Upkeep.ObjectsVerified,
    }
)


class ReadModelProjection:
    def __init__(
        self,
        *,
        territory: Territory,
        catalogue: Catalogue,
        load_case: CaseLoader,
        groups: Iterable[str] = PROJECTIONS,
        cache_size: int = 20_000,
    ) -> None:
        self.load_case = load_case
        self.models = [
            BY_NAME[name](territory, catalogue, cache_size) for name in dict.fromkeys(groups)
        ]
        self.replays_cases = any(model.needs_cases for model in self.models)
        self.cases: Recent[UUID, Case] = Recent(cache_size)
        self.writer: Writer | None = None
        self._routes: dict[type, list[tuple[ReadModel, Handler]]] = {}

    def process_event(self, event: Any, position: int) -> None:
        assert self.writer is not None, "call inside a batch"
        routes = self._routes.get(type(event))
        if routes is None:
            routes = self._routes[type(event)] = self._route(event, position)
        if not routes:
            return
        applied = Applied(position)
        if isinstance(event, Case.Event) and self.replays_cases:
            case, before = self._case(event)
            applied = Applied(position, case, before)
        for model, handler in routes:
            handler(model, self.writer, event, applied)

    def flush(self) -> None:
        """Writes what the batch accumulated; call before the batch commits."""
        assert self.writer is not None
        for model in self.models:
            model.flush(self.writer)

    def forget(self) -> None:
        """After a rolled-back batch, or pages another projector wrote, what is kept in memory
        (cases, accumulated rows, subjects' brigades) may be ahead of or behind the tables."""
        self.cases.clear()
        for model in self.models:
            model.forget()

    def _route(self, event: Any, position: int) -> list[tuple[ReadModel, Handler]]:
        kind = type(event)
        if kind not in IGNORED and not any(model.handler_for(kind) for model in MODELS):
            raise UnknownEvent(event, position)
        found = ((model, model.handler_for(kind)) for model in self.models)
        return [(model, handler) for model, handler in found if handler is not None]

    def _case(self, event: Any) -> tuple[Case, CaseStatus | None]:
        """The case after ``event``, and its status before."""
        if isinstance(event, Case.Opened):
            case, before = event.mutate(None), None
        else:
            case = self.cases.pop(event.originator_id, None) or self.load_case(
                event.originator_id, event.originator_version - 1
            )
            before = CaseStatus(case.status)
            event.mutate(case)
        assert isinstance(case, Case)
        self.cases.keep(case.id, case)
        return case, before
