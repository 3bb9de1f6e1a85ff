"""What the domain needs from the object store, as ports it is handed at construction.

``police`` never imports a storage client (DESIGN: police -> storage through a small protocol);
the composition root (``web``) hands it a store from ``storage/`` and a photo intake that
satisfy these.
"""

from __future__ import annotations

from typing import BinaryIO, Protocol

from police.submission import Evidence


class ObjectReader(Protocol):
    def sha256_of(self, key: str) -> str | None:
        """Re-reads the whole object and returns its SHA-256 (hex), or None when it is missing."""
        ...


class Stored(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def size(self) -> int: ...


class ObjectWriter(ObjectReader, Protocol):
    def put(self, prefix: str, source: BinaryIO, content_type: str) -> Stored:
        """Stores the bytes under ``prefix/<sha256>``, once; returns where and what."""
        ...

    def read(self, key: str) -> bytes:
        """The whole (small) object."""
        ...


class PhotoRefused(Exception):
    """Not an acceptable evidence photo, told by its bytes; nothing was stored."""

    REASONS = frozenset({"empty", "not_image", "damaged", "too_many_pixels", "too_large"})

    def __init__(self, reason: str, *, limit_bytes: int = 0) -> None:
        assert reason in self.REASONS, reason
        super().__init__(reason)
        self.reason = reason
        self.limit_bytes = limit_bytes  # for "too_large"


class DocumentRefused(Exception):
    """Not an acceptable document (an applicant's plan), told by its bytes; nothing stored."""

    REASONS = frozenset(
        {
            "empty",
            "too_large",
            "not_document",
            "damaged",
            "encrypted",
            "too_many_pages",
            "too_many_pixels",
            "active_content",
        }
    )

    def __init__(self, reason: str, *, limit_bytes: int = 0, limit_pages: int = 0) -> None:
        assert reason in self.REASONS, reason
        super().__init__(reason)
        self.reason = reason
        self.limit_bytes = limit_bytes
        self.limit_pages = limit_pages


class PhotoIntake(Protocol):
    """The intake of what people send: evidence photos, and applicants' documents."""

    def store_photo(self, source: BinaryIO) -> Evidence:
        """Checks a photo from its bytes, stores it (with its thumbnail) and returns what the
        event records about it; raises ``PhotoRefused`` having stored nothing."""
        ...

    def store_document(self, source: BinaryIO) -> dict[str, object]:
        """Checks a document (a PDF or an image) from its bytes and stores it; returns what
        the event records (key, sha256, size, content_type, pages, thumbnail_key); raises
        ``DocumentRefused`` having stored nothing."""
        ...
