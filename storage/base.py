"""The object store contract shared by the local folder and the S3 bucket, and its errors.

Concrete stores implement five primitives (``_exists``, ``_write``, ``stat``, ``open``,
``check``); content addressing, de-duplication and re-hashing are written once, here.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from storage.spool import Spool


class StorageError(Exception):
    """Base of every object store failure."""


class StoreUnavailable(StorageError):
    """The store cannot be reached in time, or refuses our credentials: try again later."""


class ObjectExists(StorageError):
    """The key is taken: objects are written once."""


class ObjectMissing(StorageError):
    """No object under this key."""


@dataclass(frozen=True)
class StoredObject:
    key: str
    sha256: str
    size: int
    content_type: str


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    content_type: str | None


def content_key(prefix: str, sha256: str) -> str:
    return f"{prefix}/{sha256}"


class ObjectStore(ABC):
    """Where evidence and notices live. Never overwrites, never deletes."""

    spool_dir: Path
    max_upload_bytes: int | None = None

    def spool(self, max_bytes: int | None = None) -> Spool:
        """A temporary file to stream an upload into, hashing on the way."""
        return Spool(self.spool_dir, max_bytes or self.max_upload_bytes)

    def put(self, prefix: str, spool: Spool, content_type: str) -> StoredObject:
        """Stores the spooled bytes under their content address; the same bytes twice are kept
        once. The spool is consumed."""
        spool.close()
        key = content_key(prefix, spool.sha256)
        stored = StoredObject(key, spool.sha256, spool.size, content_type)
        try:
            if not self._exists(key):
                self._write(key, spool, content_type)
        except ObjectExists:
            pass  # the same bytes arrived by another request meanwhile
        finally:
            spool.discard()
        return stored

    def put_bytes(self, prefix: str, data: bytes, content_type: str) -> StoredObject:
        spool = self.spool()
        spool.write(data)
        return self.put(prefix, spool, content_type)

    def write(self, key: str, spool: Spool, content_type: str) -> StoredObject:
        """Stores the spooled bytes under a given key, refusing a key already taken."""
        spool.close()
        try:
            if self._exists(key):
                raise ObjectExists(key)
            self._write(key, spool, content_type)
        finally:
            spool.discard()
        return StoredObject(key, spool.sha256, spool.size, content_type)

    def sha256_of(self, key: str) -> str | None:
        """Re-reads the whole object and returns its SHA-256, or None when it is missing."""
        digest = hashlib.sha256()
        try:
            for chunk in self.open(key):
                digest.update(chunk)
        except ObjectMissing:
            return None
        return digest.hexdigest()

    def read(self, key: str) -> bytes:
        """The whole object: only for small ones (thumbnails, notices)."""
        return b"".join(self.open(key))

    def presigned_url(self, key: str, expires: timedelta, content_type: str) -> str | None:
        """A short-lived direct URL when the store can sign one; None: stream through the app."""
        return None

    @abstractmethod
    def _exists(self, key: str) -> bool: ...

    @abstractmethod
    def _write(self, key: str, spool: Spool, content_type: str) -> None:
        """Makes the spooled bytes visible under ``key`` at once, or not at all."""

    @abstractmethod
    def stat(self, key: str) -> ObjectInfo | None: ...

    @abstractmethod
    def open(self, key: str) -> Iterator[bytes]:
        """The object's bytes in chunks; raises ObjectMissing (before the first chunk)."""

    @abstractmethod
    def check(self) -> None:
        """Raises StoreUnavailable unless the store answers now."""
