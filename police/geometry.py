"""Shapes on the ground: a permit's authorised polygon checked and measured in square metres,
and whether a point lies within a shape, in a local metric projection (``shapely`` for the
geometry, ``pyproj`` for the projection). Positions are WGS84 (lat, lon); GeoJSON order is
(lon, lat).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

from pyproj import Transformer
from shapely import Point, Polygon
from shapely import transform as reproject
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from police.errors import N_, InvalidInput

MAX_VERTICES = 200
# A drawn terrace or display spans metres, not streets: beyond this it is a drawing error.
MAX_SPAN_M = 500.0


@lru_cache(maxsize=256)
def _to_metres(lat0: float, lon0: float) -> Transformer:
    """An azimuthal equidistant projection centred near the shape: distances and areas within
    a few hundred metres of its centre are true to the centimetre."""
    return Transformer.from_crs(
        "EPSG:4326",
        f"+proj=aeqd +lat_0={lat0:.4f} +lon_0={lon0:.4f} +datum=WGS84 +units=m",
        always_xy=True,
    )


def in_metres(geometry: BaseGeometry) -> BaseGeometry:
    """The geometry (lon, lat) in metres around its own centre."""
    centre = geometry.centroid
    frame = _to_metres(round(centre.y, 4), round(centre.x, 4)).transform
    return reproject(geometry, frame, interleaved=False)


def polygon_from_ring(ring: Sequence[Sequence[float]], field: str = "polygon") -> Polygon:
    """A drawn outline (a closed ring of [lon, lat] pairs, GeoJSON order) as a valid polygon,
    or a clear refusal: not closed, too few corners, crossing itself, or of no area."""
    try:
        points = [(float(p[0]), float(p[1])) for p in ring]
    except (TypeError, ValueError, IndexError):
        raise InvalidInput(
            N_("Contour illisible : des paires longitude, latitude."), field=field
        ) from None
    if len(points) > MAX_VERTICES:
        raise InvalidInput(
            N_("Contour trop détaillé : {limit} sommets au plus."), field=field, limit=MAX_VERTICES
        )
    if not all(math.isfinite(c) for p in points for c in p) or not all(
        -180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in points
    ):
        raise InvalidInput(N_("Contour hors des coordonnées GPS possibles."), field=field)
    if len(points) < 4 or points[0] != points[-1]:
        raise InvalidInput(
            N_(
                "Contour non fermé : le dernier point doit rejoindre le premier "
                "(3 sommets au moins)."
            ),
            field=field,
        )
    polygon = Polygon(points)
    if not polygon.is_valid:
        reason = explain_validity(polygon)
        if reason.startswith("Self-intersection") or reason.startswith("Ring Self-intersection"):
            raise InvalidInput(N_("Le contour se croise lui-même."), field=field)
        raise InvalidInput(N_("Contour invalide : il doit délimiter une surface."), field=field)
    metric = in_metres(polygon)
    if metric.area < 0.01:
        raise InvalidInput(N_("Le contour ne délimite aucune surface."), field=field)
    minx, miny, maxx, maxy = metric.bounds
    if max(maxx - minx, maxy - miny) > MAX_SPAN_M:
        raise InvalidInput(
            N_("Contour de plus de {limit} m de long : vérifiez le tracé."),
            field=field,
            limit=int(MAX_SPAN_M),
        )
    return polygon


def area_m2(geometry: BaseGeometry) -> Decimal:
    """The surface of a (lon, lat) polygon in square metres, to the hundredth."""
    return Decimal(str(round(in_metres(geometry).area, 2)))


def ring_of(polygon: Polygon) -> list[list[float]]:
    """The polygon's outline as GeoJSON coordinates, for an event."""
    return [[x, y] for x, y in polygon.exterior.coords]


def from_geojson(geometry: dict[str, Any]) -> BaseGeometry:
    return shape(geometry)


def distance_to_m(geometry: BaseGeometry, lat: float, lon: float) -> float:
    """How far (lat, lon) lies outside the geometry, in metres; 0 inside."""
    point = Point(lon, lat)
    if geometry.covers(point):
        return 0.0
    frame = _to_metres(round(lat, 4), round(lon, 4)).transform
    return float(
        reproject(geometry, frame, interleaved=False).distance(
            reproject(point, frame, interleaved=False)
        )
    )
