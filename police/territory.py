"""The territory the brigades patrol: arrondissements, bounds, local time and, when the city
supplies them, the arrondissements' boundaries.

Loaded from ``police/data/territories/<code>.yaml``; another city is another file. A file may
name a GeoJSON file beside it (``boundaries: <file>.geojson``): a FeatureCollection of Polygon or
MultiPolygon features whose property ``code`` is an arrondissement's code, checked at load.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from shapely import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from police.errors import N_, InvalidInput
from police.geometry import distance_to_m, from_geojson

DEFAULT_DIRECTORY = Path(__file__).parent / "data" / "territories"


@dataclass(frozen=True)
class Arrondissement:
    code: str
    name_fr: str
    name_ar: str
    prefecture_fr: str
    prefecture_ar: str
    centre: tuple[float, float]


@dataclass(frozen=True)
class Bounds:
    south: float
    north: float
    west: float
    east: float

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


DEFAULT_TERRITORY = (
    "casablanca"  # another city is another file beside it, chosen by POLICE_TERRITORY
)


@dataclass(frozen=True)
class Territory:
    code: str
    name_fr: str
    name_ar: str
    timezone: ZoneInfo
    bounds: Bounds
    arrondissements: dict[str, Arrondissement]
    # Each arrondissement's outline (lon, lat), when the city supplies them; empty otherwise.
    boundaries: Mapping[str, BaseGeometry] = field(default_factory=dict)
    # The legal time to decide an online application, in days, per permit kind.
    processing_days: Mapping[str, int] = field(default_factory=dict)
    # How often an establishment is inspected, in days, per hygiene risk category (A-E).
    routine_visit_days: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, code: str = DEFAULT_TERRITORY, directory: Path = DEFAULT_DIRECTORY) -> Territory:
        path = directory / f"{code or DEFAULT_TERRITORY}.yaml"
        if not path.is_file():
            raise ValueError(f"unknown territory {code!r}: no file {path}")
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        arrondissements = {
            a["code"]: Arrondissement(
                code=a["code"],
                name_fr=a["name"]["fr"],
                name_ar=a["name"]["ar"],
                prefecture_fr=p["name"]["fr"],
                prefecture_ar=p["name"]["ar"],
                centre=(float(a["centre"][0]), float(a["centre"][1])),
            )
            for p in doc["prefectures"]
            for a in p["arrondissements"]
        }
        boundaries = {}
        if doc.get("boundaries"):
            boundaries = load_boundaries(path.parent / str(doc["boundaries"]), arrondissements)
        return cls(
            code=doc["code"],
            name_fr=doc["name"]["fr"],
            name_ar=doc["name"]["ar"],
            timezone=ZoneInfo(doc["timezone"]),
            bounds=Bounds(**doc["bounds"]),
            arrondissements=arrondissements,
            boundaries=boundaries,
            processing_days={k: int(v) for k, v in (doc.get("processing_days") or {}).items()},
            routine_visit_days={
                k: int(v) for k, v in (doc.get("routine_visit_days") or {}).items()
            },
        )

    def arrondissement(self, code: str) -> Arrondissement:
        found = self.arrondissements.get(code)
        if found is None:
            raise InvalidInput(
                N_("Arrondissement inconnu : « {code} »."), field="arrondissement", code=code
            )
        return found

    def contains(self, lat: float, lon: float) -> bool:
        return self.bounds.contains(lat, lon)

    def nearest_arrondissement(self, lat: float, lon: float) -> Arrondissement:
        return min(
            self.arrondissements.values(),
            key=lambda a: distance_m((lat, lon), a.centre),
        )

    def arrondissement_containing(self, lat: float, lon: float) -> Arrondissement | None:
        """The arrondissement whose boundary holds the point (on its edge counts); None
        outside all of them, or when the territory has no boundaries."""
        point = Point(lon, lat)
        for code, outline in self.boundaries.items():
            if outline.covers(point):
                return self.arrondissements[code]
        return None

    def metres_outside(self, code: str, lat: float, lon: float) -> float | None:
        """How far the point lies outside the arrondissement's boundary (0 inside); None
        when the territory has none for it."""
        outline = self.boundaries.get(code)
        return None if outline is None else distance_to_m(outline, lat, lon)

    def boundaries_geojson(self) -> dict[str, Any]:
        """The boundaries as a GeoJSON FeatureCollection, each with its code and names."""
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": outline.__geo_interface__,
                    "properties": {
                        "code": code,
                        "name_fr": self.arrondissements[code].name_fr,
                        "name_ar": self.arrondissements[code].name_ar,
                    },
                }
                for code, outline in self.boundaries.items()
            ],
        }

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.timezone).date()


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


class BoundariesError(ValueError):
    """A territory's boundary file is unreadable or does not match its arrondissements: the
    message names the file and what is wrong, and the process does not start."""


def load_boundaries(
    path: Path, arrondissements: Mapping[str, Arrondissement]
) -> dict[str, BaseGeometry]:
    """The outlines of a territory's arrondissements, from the city's GeoJSON file, each one
    checked: a known code, once; a valid polygon or multipolygon of some area."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise BoundariesError(f"{path}: unreadable boundary file ({e.strerror})") from None
    except ValueError as e:
        raise BoundariesError(f"{path}: not JSON ({e})") from None
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list) or doc.get("type") != "FeatureCollection":
        raise BoundariesError(f"{path}: a GeoJSON FeatureCollection is expected")
    outlines: dict[str, BaseGeometry] = {}
    for number, feature in enumerate(features, start=1):
        where = f"{path}, feature {number}"
        properties = feature.get("properties") if isinstance(feature, dict) else None
        code = properties.get("code") if isinstance(properties, dict) else None
        if not isinstance(code, str) or code not in arrondissements:
            known = ", ".join(sorted(arrondissements))
            raise BoundariesError(f"{where}: unknown arrondissement code {code!r} (known: {known})")
        if code in outlines:
            raise BoundariesError(f"{where}: arrondissement {code!r} already has a boundary")
        outlines[code] = _outline(feature.get("geometry"), f"{where} ({code})")
    missing = sorted(set(arrondissements) - set(outlines))
    if missing:
        raise BoundariesError(f"{path}: no boundary for {', '.join(missing)}")
    return outlines


def _outline(geometry: Any, where: str) -> BaseGeometry:
    try:
        outline = from_geojson(geometry)
    except Exception as e:  # a missing key, a wrong type, or GEOS refusing the coordinates
        raise BoundariesError(f"{where}: unreadable geometry ({e!r})") from None
    if not isinstance(outline, Polygon | MultiPolygon):
        kind = outline.geom_type
        raise BoundariesError(f"{where}: a Polygon or MultiPolygon is expected, not {kind}")
    if not outline.is_empty and not outline.is_valid:
        raise BoundariesError(f"{where}: invalid polygon ({explain_validity(outline)})")
    if outline.is_empty or outline.area == 0:
        raise BoundariesError(f"{where}: the polygon has no area")
    minx, miny, maxx, maxy = outline.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise BoundariesError(f"{where}: coordinates out of range (longitude, latitude expected)")
    return outline
