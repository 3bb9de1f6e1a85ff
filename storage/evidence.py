"""Evidence photos into the store: check, store once, derive a thumbnail and the rendition
browsers are shown.

Order matters for the record: the photo is checked from its bytes before anything is written, so a
refused file leaves nothing behind; the caller records the event only after ``store_photo``
returned (object first, event second).
"""

from __future__ import annotations

import io
from contextlib import suppress
from dataclasses import dataclass
from typing import BinaryIO

from storage.base import ObjectExists, ObjectStore, StoredObject
from storage.images import ImageFacts, display, inspect_image, thumbnail

EVIDENCE = "evidence"
THUMBNAILS = "thumbnails"
DISPLAYS = "displays"
MAX_PHOTO_BYTES = 60 * 1024 * 1024


class TooLarge(Exception):
    """The photo passes the size limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} bytes")
        self.limit = limit


@dataclass(frozen=True)
class StoredPhoto:
    photo: StoredObject
    thumbnail_key: str  # derived, not evidence: its bytes may differ between Pillow versions
    facts: ImageFacts


def thumbnail_key(photo_sha256: str) -> str:
    """Derived objects are named after their source, so a photo sent twice has one thumbnail."""
    return f"{THUMBNAILS}/{photo_sha256}.webp"


def display_key(photo_sha256: str) -> str:
    return f"{DISPLAYS}/{photo_sha256}.webp"


def display_of(store: ObjectStore, photo_key: str, photo_sha256: str) -> str:
    """The key of the photo's display rendition, made now from the original when it was
    stored before renditions were (idempotent: named after the original)."""
    key = display_key(photo_sha256)
    if store.stat(key) is None:
        _derive(store, key, display(io.BytesIO(store.read(photo_key))))
    return key


def _derive(store: ObjectStore, key: str, data: bytes) -> None:
    if store.stat(key) is None:
        with suppress(ObjectExists):  # made by another request for the same photo meanwhile
            store.write(key, io.BytesIO(data), "image/webp")


def store_photo(
    store: ObjectStore, source: BinaryIO, max_bytes: int = MAX_PHOTO_BYTES
) -> StoredPhoto:
    """``source`` is a seekable file (the multipart parser spools uploads to disk).

    Raises ``TooLarge``, ``RefusedImage`` or ``StoreUnavailable``; nothing stays stored then.
    """
    source.seek(0, io.SEEK_END)
    if source.tell() > max_bytes:
        raise TooLarge(max_bytes)
    facts = inspect_image(source)
    small, shown = thumbnail(source), display(source)
    photo = store.put(EVIDENCE, source, facts.content_type)
    key = thumbnail_key(photo.sha256)
    _derive(store, key, small)
    _derive(store, display_key(photo.sha256), shown)
    return StoredPhoto(photo, key, facts)
