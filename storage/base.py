"""The object store contract shared by the local folder and the S3 bucket, and its errors.

Sources are seekable binary files (an upload already spooled to disk by the multipart parser, a
rendered PDF in memory): they are read in chunks, never whole.
"""

from __future__ import annotations

import hashlib
import io
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import BinaryIO

CHUNK = 1024 * 1024


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


def digest(source: BinaryIO) -> tuple[str, int]:
    """SHA-256 and size of a file from its current position, read in chunks; rewinds it."""
    start = source.tell()
    hashed = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        hashed.update(chunk)
        size += len(chunk)
    source.seek(start)
    return hashed.hexdigest(), size


class ObjectStore(ABC):
    """Where evidence and notices live. Never overwrites, never deletes."""

    @abstractmethod
    def put(self, prefix: str, source: BinaryIO, content_type: str) -> StoredObject:
        """Stores the bytes under their content address (``prefix/<sha256>``); the same bytes
        twice are kept once. The object appears whole or not at all."""

    @abstractmethod
    def write(self, key: str, source: BinaryIO, content_type: str) -> StoredObject:
        """Stores the bytes under a given key; raises ObjectExists when the key is taken."""

    @abstractmethod
    def stat(self, key: str) -> ObjectInfo | None: ...

    @abstractmethod
    def open(self, key: str) -> Iterator[bytes]:
        """The object's bytes in chunks; raises ObjectMissing (before the first chunk)."""

    @abstractmethod
    def list_keys(self, prefix: str = "") -> Iterator[str]:
        """Every key under ``prefix``, sorted (for backups and audits)."""

    @abstractmethod
    def check(self) -> None:
        """Raises StoreUnavailable unless the store answers now."""

    def put_bytes(self, prefix: str, data: bytes, content_type: str) -> StoredObject:
        return self.put(prefix, io.BytesIO(data), content_type)

    def sha256_of(self, key: str) -> str | None:
        """Re-reads the whole object and returns its SHA-256, or None when it is missing."""
        hashed = hashlib.sha256()
        try:
            for chunk in self.open(key):
                hashed.update(chunk)
        except ObjectMissing:
            return None
        return hashed.hexdigest()

    def read(self, key: str) -> bytes:
        """The whole object: only for small ones (thumbnails, notices)."""
        return b"".join(self.open(key))

    def presigned_url(self, key: str, expires: timedelta, content_type: str) -> str | None:
        """A short-lived direct URL when the store can sign one; None: stream through the app."""
        return None
