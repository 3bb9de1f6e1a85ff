"""The photo checks at their edges: 60 MiB is the largest photo taken, and a file too short to
be anything, or a GIF, is "not a photo"."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pytest
from PIL import Image

from storage.evidence import TooLarge, store_photo
from storage.images import RefusedImage, inspect_image
from storage.local import LocalObjectStore
from tests.storage import photos

MiB = 1024 * 1024


@pytest.fixture
def store(tmp_path: Path) -> LocalObjectStore:
    return LocalObjectStore(tmp_path / "objects")


@contextmanager
def sized(size: int) -> Iterator[BinaryIO]:
    """A file of ``size`` zero bytes on disk, as the upload parser spools it (sparse)."""
    with tempfile.TemporaryFile() as upload:
        upload.truncate(size)
        yield upload


def test_a_file_of_exactly_60_mib_is_not_refused_for_its_size(store: LocalObjectStore) -> None:
    with sized(60 * MiB) as upload, pytest.raises(RefusedImage) as refused:
        store_photo(store, upload)
    assert refused.value.reason == "not_image"


def test_one_byte_more_is_too_large(store: LocalObjectStore) -> None:
    with sized(60 * MiB + 1) as upload, pytest.raises(TooLarge) as refused:
        store_photo(store, upload)
    assert refused.value.limit == 60 * MiB


def test_a_one_byte_file_is_not_a_photo_rather_than_empty(store: LocalObjectStore) -> None:
    with pytest.raises(RefusedImage) as refused:
        store_photo(store, io.BytesIO(b"\xff"))
    assert refused.value.reason == "not_image"
    assert list(store.list_keys()) == []


def test_a_photo_is_read_from_its_first_byte_and_left_rewound() -> None:
    upload = io.BytesIO(photos.jpeg_with_exif())
    assert inspect_image(upload).content_type == "image/jpeg"
    assert upload.tell() == 0  # to be stored next


def test_a_gif_is_not_a_photo(store: LocalObjectStore) -> None:
    gif = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(gif, "GIF")
    with pytest.raises(RefusedImage) as refused:
        store_photo(store, gif)
    assert refused.value.reason == "not_image"
