"""A day's parking tickets issued as avis de contravention in the background, one case after
the other, while the legal officer watches a progress bar.

Each notice is issued by the ordinary command, so a batch stopped half-way (worker restarted,
store down) leaves whole notices only and is simply started again: cases that already have
their avis are skipped. Progress is read from the read models, so any worker can answer the
poll; this process remembers only the batches it runs, for their failures.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from police.errors import N_, DomainError, InvalidTransition
from storage import StorageError

logger = logging.getLogger(__name__)
_STORE_DOWN = N_("Le stockage ne répond pas : émission interrompue, relancez-la plus tard.")
_FAILED = N_("Erreur inattendue, signalée à l'équipe technique.")


@dataclass
class TicketBatch:
    day: date
    total: int
    done: int = 0
    failures: list[tuple[str, DomainError]] = field(default_factory=list)  # (case reference, why)
    running: bool = True


class TicketBatches:
    """The batches this process runs, one at a time per day and brigade scope."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._batches: dict[tuple[date, tuple[str, ...]], TicketBatch] = {}

    def get(self, day: date, scope: tuple[str, ...]) -> TicketBatch | None:
        with self._lock:
            return self._batches.get((day, scope))

    def start(
        self,
        day: date,
        scope: tuple[str, ...],
        cases: list[tuple[UUID, str]],
        issue: Callable[[UUID], object],
    ) -> TicketBatch:
        """Issues the avis of each (case id, reference) in a thread; a batch already running
        for the same day and scope is returned instead of starting a second one."""
        with self._lock:
            running = self._batches.get((day, scope))
            if running is not None and running.running:
                return running
            batch = self._batches[(day, scope)] = TicketBatch(day=day, total=len(cases))
        threading.Thread(
            target=self._run, args=(batch, cases, issue), name=f"tickets-{day}", daemon=True
        ).start()
        return batch

    @staticmethod
    def _run(
        batch: TicketBatch, cases: list[tuple[UUID, str]], issue: Callable[[UUID], object]
    ) -> None:
        try:
            for case_id, reference in cases:
                try:
                    issue(case_id)
                except InvalidTransition:
                    pass  # issued meanwhile, by hand or by a batch in another worker
                except DomainError as refused:
                    batch.failures.append((reference, refused))
                except StorageError:
                    logger.exception("ticket batch %s stopped: object store", batch.day)
                    batch.failures.append((reference, DomainError(_STORE_DOWN)))
                    return
                except Exception:
                    logger.exception("ticket batch %s: case %s failed", batch.day, case_id)
                    batch.failures.append((reference, DomainError(_FAILED)))
                batch.done += 1
        finally:
            batch.running = False
