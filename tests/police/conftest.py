"""Domain tests run on the library's in-memory event store, in milliseconds. The few that prove
what a real store adds (concurrent saves colliding, encryption at rest, values and snapshots read
back by a fresh application) are marked ``stores`` and run on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import event_store_env


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store_env" in metafunc.fixturenames and metafunc.definition.get_closest_marker("stores"):
        metafunc.parametrize(
            "store_env",
            [pytest.param("sqlite"), pytest.param("postgres", marks=pytest.mark.postgres)],
            indirect=True,
        )


@pytest.fixture
def store_env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    return event_store_env(getattr(request, "param", "memory"), request, tmp_path)
