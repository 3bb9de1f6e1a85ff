"""The object store under test: every test here runs on the local folder and on the real S3
server (SeaweedFS), configured through the same settings names as production."""

from __future__ import annotations

from pathlib import Path

import pytest

from police.settings import Settings
from storage import ObjectStore, open_store
from tests.conftest import s3_env


def store_settings(tmp_path: Path, extra: dict[str, str] | None = None) -> Settings:
    return Settings.from_env({"POLICE_DATA_DIR": str(tmp_path), **(extra or {})})


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    extra = s3_env(request.getfixturevalue("seaweed")) if request.param == "s3" else {}
    return open_store(store_settings(tmp_path, extra).objects)


def stored_keys(store: ObjectStore) -> list[str]:
    """Every object visible in the store, whatever the backend."""
    return list(store.list_keys())
