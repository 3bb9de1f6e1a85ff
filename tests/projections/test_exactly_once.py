"""A batch of events reaches the tables exactly once, on SQLite and PostgreSQL: its rows and its
tracked position commit together or not at all, so a failure before the commit changes nothing,
and a page that two projectors write at once counts once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from police.app import PoliceApp
from police.commands import ValidateCase
from projections.runner import Projector
from projections.schema import PROJECTIONS
from tests.police.builders import Staff, hygiene, opened_case
from tests.projections.conftest import history, rows, tables, tickets


def figures(projector: Projector) -> dict[str, Any]:
    """What a page applied twice would double: counters, photo counts, a subject's cases."""
    return {
        "status": {
            (r["brigade"], r["arrondissement"], r["status"]): r["cases"]
            for r in rows(projector, "SELECT * FROM rm_status_counts")
        },
        "daily": {
            r["brigade"]: (int(r["inspections"]), int(r["opened"]), int(r["resolved"]))
            for r in rows(
                projector,
                "SELECT brigade, SUM(inspections) AS inspections, SUM(opened) AS opened, "
                "SUM(resolved) AS resolved FROM rm_daily GROUP BY brigade",
            )
        },
        "photos": {
            r["brigade"]: int(r["photos"])
            for r in rows(
                projector, "SELECT brigade, SUM(photos) AS photos FROM rm_cases GROUP BY brigade"
            )
        },
        "plate cases": rows(
            projector, "SELECT cases FROM rm_subjects WHERE label = :plate", plate="48213-B-6"
        )[0]["cases"],
    }


THE_HISTORY = {
    "status": {
        ("hygiene", "maarif", "validated"): 1,
        ("parking", "sidi_belyout", "closed"): 1,
        ("parking", "sidi_belyout", "notified"): 1,
    },
    "daily": {"hygiene": (1, 1, 0), "parking": (2, 2, 1)},  # inspections, opened, resolved
    "photos": {"hygiene": 1, "parking": 0},
    "plate cases": 2,
}


def test_a_batch_failing_after_its_rows_and_before_its_commit_changes_nothing(
    app: PoliceApp,
    staff: Staff,
    projector: Projector,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    cafe = opened_case(app, hygiene(), staff.hygiene_officer)
    app.change_case(ValidateCase(case_id=cafe), staff.hygiene_chief)
    projector.catch_up()
    before, position = tables(projector), projector.position()
    tickets(app, staff)

    def full_disk(*_: object) -> None:
        raise RuntimeError("the disk is full")

    # The page's rows are written; recording its position fails, before the commit.
    monkeypatch.setattr(projector.store, "_insert_tracking", full_disk)
    with pytest.raises(RuntimeError, match="the disk is full"):
        projector.step()
    assert projector.position() == position
    assert tables(projector) == before

    monkeypatch.undo()
    projector.catch_up()
    assert projector.position() == projector.head() > position
    assert figures(projector)["status"] == {
        ("hygiene", "maarif", "validated"): 1,
        ("parking", "sidi_belyout", "closed"): 1,
        ("parking", "sidi_belyout", "notified"): 1,
    }
    assert figures(projector)["plate cases"] == 2
    live = tables(projector)
    projector.rebuild(PROJECTIONS)
    assert tables(projector) == live


def test_two_projectors_writing_the_same_page_at_once_count_it_once(
    app: PoliceApp,
    staff: Staff,
    projector: Projector,
    store_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    history(app, staff, tmp_path)
    other = Projector(store_env)
    try:
        projector.migrate()
        other.migrate()
        read_page = projector.log.recorder.select_notifications
        turns: list[tuple[int, int]] = []  # (events read, events the other wrote)

        def read_then_let_the_other_write_it(*args: Any, **kwargs: Any) -> Any:
            page = read_page(*args, **kwargs)
            if page and not turns:
                # The other projector reads the same page, writes it and commits, while this
                # one holds it read and not yet written.
                turns.append((len(page), other.step()))
            return page

        monkeypatch.setattr(
            projector.log.recorder, "select_notifications", read_then_let_the_other_write_it
        )
        assert projector.step() == 0  # the page was recorded by the other: nothing written
        [(read, written_by_the_other)] = turns
        assert written_by_the_other == read > 0
    finally:
        other.close()
    assert projector.position() == projector.head()
    assert figures(projector) == THE_HISTORY
    live = tables(projector)
    projector.rebuild(PROJECTIONS)
    assert tables(projector) == live
