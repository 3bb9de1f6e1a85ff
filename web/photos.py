"""Evidence photos posted with an inspection: checked and stored (object first), returned as the
domain's evidence references (event second).

Starlette's multipart parser has already spooled each file to disk in chunks; from there the
photo is streamed into the store while hashed (``storage.evidence``), never held whole in memory.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from police.errors import N_, InvalidInput
from police.submission import Evidence
from storage import ObjectStore
from storage.evidence import MAX_PHOTO_BYTES, StoredPhoto, TooLarge, store_photo
from storage.images import RefusedImage
from web.metrics import UPLOAD_BYTES

MAX_PHOTOS = 12
_REFUSALS = {
    "empty": N_("Le fichier « {name} » est vide."),
    "not_image": N_("Le fichier « {name} » n'est pas une photo (JPEG, PNG, WebP ou HEIC)."),
    "damaged": N_("La photo « {name} » est incomplète ou abîmée : reprenez-la."),
    "too_many_pixels": N_("La photo « {name} » a trop de pixels ; réduisez sa résolution."),
}


class EvidencePhotos:
    def __init__(self, store: ObjectStore, max_bytes: int = MAX_PHOTO_BYTES) -> None:
        self.store = store
        self.max_bytes = max_bytes

    async def store_all(self, uploads: Sequence[UploadFile]) -> tuple[Evidence, ...]:
        """Stores every photo or raises; ``StoreUnavailable`` passes through (a 503)."""
        if len(uploads) > MAX_PHOTOS:
            raise InvalidInput(
                N_("Pas plus de {count} photos par constat."), field="photos", count=MAX_PHOTOS
            )
        stored = []
        for upload in uploads:
            name = upload.filename or "photo"
            try:
                photo = await run_in_threadpool(
                    store_photo, self.store, upload.file, self.max_bytes
                )
            except TooLarge:
                raise InvalidInput(
                    N_("La photo « {name} » dépasse {limit} Mo."),
                    field="photos",
                    name=name,
                    limit=self.max_bytes // (1024 * 1024),
                ) from None
            except RefusedImage as refused:
                raise InvalidInput(_REFUSALS[refused.reason], field="photos", name=name) from None
            UPLOAD_BYTES.inc(photo.photo.size)
            stored.append(evidence_of(photo))
        return tuple(stored)


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
