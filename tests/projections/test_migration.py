"""Read models migrate themselves, on SQLite and PostgreSQL: a projector that starts on tables
built with another schema version than the code declares, or with none recorded (a read model
added since), rebuilds them from the log in one transaction, while pages keep reading the tables
as they were until it commits; tables at the declared version are left alone."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from police.app import PoliceApp
from projections.models.cases import Cases
from projections.projection import ReadModelProjection
from projections.queries import CaseRow, ReadModels
from projections.runner import Projector
from projections.schema import declared_versions
from tests.police import builders
from tests.police.builders import Staff
from tests.projections.conftest import behind_its_back, history, rows, tables


def subject_labels(projector: Projector) -> list[str]:
    return sorted(r["subject_label"] for r in rows(projector, "SELECT subject_label FROM rm_cases"))


def full_names(projector: Projector) -> set[str]:
    return {r["full_name"] for r in rows(projector, "SELECT full_name FROM rm_users")}


def test_a_read_model_whose_declared_version_changed_is_rebuilt_when_a_projector_starts(
    app: PoliceApp,
    staff: Staff,
    projector: Projector,
    store_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    history(app, staff, tmp_path)
    projector.catch_up()
    clean = tables(projector)
    behind_its_back(projector, "UPDATE rm_cases SET subject_label = 'stale'")
    behind_its_back(projector, "UPDATE rm_users SET full_name = 'kept'")

    monkeypatch.setattr(Cases, "version", Cases.version + 1)
    started = Projector(store_env)
    try:
        assert started.step() == 0  # migrated first; nothing new in the log
    finally:
        started.close()

    assert subject_labels(projector) == ["48213-B-6", "48213-B-6", "Café Atlas"]
    for table in ("rm_cases", "rm_case_inspections", "rm_notices"):
        assert tables(projector)[table] == clean[table], table
    assert full_names(projector) == {"kept"}  # another read model: not rebuilt
    assert projector.store.versions()["cases"] == Cases.version


def test_a_read_model_added_to_an_existing_database_is_filled_from_the_log(
    app: PoliceApp,
    staff: Staff,
    projector: Projector,
    store_env: dict[str, str],
    tmp_path: Path,
) -> None:
    history(app, staff, tmp_path)
    projector.catch_up()
    clean = tables(projector)
    # A database from before there were subjects: no table, no version recorded.
    behind_its_back(projector, "DROP TABLE rm_subjects")
    behind_its_back(projector, "DELETE FROM rm_versions WHERE read_model = 'subjects'")

    started = Projector(store_env)
    try:
        assert rows(started, "SELECT COUNT(*) AS n FROM rm_subjects") == [{"n": 0}]
        assert started.migrate() == ("subjects",)
    finally:
        started.close()
    [plate] = rows(projector, "SELECT cases FROM rm_subjects WHERE label = '48213-B-6'")
    assert plate == {"cases": 2}
    assert tables(projector)["rm_subjects"] == clean["rm_subjects"]
    assert projector.store.versions() == declared_versions()


def test_tables_at_their_declared_version_are_not_rebuilt(
    app: PoliceApp,
    staff: Staff,
    projector: Projector,
    store_env: dict[str, str],
    tmp_path: Path,
) -> None:
    history(app, staff, tmp_path)
    projector.catch_up()
    behind_its_back(projector, "UPDATE rm_cases SET subject_label = 'kept'")

    started = Projector(store_env)
    try:
        assert started.migrate() == ()
        assert started.step() == 0
    finally:
        started.close()
    assert subject_labels(projector) == ["kept", "kept", "kept"]


def test_pages_read_the_tables_as_they_were_until_the_rebuild_commits(
    app: PoliceApp,
    staff: Staff,
    projector: Projector,
    store_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clamped = app.record_inspection(builders.parking(measures=("clamp",)), staff.parking_officer)
    for n in range(4):
        app.record_inspection(builders.parking(plate=f"{700 + n}-A-6"), staff.parking_officer)
    projector.catch_up()
    # The cases table as its version 1 was: no vehicle_held column.
    behind_its_back(projector, "ALTER TABLE rm_cases DROP COLUMN vehicle_held")
    behind_its_back(projector, "UPDATE rm_versions SET version = 1 WHERE read_model = 'cases'")
    pages = ReadModels(projector.store, app.today)
    seen: list[CaseRow | None] = []

    flush = ReadModelProjection.flush

    def flush_then_show_a_case_page(self: ReadModelProjection) -> None:
        flush(self)
        if not seen:  # the rebuild has written a page of its tables and not committed
            page = threading.Thread(target=lambda: seen.append(pages.case(str(clamped.case_id))))
            page.start()
            page.join(timeout=5)
            assert not page.is_alive(), "the page waited for the rebuild"

    monkeypatch.setattr(ReadModelProjection, "flush", flush_then_show_a_case_page)
    upgraded = Projector(store_env, page=2)
    try:
        assert upgraded.migrate() == ("cases",)
    finally:
        upgraded.close()

    [during] = seen
    assert during is not None
    assert (during.status, during.vehicle_held) == ("notified", False)  # the old table
    after = pages.case(str(clamped.case_id))
    assert after is not None
    assert (after.status, after.vehicle_held) == ("notified", True)


def test_a_second_projector_starting_meanwhile_waits_and_rebuilds_nothing_again(
    app: PoliceApp,
    staff: Staff,
    projector: Projector,
    store_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    history(app, staff, tmp_path)
    projector.catch_up()
    monkeypatch.setattr(Cases, "version", Cases.version + 1)
    first, second = Projector(store_env, page=2), Projector(store_env)
    rebuilt_by_the_second: list[tuple[str, ...]] = []
    waiting = threading.Thread(target=lambda: rebuilt_by_the_second.append(second.migrate()))
    started: list[bool] = []

    flush = ReadModelProjection.flush

    def flush_then_let_the_second_start(self: ReadModelProjection) -> None:
        flush(self)
        if not started:  # the first rebuild is under way, not committed
            started.append(True)
            waiting.start()

    monkeypatch.setattr(ReadModelProjection, "flush", flush_then_let_the_second_start)
    try:
        rebuilt_by_the_first = first.migrate()
    finally:
        if started:
            waiting.join(timeout=30)  # before its projector closes under it
        first.close()
        second.close()
    assert rebuilt_by_the_first == ("cases",)
    assert rebuilt_by_the_second == [()]
