"""The ``citations`` read model on SQLite and PostgreSQL: how many inspections cited each entry
of each catalogue version, followed live and rebuilt from the log alike."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from police import clock
from police.app import PoliceApp
from police.submission import Finding
from projections.queries import ReadModels
from projections.runner import Projector
from tests.police import builders
from tests.police.builders import Staff
from tests.projections.conftest import rows, tables

IN_2025 = datetime(2025, 6, 16, 10, 0, tzinfo=UTC)  # catalogue 2025.1 in force


def cite(app: PoliceApp, staff: Staff) -> None:
    """Under 2025.1: two hygiene inspections citing HYG-02, one of them HYG-05 too, and a
    parking ticket for STA-02; under 2026.1: one more inspection citing HYG-02."""
    with clock.frozen_at(IN_2025):
        app.record_inspection(builders.hygiene(observed_at=IN_2025), staff.hygiene_officer)
        app.record_inspection(
            builders.hygiene(observed_at=IN_2025, findings=(Finding("HYG-02"),)),
            staff.hygiene_officer_2,
        )
        app.record_inspection(builders.parking(observed_at=IN_2025), staff.parking_officer)
    app.record_inspection(
        builders.hygiene(findings=(Finding("HYG-02"), Finding("HYG-05", Decimal("1")))),
        staff.hygiene_officer,
    )


def test_each_entry_counts_the_inspections_citing_it_under_its_version(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    cite(app, staff)
    projector.catch_up()
    models = ReadModels(projector.store, app.today)
    assert models.citation_counts("2025.1") == {"HYG-02": 2, "HYG-05": 1, "STA-02": 1}
    assert models.citation_counts("2026.1") == {"HYG-02": 1, "HYG-05": 1}
    assert models.citation_counts("1999.1") == {}


def test_a_rebuilt_citations_table_has_the_same_rows_as_the_live_one(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    cite(app, staff)
    projector.catch_up()
    live = tables(projector)
    assert len(rows(projector, "SELECT * FROM rm_citations")) == 6
    projector.rebuild(["citations"])
    assert tables(projector) == live
