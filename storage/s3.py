"""Production: objects in an S3 bucket (MinIO) through the ``minio`` client.

The bucket is created with versioning and object lock where the server supports it; each object
is written with a retention period (governance or compliance mode), so not even a leaked key can
delete a version before its time. Timeouts are short and every network failure becomes
``StoreUnavailable``: the caller answers quickly and records no event.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import BinaryIO

import urllib3
from minio import Minio
from minio.commonconfig import COMPLIANCE, ENABLED, GOVERNANCE
from minio.error import MinioException, S3Error
from minio.retention import Retention
from minio.versioningconfig import VersioningConfig
from urllib3.exceptions import HTTPError

from storage import multipart
from storage.base import (
    CHUNK,
    ObjectExists,
    ObjectInfo,
    ObjectMissing,
    ObjectStore,
    StorageError,
    StoredObject,
    StoreUnavailable,
    content_key,
    digest,
)

log = logging.getLogger(__name__)

PART_SIZE = 5 * 1024 * 1024  # the S3 minimum: an upload holds at most this many bytes in memory
PARALLEL_PARTS = 2  # parts sent at once: memory held is PART_SIZE times this
_MISSING = {"NoSuchKey", "NoSuchVersion", "NoSuchObject"}
_REFUSED = {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"}
_LOCK_MODES = {"governance": GOVERNANCE, "compliance": COMPLIANCE}


class S3ObjectStore(ObjectStore):
    def __init__(
        self,
        *,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        region: str = "",
        secure: bool = False,
        lock_mode: str = "governance",
        retention_days: int = 3650,
        timeout_seconds: float = 5.0,
    ) -> None:
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=timeout_seconds, read=timeout_seconds),
            retries=urllib3.Retry(total=1, backoff_factor=0.1, status_forcelist=(502, 503, 504)),
            maxsize=16,
        )
        self.client = Minio(
            endpoint,
            access_key=access_key,
            secret_key=secret_key,
            secure=secure,
            region=region or None,
            http_client=http,
        )
        self.bucket = bucket
        self.lock_mode = lock_mode
        self.retention_days = retention_days
        self._bucket_ready = False
        self._bucket_lock = threading.Lock()

    def put(self, prefix: str, source: BinaryIO, content_type: str) -> StoredObject:
        sha256, size = digest(source)
        stored = StoredObject(content_key(prefix, sha256), sha256, size, content_type)
        if self.stat(stored.key) is None:
            # Two requests racing with the same bytes both upload: versioning keeps two
            # identical versions under one content address, which is harmless.
            self._upload(stored, source)
        return stored

    def write(self, key: str, source: BinaryIO, content_type: str) -> StoredObject:
        if self.stat(key) is not None:
            raise ObjectExists(key)
        sha256, size = digest(source)
        stored = StoredObject(key, sha256, size, content_type)
        self._upload(stored, source)
        return stored

    def _upload(self, stored: StoredObject, source: BinaryIO) -> None:
        retention = None
        if self.lock_mode in _LOCK_MODES:
            until = datetime.now(UTC) + timedelta(days=self.retention_days)
            retention = Retention(_LOCK_MODES[self.lock_mode], until)
        with _failures(stored.key):
            multipart.upload(
                self.client,
                self.bucket,
                stored.key,
                source,
                stored.size,
                content_type=stored.content_type,
                metadata={"sha256": stored.sha256},
                retention=retention,
            )

    def stat(self, key: str) -> ObjectInfo | None:
        self.ensure_bucket()
        try:
            with _failures(key):
                found = self.client.stat_object(self.bucket, key)
        except ObjectMissing:
            return None
        return ObjectInfo(key, found.size or 0, found.content_type)

    def open(self, key: str) -> Iterator[bytes]:
        self.ensure_bucket()
        with _failures(key):
            response = self.client.get_object(self.bucket, key)
        return _chunks(response, key)

    def list_keys(self, prefix: str = "") -> Iterator[str]:
        self.ensure_bucket()
        with _failures(prefix):
            listed = self.client.list_objects(self.bucket, prefix=prefix, recursive=True)
            return iter(sorted(o.object_name for o in listed if o.object_name))

    def presigned_url(self, key: str, expires: timedelta, content_type: str) -> str | None:
        with _failures(key):
            return self.client.presigned_get_object(
                self.bucket,
                key,
                expires=expires,
                response_headers={"response-content-type": content_type},
            )

    def check(self) -> None:
        self._bucket_ready = False
        self.ensure_bucket()

    def ensure_bucket(self) -> None:
        """Creates the bucket on first use: versioned, with object lock when the server can."""
        if self._bucket_ready:
            return
        with self._bucket_lock, _failures(self.bucket):
            if not self.client.bucket_exists(self.bucket):
                locked = self.lock_mode in _LOCK_MODES
                try:
                    self.client.make_bucket(self.bucket, object_lock=locked)
                except S3Error as e:
                    if not locked or e.code in _REFUSED:
                        raise
                    log.warning("object lock unsupported by the server (%s): versioning only", e)
                    self.client.make_bucket(self.bucket)
                    self.client.set_bucket_versioning(self.bucket, VersioningConfig(ENABLED))
            self._bucket_ready = True


@contextmanager
def _failures(key: str) -> Iterator[None]:
    """Turns the client's many failure types into the store's two: missing, or unavailable."""
    try:
        yield
    except StorageError:
        raise
    except S3Error as e:
        if e.code in _MISSING:
            raise ObjectMissing(key) from e
        if e.code in _REFUSED:
            raise StoreUnavailable(f"object store refused our credentials ({e.code})") from e
        raise StoreUnavailable(f"object store error {e.code}") from e
    except (HTTPError, MinioException, OSError) as e:
        raise StoreUnavailable(f"object store unreachable: {type(e).__name__}") from e


def _chunks(response: urllib3.BaseHTTPResponse, key: str) -> Iterator[bytes]:
    try:
        with _failures(key):
            yield from response.stream(CHUNK)
    finally:
        response.close()
        response.release_conn()
