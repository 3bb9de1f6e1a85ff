"""An applicant's plan, checked from its bytes on the local store and a real S3 server: a real
PDF or image is stored once with its page count; anything else is refused and leaves nothing
behind (a text named .pdf, a truncated, encrypted, scripted or 25-page PDF, an oversized file,
an image bomb)."""

from __future__ import annotations

import io
import zipfile

import pytest

from storage import ObjectStore
from storage.documents import RefusedDocument, store_document
from tests.storage import documents, photos
from tests.storage.conftest import stored_keys


def test_a_two_page_pdf_plan_is_stored_as_sent(store: ObjectStore) -> None:
    data = documents.pdf(pages=2)
    stored = store_document(store, io.BytesIO(data))
    assert (stored.content_type, stored.pages, stored.thumbnail_key) == ("application/pdf", 2, None)
    assert stored.key == f"documents/{stored.sha256}"
    assert store.read(stored.key) == data


@pytest.mark.parametrize("make", [photos.jpeg_with_exif, photos.png])
def test_a_photographed_plan_is_stored_with_its_thumbnail(store: ObjectStore, make: object) -> None:
    assert callable(make)
    stored = store_document(store, io.BytesIO(make()))
    assert stored.content_type in ("image/jpeg", "image/png")
    assert stored.pages == 1
    assert stored.thumbnail_key is not None
    assert store.stat(stored.thumbnail_key) is not None


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("plan.txt", "un plan")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"Ceci est un plan, promis.", "not_document"),
        (_zip(), "not_document"),
        (documents.pdf()[:300], "damaged"),
        (documents.encrypted_pdf(), "encrypted"),
        (documents.pdf(pages=25), "too_many_pages"),
        (documents.pdf_with_script(), "active_content"),
        (documents.pdf_with_open_action(), "active_content"),
        (documents.pdf(pages=1, width=20_000, height=20_000), "damaged"),
        (photos.decompression_bomb(), "too_many_pixels"),
        (photos.truncated_jpeg(), "damaged"),
    ],
)
def test_a_bad_document_is_refused_and_nothing_is_stored(
    store: ObjectStore, data: bytes, reason: str
) -> None:
    with pytest.raises(RefusedDocument) as refused:
        store_document(store, io.BytesIO(data))
    assert refused.value.reason == reason
    assert stored_keys(store) == []


def test_an_oversized_document_is_refused_before_it_is_read(store: ObjectStore) -> None:
    with pytest.raises(RefusedDocument) as refused:
        store_document(store, io.BytesIO(documents.pdf()), max_bytes=100)
    assert refused.value.reason == "too_large"
    assert stored_keys(store) == []
