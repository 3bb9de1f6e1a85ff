"""What an inspection accepts as a photo on record: a stored object named by its own hash."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from pathlib import Path

import pytest

from police.errors import InvalidInput
from police.evidence import Photo, check_evidence, store_photos
from storage.local import LocalObjectStore
from tests.police.builders import evidence
from tests.storage import photos
from tests.storage.conftest import stored_keys
from web.photos import StoredPhotoIntake


def test_a_photo_is_recorded_under_the_content_address_of_its_hash() -> None:
    photo = evidence("façade")
    digest = hashlib.sha256(b"fa\xc3\xa7ade").hexdigest()
    recorded = check_evidence(photo)
    assert (recorded["key"], recorded["sha256"]) == (f"evidence/{digest}", digest)


def test_a_photo_whose_key_is_not_its_hash_is_refused() -> None:
    other = hashlib.sha256(b"autre photo").hexdigest()
    with pytest.raises(InvalidInput, match="référence de stockage invalide"):
        check_evidence(replace(evidence("façade"), key=f"evidence/{other}"))


@pytest.mark.parametrize(
    "changes",
    [{"size": 0}, {"content_type": "application/pdf"}],
    ids=["empty", "not-a-photo-type"],
)
def test_an_empty_photo_or_another_type_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(InvalidInput, match="fichier vide ou type non accepté"):
        check_evidence(replace(evidence("façade"), **changes))  # type: ignore[arg-type]


def test_no_more_than_twelve_photos_per_inspection_and_none_stored_past_it(
    tmp_path: Path,
) -> None:
    store = LocalObjectStore(tmp_path)
    intake = StoredPhotoIntake(store)
    twelve = [Photo(f"{n}.png", io.BytesIO(photos.png(8 + n, 8))) for n in range(12)]
    assert len(store_photos(intake, twelve)) == 12
    thirteen = [Photo(f"{n}.png", io.BytesIO(photos.png(40 + n, 8))) for n in range(13)]
    with pytest.raises(InvalidInput) as refused:
        store_photos(intake, thirteen)
    assert refused.value.message == "Pas plus de 12 photos par constat."
    assert len([k for k in stored_keys(store) if k.startswith("evidence/")]) == 12


def test_a_refused_photo_without_a_file_name_is_called_photo(tmp_path: Path) -> None:
    intake = StoredPhotoIntake(LocalObjectStore(tmp_path))
    with pytest.raises(InvalidInput) as refused:
        store_photos(intake, [Photo("", io.BytesIO(b""))])
    assert refused.value.message == "Le fichier « photo » est vide."
