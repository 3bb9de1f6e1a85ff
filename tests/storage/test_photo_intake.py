"""Checks on upload, with real files: only real photos are stored, with their EXIF facts and an
upright thumbnail; a refused file leaves nothing behind."""

from __future__ import annotations

import io
import warnings
from datetime import datetime, timedelta, timezone

import pillow_heif
import pytest
from PIL import Image

from storage import ObjectStore
from storage.evidence import TooLarge, store_photo
from storage.images import RefusedImage, inspect_image
from storage.local import LocalObjectStore
from tests.storage import photos
from tests.storage.conftest import stored_keys


def test_phone_jpeg_is_stored_with_capture_time_gps_and_thumbnail(store: ObjectStore) -> None:
    data = photos.jpeg_with_exif()
    stored = store_photo(store, io.BytesIO(data))

    assert stored.photo.content_type == "image/jpeg"
    assert store.read(stored.photo.key) == data
    assert stored.facts.captured_at == datetime(
        2026, 11, 20, 10, 42, 7, tzinfo=timezone(timedelta(hours=1))
    )
    assert stored.facts.latitude == pytest.approx(photos.LATITUDE, abs=1e-4)
    assert stored.facts.longitude == pytest.approx(photos.LONGITUDE, abs=1e-4)
    with Image.open(io.BytesIO(store.read(stored.thumbnail_key))) as thumb:
        assert thumb.format == "WEBP"
        assert max(thumb.size) == 400
    display = f"displays/{stored.photo.sha256}.webp"
    with Image.open(io.BytesIO(store.read(display))) as shown:
        assert shown.format == "WEBP"
        assert shown.size == (640, 480)  # under the display limit: full size, pixels only
        assert not shown.getexif()
    assert sorted(stored_keys(store)) == sorted([stored.photo.key, stored.thumbnail_key, display])


def test_thumbnail_is_turned_upright_from_exif_orientation(store: ObjectStore) -> None:
    sideways = photos.jpeg_with_exif(800, 400, orientation=6)  # camera held upright
    stored = store_photo(store, io.BytesIO(sideways))

    with Image.open(io.BytesIO(store.read(stored.thumbnail_key))) as thumb:
        assert thumb.size == (200, 400)


def test_a_large_photo_is_shown_at_2048_pixels_upright(store: ObjectStore) -> None:
    sideways = photos.jpeg_with_exif(4000, 3000, orientation=6)
    stored = store_photo(store, io.BytesIO(sideways))

    with Image.open(io.BytesIO(store.read(f"displays/{stored.photo.sha256}.webp"))) as shown:
        assert shown.size == (1536, 2048)


def test_png_without_exif_is_accepted(store: ObjectStore) -> None:
    stored = store_photo(store, io.BytesIO(photos.png()))

    assert stored.photo.content_type == "image/png"
    assert stored.facts.captured_at is None
    assert stored.facts.latitude is None


def test_heic_from_an_iphone_is_accepted(store: ObjectStore) -> None:
    out = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (320, 240), "#2e86c1")).save(out, quality=60)
    stored = store_photo(store, io.BytesIO(out.getvalue()))

    assert stored.photo.content_type == "image/heic"
    assert store.stat(stored.thumbnail_key) is not None


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Ceci n'est pas une photo, renamed .jpg\n" * 20, "not_image"),
        (photos.truncated_jpeg(), "damaged"),
        (photos.decompression_bomb(), "too_many_pixels"),
        (b"", "empty"),
    ],
    ids=["text-renamed-jpg", "truncated-jpeg", "decompression-bomb", "empty-file"],
)
def test_refused_file_leaves_nothing_behind(store: ObjectStore, data: bytes, reason: str) -> None:
    with pytest.raises(RefusedImage) as refused:
        store_photo(store, io.BytesIO(data))

    assert refused.value.reason == reason
    assert stored_keys(store) == []
    assert not isinstance(store, LocalObjectStore) or list(store.spool_dir.glob("*")) == []


def test_the_pixel_limit_is_the_apps_own_not_pillows() -> None:
    """110 MP: under Pillow's own bomb limit (about 179 MP, which it would decode), over the
    app's 100 MP. Exactly 100 MP passes."""
    over = photos.blank_png(11_000, 10_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(over)) as image:
            image.load()  # Pillow alone accepts it
    with pytest.raises(RefusedImage) as refused:
        inspect_image(io.BytesIO(over))
    assert refused.value.reason == "too_many_pixels"

    facts = inspect_image(io.BytesIO(photos.blank_png(10_000, 10_000)))
    assert (facts.width, facts.height) == (10_000, 10_000)


def test_one_pixel_over_the_limit_is_refused() -> None:
    over = photos.blank_png(17, 5_882_353)  # 100 000 001 pixels
    with pytest.raises(RefusedImage) as refused:
        inspect_image(io.BytesIO(over))
    assert refused.value.reason == "too_many_pixels"


def test_photo_over_the_size_limit_is_refused_while_streaming(store: ObjectStore) -> None:
    with pytest.raises(TooLarge):
        store_photo(store, io.BytesIO(photos.jpeg_with_exif()), max_bytes=1000)

    assert stored_keys(store) == []
    assert not isinstance(store, LocalObjectStore) or list(store.spool_dir.glob("*")) == []


def test_a_truncated_photo_is_refused_even_after_weasyprint_is_loaded(store: ObjectStore) -> None:
    import weasyprint  # noqa: F401  (its import switches Pillow to accept truncated images)
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True
    with pytest.raises(RefusedImage) as refused:
        store_photo(store, io.BytesIO(photos.truncated_jpeg()))
    assert refused.value.reason == "damaged"
