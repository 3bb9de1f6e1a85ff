"""What an uploaded photo really is, read from its bytes: format, size, capture time, GPS.

Pillow decides (never the file name or the browser's content type). The whole image is decoded
once, at reduced scale for JPEG, so a truncated file is refused; the pixel count is checked from
the header before any decoding, so a decompression bomb costs nothing.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from typing import BinaryIO

import pillow_heif
from PIL import ExifTags, Image, ImageFile, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()

MAX_PIXELS = 100_000_000  # a 108 MP phone camera passes; a bomb does not
THUMBNAIL_SIZE = 400
DISPLAY_SIZE = 2048  # a desk screen's width: every detail a reader can see without zooming
CONTENT_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "HEIF": "image/heic",
}


class RefusedImage(Exception):
    """Not an acceptable photo; ``reason`` is one of: empty, not_image, too_many_pixels,
    damaged."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ImageFacts:
    content_type: str
    width: int
    height: int
    captured_at: datetime | None  # from EXIF; aware when the camera wrote its offset
    latitude: float | None
    longitude: float | None


def inspect_image(source: BinaryIO, max_pixels: int = MAX_PIXELS) -> ImageFacts:
    """Reads the file from its start; leaves it rewound."""
    # WeasyPrint turns this Pillow switch on when it is imported (for lenient web pages); a
    # truncated photo must be refused, so it is turned back off whoever imported what.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    source.seek(0, io.SEEK_END)
    if source.tell() == 0:
        raise RefusedImage("empty")
    source.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                if image.format not in CONTENT_TYPES:
                    raise RefusedImage("not_image")
                width, height = image.size
                if width * height > max_pixels:
                    raise RefusedImage("too_many_pixels")
                exif = image.getexif()
                if image.format == "JPEG":
                    image.draft("RGB", (width // 8 or 1, height // 8 or 1))
                image.load()
    except Image.DecompressionBombError:
        raise RefusedImage("too_many_pixels") from None
    except UnidentifiedImageError:
        raise RefusedImage("not_image") from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise RefusedImage("damaged") from None
    finally:
        source.seek(0)
    latitude, longitude = _gps(exif)
    return ImageFacts(
        CONTENT_TYPES[image.format or ""], width, height, _captured_at(exif), latitude, longitude
    )


def thumbnail(source: BinaryIO) -> bytes:
    """A small WebP for lists and previews."""
    return _rendition(source, THUMBNAIL_SIZE, quality=75)


def display(source: BinaryIO) -> bytes:
    """What a browser is given to look at: pixels only, re-encoded, never the file received
    (a JPEG may carry HTML or script in a comment or after its image data; phones append
    legitimate data there too). The original stays the evidence, downloaded as an attachment."""
    return _rendition(source, DISPLAY_SIZE, quality=85)


def _rendition(source: BinaryIO, size: int, quality: int) -> bytes:
    """A WebP at most ``size`` pixels on its long side, turned upright as the camera's EXIF
    orientation says, without metadata."""
    source.seek(0)
    with Image.open(source) as image:
        image.draft("RGB", (size * 2, size * 2))
        upright = ImageOps.exif_transpose(image)
        upright.thumbnail((size, size))
        if upright.mode not in ("RGB", "RGBA"):
            upright = upright.convert("RGB")
        out = io.BytesIO()
        upright.save(out, "WEBP", quality=quality, method=4)
    source.seek(0)
    return out.getvalue()


def _captured_at(exif: Image.Exif) -> datetime | None:
    details = exif.get_ifd(ExifTags.IFD.Exif)
    raw = details.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = details.get(ExifTags.Base.OffsetTimeOriginal)
    if isinstance(offset, str) and len(offset) == 6 and offset[0] in "+-":
        try:
            sign = 1 if offset[0] == "+" else -1
            hours, minutes = int(offset[1:3]), int(offset[4:6])
            return moment.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes)))
        except ValueError:
            return moment
    return moment


def _gps(exif: Image.Exif) -> tuple[float | None, float | None]:
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    try:
        latitude = _degrees(gps[ExifTags.GPS.GPSLatitude], gps[ExifTags.GPS.GPSLatitudeRef])
        longitude = _degrees(gps[ExifTags.GPS.GPSLongitude], gps[ExifTags.GPS.GPSLongitudeRef])
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None, None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None, None
    return latitude, longitude


def _degrees(dms: tuple[float, float, float], ref: str) -> float:
    degrees, minutes, seconds = (Fraction(float(part)) for part in dms)
    value = float(degrees + minutes / 60 + seconds / 3600)
    return round(-value if ref.strip().upper() in ("S", "W") else value, 7)
