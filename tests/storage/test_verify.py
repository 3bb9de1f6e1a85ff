"""``police verify``: every object an event points at is re-read and re-hashed; an object
altered or removed behind the application's back is named, and the command fails."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest

from police.cli import main
from police.settings import Settings
from storage import ObjectStore, open_store
from storage.evidence import store_photo
from storage.local import LocalObjectStore
from storage.s3 import S3ObjectStore
from tests.conftest import s3_env
from tests.police.builders import hygiene, opened_case, parking, staff_of
from tests.storage import photos
from web.app import open_police
from web.photos import evidence_of


@pytest.fixture(params=["local", "s3"])
def environment(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    env = {"POLICE_DATA_DIR": str(tmp_path)}
    if request.param == "s3":
        env |= s3_env(request.getfixturevalue("seaweed"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings.from_env(env)


def record_with_photos(settings: Settings, store: ObjectStore, *images: bytes) -> list[Any]:
    app = open_police(settings, store)
    try:
        officer = staff_of(app).hygiene_officer
        evidence = tuple(evidence_of(store_photo(store, io.BytesIO(data))) for data in images)
        app.record_inspection(hygiene(evidence=evidence), officer)  # no notice: photos only
        return list(evidence)
    finally:
        app.close()


def alter(store: ObjectStore, key: str, data: bytes) -> None:
    """What an intruder with disk or bucket access could do."""
    if isinstance(store, LocalObjectStore):
        path = store.root / key
        os.chmod(path, 0o644)
        path.write_bytes(data)
    else:
        assert isinstance(store, S3ObjectStore)
        store.client.put_object(store.bucket, key, io.BytesIO(data), len(data))


def remove(store: ObjectStore, key: str) -> None:
    if isinstance(store, LocalObjectStore):
        (store.root / key).unlink()
    else:
        assert isinstance(store, S3ObjectStore)
        store.client.remove_object(store.bucket, key)  # a delete marker hides the object


def test_verify_passes_when_every_object_is_intact(
    environment: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(environment.objects)
    record_with_photos(environment, store, photos.jpeg_with_exif(), photos.png())

    assert main(["verify"]) == 0
    assert "2 objets vérifiés : 2 intacts, 0 manquants, 0 altérés." in capsys.readouterr().out


def test_verify_names_an_altered_and_a_missing_object_and_fails(
    environment: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(environment.objects)
    first, second, third = record_with_photos(
        environment,
        store,
        photos.jpeg_with_exif(colour="#111111"),
        photos.jpeg_with_exif(colour="#222222"),
        photos.png(),
    )
    alter(store, first.key, b"a different picture")
    remove(store, second.key)

    assert main(["verify"]) == 1
    out = capsys.readouterr().out
    assert f"ALTÉRÉ    evidence {first.key}" in out
    assert f"MANQUANT  evidence {second.key}" in out
    assert third.key not in out
    assert "3 objets vérifiés : 1 intacts, 1 manquants, 1 altérés." in out


def test_verify_rehashes_issued_notices_too(
    environment: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(environment.objects)
    app = open_police(environment, store)
    try:
        staff = staff_of(app)
        case_id = opened_case(app, parking(), staff.parking_officer)
        [issued] = app.get_case(case_id).notices  # the ticket's avis, issued with it
    finally:
        app.close()
    assert main(["verify"]) == 0
    alter(store, issued["key"], b"%PDF-1.7 a forged notice")

    assert main(["verify"]) == 1
    assert f"ALTÉRÉ    notice   {issued['key']}" in capsys.readouterr().out
