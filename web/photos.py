"""The photo and document intake the application is handed (``police.objects.PhotoIntake``),
made of the storage package's checks and store: each photo (or applicant's plan) checked from its
bytes, stored under its hash with its thumbnail, and described as the event will record it.

Starlette's multipart parser has already spooled each file to disk in chunks; from there the
photo is streamed into the store while hashed (``storage.evidence``), never held whole in memory.
"""

from __future__ import annotations

from typing import BinaryIO

from police.objects import DocumentRefused, PhotoRefused
from police.submission import Evidence
from storage import ObjectStore
from storage.documents import MAX_DOCUMENT_BYTES, MAX_PAGES, RefusedDocument, store_document
from storage.evidence import MAX_PHOTO_BYTES, StoredPhoto, TooLarge, store_photo
from storage.images import RefusedImage
from web.metrics import UPLOAD_BYTES


class StoredPhotoIntake:
    def __init__(self, store: ObjectStore, max_bytes: int = MAX_PHOTO_BYTES) -> None:
        self.store = store
        self.max_bytes = max_bytes

    def store_photo(self, source: BinaryIO) -> Evidence:
        """``StoreUnavailable`` passes through (the page answers 503, the phone sends again)."""
        try:
            photo = store_photo(self.store, source, self.max_bytes)
        except TooLarge:
            raise PhotoRefused("too_large", limit_bytes=self.max_bytes) from None
        except RefusedImage as refused:
            raise PhotoRefused(refused.reason) from None
        UPLOAD_BYTES.inc(photo.photo.size)
        return evidence_of(photo)

    def store_document(self, source: BinaryIO) -> dict[str, object]:
        try:
            stored = store_document(self.store, source, MAX_DOCUMENT_BYTES)
        except RefusedDocument as refused:
            raise DocumentRefused(
                refused.reason, limit_bytes=MAX_DOCUMENT_BYTES, limit_pages=MAX_PAGES
            ) from None
        UPLOAD_BYTES.inc(stored.size)
        return {
            "key": stored.key,
            "sha256": stored.sha256,
            "size": stored.size,
            "content_type": stored.content_type,
            "pages": stored.pages,
            "thumbnail_key": stored.thumbnail_key,
        }


def evidence_of(stored: StoredPhoto) -> Evidence:
    return Evidence(
        key=stored.photo.key,
        sha256=stored.photo.sha256,
        size=stored.photo.size,
        content_type=stored.photo.content_type,
        captured_at=stored.facts.captured_at,
        thumbnail_key=stored.thumbnail_key,
        latitude=stored.facts.latitude,
        longitude=stored.facts.longitude,
    )
