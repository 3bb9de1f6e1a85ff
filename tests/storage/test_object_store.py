"""The behaviour both object stores share, proven on each: content addresses, write once,
streaming, missing objects."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import tempfile
from pathlib import Path

import pytest

from storage import ObjectExists, ObjectMissing, ObjectStore, open_store
from storage.local import LocalObjectStore
from storage.s3 import S3ObjectStore
from tests.storage.conftest import store_settings, stored_keys


def test_round_trip_keeps_bytes_and_names_them_by_their_hash(store: ObjectStore) -> None:
    data = os.urandom(300_000)
    stored = store.put_bytes("evidence", data, "image/jpeg")

    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.key == f"evidence/{stored.sha256}"
    assert stored.size == len(data)
    assert store.read(stored.key) == data
    assert store.sha256_of(stored.key) == stored.sha256
    info = store.stat(stored.key)
    assert info is not None
    assert info.size == len(data)


def test_a_file_larger_than_one_part_is_streamed_and_hashed(store: ObjectStore) -> None:
    data = os.urandom(12 * 1024 * 1024 + 123)  # more than two S3 parts
    with tempfile.TemporaryFile() as source:
        source.write(data)
        source.seek(0)
        stored = store.put("evidence", source, "image/png")

    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    assert store.sha256_of(stored.key) == stored.sha256


def test_same_photo_sent_twice_is_stored_once(store: ObjectStore) -> None:
    data = b"the same photo"
    first = store.put_bytes("evidence", data, "image/jpeg")
    second = store.put_bytes("evidence", data, "image/jpeg")

    assert first == second
    assert stored_keys(store) == [first.key]
    if isinstance(store, S3ObjectStore):
        versions = list(store.client.list_objects(store.bucket, include_version=True))
        assert len(versions) == 1


def test_a_taken_key_is_never_overwritten(store: ObjectStore) -> None:
    original = store.put_bytes("notices", b"%PDF original", "application/pdf")

    with pytest.raises(ObjectExists):
        store.write(original.key, io.BytesIO(b"%PDF forged"), "application/pdf")

    assert store.read(original.key) == b"%PDF original"


def test_missing_object_is_reported_not_invented(store: ObjectStore) -> None:
    key = "evidence/" + "0" * 64
    assert store.stat(key) is None
    assert store.sha256_of(key) is None
    with pytest.raises(ObjectMissing):
        store.open(key)


def test_local_files_are_read_only(tmp_path: Path) -> None:
    store = local_store(tmp_path)
    stored = store.put_bytes("evidence", b"photo", "image/jpeg")
    mode = (store.root / stored.key).stat().st_mode
    assert not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def test_local_store_refuses_keys_outside_its_folder(tmp_path: Path) -> None:
    store = local_store(tmp_path)
    with pytest.raises(ObjectMissing):
        store.open("../../etc/passwd")
    with pytest.raises(ObjectMissing):
        store.open(".spool/anything")


def local_store(tmp_path: Path) -> LocalObjectStore:
    store = open_store(store_settings(tmp_path).objects)
    assert isinstance(store, LocalObjectStore)
    return store
