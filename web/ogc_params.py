"""The query parameters of an OGC API - Features ``items`` request (Part 1: Core), read into
a ``FeatureWindow``: ``bbox``, ``datetime``, ``limit``, ``offset``. A malformed one is refused
with ``InvalidInput`` naming the parameter (the page answers 400), never silently dropped: a GIS
shown a wrong answer is worse than one told why."""

from __future__ import annotations

import math
from datetime import UTC, datetime, time

from starlette.datastructures import QueryParams

from police.errors import N_, InvalidInput
from projections.queries import FeatureWindow

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# Parameters of Part 1 that this API does not answer to: refused, not ignored.
_KNOWN = frozenset({"bbox", "bbox-crs", "datetime", "limit", "offset", "f"})
_CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

_BAD_BBOX = N_(
    "Paramètre bbox invalide : quatre nombres « ouest,sud,est,nord » en degrés (WGS 84), "
    "longitudes entre -180 et 180, latitudes entre -90 et 90, sud ≤ nord."
)
_BAD_LIMIT = N_("Paramètre limit invalide : un nombre entier de 1 à {max}.")
_BAD_OFFSET = N_("Paramètre offset invalide : un nombre entier positif ou nul.")
_BAD_DATETIME = N_(
    "Paramètre datetime invalide : un instant ou un intervalle RFC 3339, par ex. "
    "« 2026-11-01T00:00:00Z/.. » ou « 2026-11-01/2026-11-30 »."
)
_BAD_CRS = N_("Paramètre bbox-crs non pris en charge : seul {crs} l'est.")
_UNKNOWN = N_("Paramètre inconnu : « {name} ».")
_BAD_FORMAT = N_("Format non pris en charge : « {value} » (seul json l'est).")


def window_of(params: QueryParams) -> FeatureWindow:
    for name in params:
        if name not in _KNOWN:
            raise InvalidInput(_UNKNOWN, field=name, name=name[:40])
    check_format(params)
    crs = params.get("bbox-crs")
    if crs is not None and crs != _CRS84:
        raise InvalidInput(_BAD_CRS, field="bbox-crs", crs=_CRS84)
    start, end = _interval(params.get("datetime"))
    return FeatureWindow(
        bbox=_bbox(params.get("bbox")),
        start=start,
        end=end,
        limit=_whole(params.get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT, _BAD_LIMIT, "limit"),
        offset=_whole(params.get("offset"), 0, 0, 10**9, _BAD_OFFSET, "offset"),
    )


def check_format(params: QueryParams) -> None:
    """``f=json`` (or nothing) only: every answer here is JSON or GeoJSON."""
    value = params.get("f")
    if value is not None and value.lower() not in ("json", "geojson"):
        raise InvalidInput(_BAD_FORMAT, field="f", value=value[:20])


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    parts = value.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise InvalidInput(_BAD_BBOX, field="bbox") from None
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise InvalidInput(_BAD_BBOX, field="bbox")
    west, south, east, north = numbers
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise InvalidInput(_BAD_BBOX, field="bbox")
    return west, south, east, north


def _whole(value: str | None, default: int, low: int, high: int, message: str, field: str) -> int:
    if value is None:
        return default
    text = value.strip()
    if not text.isascii() or not text.isdigit():
        raise InvalidInput(message, field=field, max=MAX_LIMIT)
    number = int(text)
    if number < low:
        raise InvalidInput(message, field=field, max=MAX_LIMIT)
    # Part 1: a limit above the server's maximum is served at the maximum, not refused.
    return min(number, high)


def _interval(value: str | None) -> tuple[datetime | None, datetime | None]:
    """An instant (start = end), or ``start/end`` with ``..`` (or nothing) for an open end."""
    if value is None:
        return None, None
    if "/" not in value:
        instant = _moment(value, end=False)
        if instant is None:
            raise InvalidInput(_BAD_DATETIME, field="datetime")
        # A day given alone is the whole day.
        return instant, _moment(value, end=True) if len(value.strip()) == 10 else instant
    first, _, last = value.partition("/")
    start, end = _moment(first, end=False), _moment(last, end=True)
    if (start is None and end is None) or (start and end and start > end):
        raise InvalidInput(_BAD_DATETIME, field="datetime")
    return start, end


def _moment(text: str, *, end: bool) -> datetime | None:
    """A RFC 3339 date-time (a zone is required) or a date (UTC, its first or last moment);
    None for an open end (``..`` or empty); ``InvalidInput`` for anything else."""
    text = text.strip()
    if text in ("", ".."):
        return None
    try:
        if len(text) == 10:
            day = datetime.strptime(text, "%Y-%m-%d").date()
            return datetime.combine(day, time.max if end else time.min, tzinfo=UTC)
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise InvalidInput(_BAD_DATETIME, field="datetime") from None
    if moment.tzinfo is None or "T" not in text.upper():
        raise InvalidInput(_BAD_DATETIME, field="datetime")
    return moment.astimezone(UTC)
