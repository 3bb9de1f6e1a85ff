"""The read models beside the application's events on each event store, and helpers to read
them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from police.app import PoliceApp
from projections.runner import Projector
from projections.schema import PROJECTIONS, table_names


@pytest.fixture
def projector(store_env: dict[str, str], app: PoliceApp) -> Iterator[Projector]:
    running = Projector(store_env)
    yield running
    running.close()


def rows(projector: Projector, sql: str, **params: Any) -> list[dict[str, Any]]:
    with projector.store.reader() as reader:
        return reader.query(sql, params)


def tables(projector: Projector) -> dict[str, list[tuple[Any, ...]]]:
    """Every read-model table, row for row, in a stable order."""
    found = {}
    for name in PROJECTIONS:
        for table in table_names(name):
            found[table] = sorted(
                tuple("" if v is None else str(v) for v in row.values())
                for row in rows(projector, f"SELECT * FROM {table}")
            )
    return found
