"""Evidence photos taken in with an inspection: at most a dozen, each checked from its bytes and
stored by the photo intake before the event that cites it (object first, event second), and
the references an event records checked for their form.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from police.errors import N_, InvalidInput
from police.objects import DocumentRefused, PhotoIntake, PhotoRefused
from police.submission import Evidence

MAX_PHOTOS = 12
EVIDENCE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/heic", "image/heif"})
_SHA256 = re.compile(r"[0-9a-f]{64}")
_REFUSALS = {
    "empty": N_("Le fichier « {name} » est vide."),
    "not_image": N_("Le fichier « {name} » n'est pas une photo (JPEG, PNG, WebP ou HEIC)."),
    "damaged": N_("La photo « {name} » est incomplète ou abîmée : reprenez-la."),
    "too_many_pixels": N_("La photo « {name} » a trop de pixels ; réduisez sa résolution."),
    "too_large": N_("La photo « {name} » dépasse {limit} Mo."),
}


@dataclass(frozen=True)
class Photo:
    """A photo as it came with the form: its file name (for messages) and its bytes."""

    name: str
    file: BinaryIO


def store_photos(intake: PhotoIntake, photos: Sequence[Photo]) -> tuple[Evidence, ...]:
    """Stores every photo or refuses the first bad one, naming it; a store that is down raises
    its own error (the officer's phone keeps the inspection and sends it again)."""
    if len(photos) > MAX_PHOTOS:
        raise InvalidInput(
            N_("Pas plus de {count} photos par constat."), field="photos", count=MAX_PHOTOS
        )
    stored = []
    for photo in photos:
        try:
            stored.append(intake.store_photo(photo.file))
        except PhotoRefused as refused:
            raise InvalidInput(
                _REFUSALS[refused.reason],
                field="photos",
                name=photo.name or "photo",
                limit=refused.limit_bytes // (1024 * 1024),
            ) from None
    return tuple(stored)


_DOCUMENT_REFUSALS = {
    "empty": N_("Le fichier « {name} » est vide."),
    "too_large": N_("Le fichier « {name} » dépasse {limit} Mo."),
    "not_document": N_("Le fichier « {name} » n'est ni un PDF ni une image (JPEG, PNG, WebP)."),
    "damaged": N_("Le fichier « {name} » est incomplet ou illisible : enregistrez-le à nouveau."),
    "encrypted": N_("Le PDF « {name} » est protégé par un mot de passe : envoyez-le sans."),
    "too_many_pages": N_("Le PDF « {name} » a plus de {pages} pages."),
    "too_many_pixels": N_("L'image « {name} » a trop de pixels ; réduisez sa résolution."),
    "active_content": N_("Le PDF « {name} » contient un script ou une action : refusé."),
}


def store_documents(intake: PhotoIntake, documents: Sequence[Photo]) -> list[dict[str, Any]]:
    """Stores every document (an applicant's plan: a PDF or an image) or refuses the first bad
    one, naming it."""
    stored = []
    for document in documents:
        try:
            facts = intake.store_document(document.file)
        except DocumentRefused as refused:
            raise InvalidInput(
                _DOCUMENT_REFUSALS[refused.reason],
                field="plans",
                name=document.name[:120] or "document",
                limit=refused.limit_bytes // (1024 * 1024),
                pages=refused.limit_pages,
            ) from None
        stored.append({**facts, "name": document.name[:120], "role": "plan"})
    return stored


def check_evidence(evidence: Evidence) -> dict[str, Any]:
    if not _SHA256.fullmatch(evidence.sha256) or evidence.key != f"evidence/{evidence.sha256}":
        raise InvalidInput(N_("Photo : référence de stockage invalide."), field="photos")
    if evidence.size <= 0 or evidence.content_type not in EVIDENCE_TYPES:
        raise InvalidInput(N_("Photo : fichier vide ou type non accepté."), field="photos")
    return {
        "key": evidence.key,
        "sha256": evidence.sha256,
        "size": evidence.size,
        "content_type": evidence.content_type,
        "captured_at": evidence.captured_at,
        "thumbnail_key": evidence.thumbnail_key,
        "latitude": evidence.latitude,
        "longitude": evidence.longitude,
    }
