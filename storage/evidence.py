"""Evidence photos into the store: stream, check, store once, derive a thumbnail.

Order matters for the record: the photo is checked from its spooled bytes before anything
becomes visible; a refused file leaves nothing behind. The caller records the event only after
``store_photo`` returned (object first, event second).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from typing import BinaryIO

from storage.base import ObjectExists, ObjectStore, StoredObject
from storage.images import ImageFacts, inspect_image, thumbnail

EVIDENCE = "evidence"
THUMBNAILS = "thumbnails"
MAX_PHOTO_BYTES = 60 * 1024 * 1024


@dataclass(frozen=True)
class StoredPhoto:
    photo: StoredObject
    thumbnail_key: str  # derived, not evidence: its bytes may differ between Pillow versions
    facts: ImageFacts


def thumbnail_key(photo_sha256: str) -> str:
    """Derived objects are named after their source, so a photo sent twice has one thumbnail."""
    return f"{THUMBNAILS}/{photo_sha256}.webp"


def store_photo(
    store: ObjectStore, source: BinaryIO, max_bytes: int = MAX_PHOTO_BYTES
) -> StoredPhoto:
    """Raises ``TooLarge``, ``RefusedImage`` or ``StoreUnavailable``; nothing stays stored then."""
    with store.spool(max_bytes) as spool:
        spool.copy_from(source)
        facts = inspect_image(spool.path)
        small = thumbnail(spool.path)
        photo = store.put(EVIDENCE, spool, facts.content_type)
    key = thumbnail_key(photo.sha256)
    if store.stat(key) is None:
        derived = store.spool()
        derived.write(small)
        with suppress(ObjectExists):  # made by another request for the same photo meanwhile
            store.write(key, derived, "image/webp")
    return StoredPhoto(photo, key, facts)
