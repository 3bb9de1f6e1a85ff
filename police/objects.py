"""What the domain needs from the object store, as a protocol it is handed.

``police`` never imports a storage client (DESIGN: police -> storage through a small protocol);
the entry points hand it a store from ``storage/`` that satisfies this.
"""

from __future__ import annotations

from typing import BinaryIO, Protocol


class ObjectReader(Protocol):
    def sha256_of(self, key: str) -> str | None:
        """Re-reads the whole object and returns its SHA-256 (hex), or None when it is missing."""
        ...


class Stored(Protocol):
    key: str
    sha256: str
    size: int


class ObjectWriter(ObjectReader, Protocol):
    def put(self, prefix: str, source: BinaryIO, content_type: str) -> Stored:
        """Stores the bytes under ``prefix/<sha256>``, once; returns where and what."""
        ...

    def read(self, key: str) -> bytes:
        """The whole (small) object."""
        ...
