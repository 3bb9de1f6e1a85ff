"""Reading the application's event log from the start, a page at a time, in log order."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Notification

PAGE = 500


def notifications(
    app: Application[UUID], topics: Sequence[str] = (), page: int = PAGE
) -> Iterator[Notification]:
    """Every stored event (of ``topics``, when given), never more than a page in memory."""
    position = 0
    while found := app.recorder.select_notifications(
        position, page, topics=topics, inclusive_of_start=False
    ):
        yield from found
        position = found[-1].id
