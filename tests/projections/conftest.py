"""The read models beside the application's events on each event store, a scripted history,
and helpers to read the tables."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from police.app import PoliceApp
from police.commands import AssignCase, RecordPayment, ValidateCase
from projections.runner import Projector
from projections.schema import PROJECTIONS, table_names
from projections.store import PostgresReadStore, SQLiteReadStore
from storage.evidence import store_photo
from storage.local import LocalObjectStore
from tests.police.builders import Staff, hygiene, parking
from tests.storage import photos
from web.photos import evidence_of


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


def history(app: PoliceApp, staff: Staff, tmp_path: Path) -> dict[str, Any]:
    """A café inspected with a photo, validated and assigned (hygiene, Maârif); a plate ticketed
    and paid, then ticketed again (parking, Sidi Belyout)."""
    store = LocalObjectStore(tmp_path / "objects")
    photo = evidence_of(store_photo(store, io.BytesIO(photos.jpeg_with_exif())))
    cafe = app.record_inspection(hygiene(evidence=(photo,)), staff.hygiene_officer)
    assert cafe.case_id is not None
    app.change_case(
        ValidateCase(case_id=cafe.case_id, note="Constat confirmé"), staff.hygiene_chief
    )
    app.change_case(
        AssignCase(case_id=cafe.case_id, officer_id=staff.hygiene_officer_2), staff.hygiene_chief
    )
    return {"cafe": cafe} | tickets(app, staff)


def tickets(app: PoliceApp, staff: Staff) -> dict[str, Any]:
    ticket = app.record_inspection(parking(plate="48213-B-6"), staff.parking_officer)
    assert ticket.case_id is not None
    due = app.get_case(ticket.case_id).balance
    app.change_case(
        RecordPayment(
            case_id=ticket.case_id, amount=due, receipt_number="Q-1", paid_on=app.today()
        ),
        staff.legal,
    )
    again = app.record_inspection(parking(plate="48213-B-6"), staff.parking_officer)
    return {"ticket": ticket, "again": again}


def behind_its_back(projector: Projector, sql: str) -> None:
    """Changes the tables as no event says (to see whether a rebuild replaces them)."""
    store = projector.store
    assert isinstance(store, SQLiteReadStore | PostgresReadStore)
    with store.datastore.transaction(commit=True) as cursor:
        if isinstance(store, PostgresReadStore):
            store._use_schema(cursor)
        cursor.execute(sql)
