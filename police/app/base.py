"""What every command shares: the event store, the catalogue and territory, the object store
and photo intake it is handed, numbering, loading the actor, and the optimistic-concurrency
retry."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
    project_aggregate,
)
from eventsourcing.persistence import (
    ApplicationRecorder,
    EventStore,
    IntegrityError,
    InternalError,
    JSONTranscoder,
    ProgrammingError,
    Recording,
)

from police import clock, transcodings
from police.aggregates.case import Case
from police.aggregates.counter import ReferenceCounter
from police.aggregates.inspection import Inspection
from police.aggregates.roster import Roster
from police.aggregates.subject import Subject
from police.aggregates.upkeep import Upkeep
from police.aggregates.user import User
from police.app.locks import KeyedLocks
from police.app.numbering import Numbering
from police.catalogue import Catalogue
from police.errors import N_, Conflict, NotAllowed, NotFound
from police.identifiers import SubjectIdentity
from police.objects import ObjectWriter, PhotoIntake
from police.planning import VisitKind
from police.plausibility import Flag, Track, flags_of
from police.roles import SYSTEM, Actor
from police.submission import InspectionSubmission
from police.territory import Territory

A = TypeVar("A")
T = TypeVar("T")


def created_once(make: Callable[[], T]) -> T:
    """Makes a recorder, creating its tables if need be. Processes starting together (web
    workers, projectors) race on PostgreSQL's catalogue ("tuple concurrently updated"); the
    tables exist once the winner commits, so the losers simply try again."""
    for attempt in range(5):
        try:
            return make()
        except (InternalError, IntegrityError, ProgrammingError):
            if attempt == 4:
                raise
            time.sleep(random.uniform(0.05, 0.2) * (attempt + 1))  # noqa: S311
    raise AssertionError("unreachable")


class BaseApp(Application[UUID]):
    # Aggregates that grow long get snapshots, so loading them stays fast. Not the others: with
    # snapshots on, loading an aggregate first queries the snapshot table (one more SELECT).
    snapshotting_intervals = {  # noqa: RUF012
        Case: 50,
        ReferenceCounter: 200,
        Roster: 100,
        Upkeep: 100,
    }
    env = {"AGGREGATE_CACHE_MAXSIZE": "20000"}  # noqa: RUF012
    max_attempts = 40

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        catalogue: Catalogue | None = None,
        territory: Territory | None = None,
        objects: ObjectWriter | None = None,
        photos: PhotoIntake | None = None,
        public_url: str = "http://127.0.0.1:8000",
    ) -> None:
        """``objects`` and ``photos`` are the ports to the object store (``police.objects``);
        the commands that store a notice or a photo refuse to run without them. ``public_url``:
        the origin of the verification page the QR code of a notice issued on its own (a
        ticket's, in the street) points at."""
        super().__init__(env)
        self.catalogue = catalogue or Catalogue.load()
        self.territory = territory or Territory.load(self.env.get("POLICE_TERRITORY") or "")
        self._objects = objects
        self._photos = photos
        self.public_url = public_url
        self._subject_locks = KeyedLocks()
        self._case_locks = KeyedLocks()
        # The officers' inspections in time order, for the speed between two of them: a read
        # model the composition root plugs in (``police.plausibility.Track``); None: not judged.
        self.track: Track | None = None
        self.numbering = Numbering(lambda counter_id: self._find(ReferenceCounter, counter_id))

    def construct_recorder(self) -> ApplicationRecorder:
        return created_once(super().construct_recorder)

    def construct_snapshot_store(self) -> EventStore[UUID]:
        return created_once(super().construct_snapshot_store)  # its own table: the same race

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcodings.register(transcoder)

    @property
    def objects(self) -> ObjectWriter:
        if self._objects is None:
            raise RuntimeError("this application was made without an object store")
        return self._objects

    @property
    def photos(self) -> PhotoIntake:
        if self._photos is None:
            raise RuntimeError("this application was made without a photo intake")
        return self._photos

    # --- helpers ---------------------------------------------------------------------------

    def doubts(self, inspection: Inspection) -> list[Flag]:
        """What a court could doubt in the record, by the rules of the day it was observed."""
        day = self.territory.local_date(inspection.observed_at)
        rules = self.catalogue.in_force_on(day).rules(inspection.brigade)
        neighbours = (
            self.track.neighbours(inspection.officer_id, inspection.id) if self.track else ()
        )
        return flags_of(inspection, rules, self.territory, neighbours)

    def today(self) -> date:
        return self.territory.local_date(clock.now())

    def actor(self, actor_id: UUID) -> Actor:
        """The acting user with the roles they hold now; refuses unknown or disabled accounts."""
        if actor_id == SYSTEM.id:
            return SYSTEM
        try:  # read-only: the cached user, fast-forwarded, and not copied. When another
            # thread is fast-forwarding that user, use the cache rather than queue behind it:
            # the same user's requests at once would otherwise pass one at a time.
            user: object = self.repository.get(
                actor_id, deepcopy_from_cache=False, fastforward_skipping=True
            )
        except AggregateNotFoundError:
            user = None
        if not isinstance(user, User) or not user.active:
            raise NotAllowed(N_("Compte inconnu ou désactivé."))
        return user.as_actor()

    def _subject(self, identity: SubjectIdentity, actor_id: UUID) -> Subject:
        """The subject with that identity, or a new one to save with the command's aggregates."""
        return self._find(Subject, identity.id) or Subject(
            key=identity.key,
            kind=identity.kind,
            label=identity.label,
            identifiers=identity.identifiers,
            details=identity.details,
            actor_id=actor_id,
        )

    def _find(self, kind: type[A], aggregate_id: UUID, version: int | None = None) -> A | None:
        """The aggregate, or None if there is none of that kind with that id.

        Kinds that take snapshots go through the repository (and its cache); the others are
        replayed from their events alone, which skips the repository's snapshot-table query.
        """
        if kind in self.snapshotting_intervals:
            try:
                found: object = self.repository.get(aggregate_id, version=version)
            except AggregateNotFoundError:
                return None
        else:
            found = project_aggregate(None, self.events.get(aggregate_id, lte=version))
        return found if isinstance(found, kind) else None

    def save(self, *aggregates: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """``Application.save`` for our own aggregates only.

        The library's generic version checks each object against two runtime Protocols, about
        20 µs apiece on Python 3.11: a sixth of the record-inspection command (bench/append.py).
        """
        processing_event: ProcessingEvent[UUID] = ProcessingEvent()
        for aggregate in aggregates:
            if aggregate is not None:
                processing_event.events.extend(aggregate.collect_events())
                processing_event.aggregates[aggregate.id] = aggregate
        processing_event.saved_kwargs.update(kwargs)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        return recordings

    # --- planned work: what the parts that create or make a visit ask of ``police.app.planning``

    def _plan_visit(
        self,
        actor_id: UUID,
        brigade: str,
        *,
        visit: str,
        kind: VisitKind,
        label: str,
        place: dict[str, Any],
        note: str = "",
        due_on: date | None = None,
        officer_id: UUID | None = None,
        among: Sequence[UUID] = (),
    ) -> tuple[Any, UUID | None]:
        """The brigade's roster with the visit given (to save with the visit's own record),
        and the officer it went to."""
        raise NotImplementedError

    def _visit_over(
        self, brigade: str, visit: str, actor_id: UUID, *, done: bool, why: str = ""
    ) -> list[Any]:
        """The roster with the visit ticked off (``done``) or withdrawn, if it was open."""
        raise NotImplementedError

    def _visits_made(
        self, submission: InspectionSubmission, actor: Actor | None, compliant: bool
    ) -> list[Any]:
        """What this inspection's planned visit ticks (roster, campaign), to save with it;
        without ``actor``, only checks that the visit it names may be made."""
        raise NotImplementedError

    def _get(self, kind: type[A], aggregate_id: UUID, not_found: str, **params: Any) -> A:
        found = self._find(kind, aggregate_id)
        if found is None:
            raise NotFound(not_found, **params)
        return found

    def _retrying(self, attempt: Callable[[], T]) -> T:
        """Runs ``attempt`` until its save does not collide with a concurrent one.

        Each attempt re-reads and re-checks everything (a version the user read included), so a
        retry never applies a command to a state it was not checked against.
        """
        for n in range(self.max_attempts):
            try:
                return attempt()
            except IntegrityError:
                time.sleep(random.uniform(0, min(0.05, 0.001 * 2**n)))  # noqa: S311
        raise Conflict(N_("Trop de modifications simultanées : réessayez dans un instant."))
