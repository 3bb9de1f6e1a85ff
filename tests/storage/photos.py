"""Real image files for upload tests, made with Pillow: what a phone camera sends, and what an
attacker or a broken network sends instead."""

from __future__ import annotations

import io

from PIL import ExifTags, Image

# Place des Nations Unies, Casablanca
LATITUDE, LONGITUDE = 33.5951, -7.6187


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 4)
    return (float(degrees), float(minutes), seconds)


def jpeg_with_exif(
    width: int = 640, height: int = 480, orientation: int = 1, colour: str = "#c0392b"
) -> bytes:
    """A phone photo: capture time with its UTC offset, GPS position, orientation flag."""
    image = Image.new("RGB", (width, height), colour)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestPhone"
    exif[ExifTags.Base.Orientation] = orientation
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[ExifTags.Base.DateTimeOriginal] = "2026:11:20 10:42:07"
    details[ExifTags.Base.OffsetTimeOriginal] = "+01:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = _dms(LATITUDE)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = _dms(LONGITUDE)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def png(width: int = 320, height: int = 200) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (20, 90, 160, 255)).save(out, "PNG")
    return out.getvalue()


def blank_png(width: int, height: int) -> bytes:
    """A real, complete one-bit image of that many pixels: a few kilobytes however large."""
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG", optimize=True)
    return out.getvalue()


def decompression_bomb() -> bytes:
    """A tiny file that claims 400 million pixels."""
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, "PNG", optimize=True)
    return out.getvalue()


def truncated_jpeg() -> bytes:
    whole = jpeg_with_exif(1200, 900)
    return whole[: len(whole) // 2]
