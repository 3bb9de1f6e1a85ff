"""Applicants' documents into the store: a plan as a PDF or an image, checked from its bytes
before anything is written (a refused file leaves nothing behind), then stored once under its
content address. An image goes through the evidence photos' own checks and thumbnail.

A PDF must parse (pypdf), have 1 to ``MAX_PAGES`` pages of a sane size, be unencrypted, and
carry no script or launch action: the office opens these files on its own computers.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, BinaryIO

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from storage.base import ObjectStore
from storage.evidence import TooLarge, store_photo
from storage.images import RefusedImage

DOCUMENTS = "documents"
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_PAGES = 20
MAX_PAGE_POINTS = 5 * 72 / 0.0254  # a page 5 m wide: larger is no plan of a pavement
_ACTIVE = ("/JavaScript", "/JS", "/Launch", "/OpenAction", "/AA", "/EmbeddedFiles", "/RichMedia")


class RefusedDocument(Exception):
    """``reason``: empty, too_large, not_document, damaged, encrypted, too_many_pages,
    too_many_pixels, active_content."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class StoredDocument:
    key: str
    sha256: str
    size: int
    content_type: str
    pages: int
    thumbnail_key: str | None  # an image's; a PDF has none


def store_document(
    store: ObjectStore, source: BinaryIO, max_bytes: int = MAX_DOCUMENT_BYTES
) -> StoredDocument:
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(0)
    if size == 0:
        raise RefusedDocument("empty")
    if size > max_bytes:
        raise RefusedDocument("too_large")
    if source.read(5) != b"%PDF-":
        source.seek(0)
        return _image(store, source, max_bytes)
    pages = check_pdf(source)
    stored = store.put(DOCUMENTS, source, "application/pdf")
    return StoredDocument(stored.key, stored.sha256, stored.size, "application/pdf", pages, None)


def check_pdf(source: BinaryIO) -> int:
    """The number of pages of an acceptable PDF; leaves ``source`` rewound."""
    source.seek(0)
    try:
        reader = PdfReader(source, strict=False)
        if reader.is_encrypted:
            raise RefusedDocument("encrypted")
        count = len(reader.pages)
        if not 1 <= count <= MAX_PAGES:
            raise RefusedDocument("too_many_pages" if count else "damaged")
        if _active(reader.trailer["/Root"]):
            raise RefusedDocument("active_content")
        for page in reader.pages:
            box = page.mediabox
            if max(float(box.width), float(box.height)) > MAX_PAGE_POINTS:
                raise RefusedDocument("damaged")
            if _active(page):
                raise RefusedDocument("active_content")
    except (PdfReadError, KeyError, ValueError, TypeError, OSError, RecursionError):
        raise RefusedDocument("damaged") from None
    finally:
        source.seek(0)
    return count


def _active(node: Any, depth: int = 0) -> bool:
    """Whether a dictionary of the PDF (its catalogue, a page), or one it names, carries a
    script or an action that runs on opening."""
    if depth > 4:
        return False
    try:
        found = node.get_object()
    except AttributeError:
        found = node
    if not hasattr(found, "keys"):
        return False
    if any(key in found for key in _ACTIVE):
        return True
    return any(_active(found[key], depth + 1) for key in ("/Names", "/AcroForm") if key in found)


def _image(store: ObjectStore, source: BinaryIO, max_bytes: int) -> StoredDocument:
    try:
        photo = store_photo(store, source, max_bytes)
    except TooLarge:
        raise RefusedDocument("too_large") from None
    except RefusedImage as refused:
        reason = "not_document" if refused.reason == "not_image" else refused.reason
        raise RefusedDocument(reason) from None
    stored = photo.photo
    return StoredDocument(
        stored.key, stored.sha256, stored.size, stored.content_type, 1, photo.thumbnail_key
    )
