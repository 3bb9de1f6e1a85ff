"""An application on each event store, with the staff of a city already registered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from police.app import PoliceApp
from tests.police.builders import Staff, staff_of


@pytest.fixture
def app(store_env: dict[str, str]) -> Iterator[PoliceApp]:
    application = PoliceApp(env=store_env)
    yield application
    application.close()


@pytest.fixture
def staff(app: PoliceApp) -> Staff:
    return staff_of(app)
