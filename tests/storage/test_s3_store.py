"""What only the S3 store does, against the real S3 server: object lock, presigned URLs,
credentials, and a server that goes away."""

from __future__ import annotations

import io
import os
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from minio.error import S3Error

from storage import StoreUnavailable, multipart, open_store
from storage.s3 import S3ObjectStore
from tests.conftest import s3_env
from tests.seaweed import SeaweedS3
from tests.storage.conftest import store_settings, stored_keys


def s3_store(tmp_path: Path, server: SeaweedS3, **extra: str) -> S3ObjectStore:
    store = open_store(store_settings(tmp_path, s3_env(server) | extra).objects)
    assert isinstance(store, S3ObjectStore)
    return store


def test_bucket_is_created_versioned_and_objects_locked(tmp_path: Path, seaweed: SeaweedS3) -> None:
    store = s3_store(tmp_path, seaweed)
    stored = store.put_bytes("evidence", b"locked photo", "image/jpeg")

    assert store.client.get_bucket_versioning(store.bucket).status == "Enabled"
    version = store.client.stat_object(store.bucket, stored.key).version_id
    retention = store.client.get_object_retention(store.bucket, stored.key, version_id=version)
    assert retention is not None
    assert retention.mode == "GOVERNANCE"
    with pytest.raises(S3Error) as refused:
        store.client.remove_object(store.bucket, stored.key, version_id=version)
    assert refused.value.code == "AccessDenied"
    assert store.read(stored.key) == b"locked photo"


def test_presigned_url_works_then_expires(tmp_path: Path, seaweed: SeaweedS3) -> None:
    store = s3_store(tmp_path, seaweed)
    stored = store.put_bytes("evidence", b"signed photo", "image/jpeg")

    url = store.presigned_url(stored.key, timedelta(seconds=2), "image/jpeg")
    assert url is not None
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.read() == b"signed photo"
        assert response.headers["Content-Type"] == "image/jpeg"
    time.sleep(3)
    with pytest.raises(urllib.error.HTTPError) as expired:
        urllib.request.urlopen(url, timeout=5)
    expired.value.close()
    assert expired.value.code == 403


def test_wrong_secret_key_is_refused(tmp_path: Path, seaweed: SeaweedS3) -> None:
    store = s3_store(tmp_path, seaweed, S3_SECRET_KEY="not-the-secret")

    with pytest.raises(StoreUnavailable, match="credentials"):
        store.put_bytes("evidence", b"photo", "image/jpeg")
    with pytest.raises(StoreUnavailable, match="credentials"):
        store.check()


def test_stopped_server_gives_a_quick_clear_error_and_leaves_nothing(tmp_path: Path) -> None:
    server = SeaweedS3(tmp_path / "weed").start()
    try:
        store = s3_store(tmp_path, server, S3_TIMEOUT_SECONDS="1")
        kept = store.put_bytes("evidence", b"before the outage", "image/jpeg")
        server.stop()

        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="unreachable"):
            store.put_bytes("evidence", b"during the outage", "image/jpeg")
        assert time.monotonic() - started < 5
        with pytest.raises(StoreUnavailable):
            store.check()

        server.start()
        assert stored_keys(store) == [kept.key]
    finally:
        server.stop()


def test_an_interrupted_multipart_upload_is_aborted_and_never_visible(
    tmp_path: Path, seaweed: SeaweedS3
) -> None:
    store = s3_store(tmp_path, seaweed)
    store.ensure_bucket()
    short = io.BytesIO(os.urandom(11 * 1024 * 1024))  # the sender announced 12 MiB

    with pytest.raises(OSError, match="announced"):
        multipart.upload(
            store.client,
            store.bucket,
            "evidence/interrupted",
            short,
            12 * 1024 * 1024,
            content_type="image/jpeg",
            metadata={},
            retention=None,
        )

    assert stored_keys(store) == []
    assert store.client._list_multipart_uploads(store.bucket).uploads == []
