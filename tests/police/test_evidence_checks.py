"""What an inspection accepts as a photo on record: a stored object named by its own hash."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest

from police.errors import InvalidInput
from police.evidence import check_evidence
from tests.police.builders import evidence


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
