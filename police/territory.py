"""The territory the brigades patrol: arrondissements, bounds and local time.

Loaded from ``police/data/territories/<code>.yaml``; another city is another file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from police.errors import N_, InvalidInput

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
        return cls(
            code=doc["code"],
            name_fr=doc["name"]["fr"],
            name_ar=doc["name"]["ar"],
            timezone=ZoneInfo(doc["timezone"]),
            bounds=Bounds(**doc["bounds"]),
            arrondissements=arrondissements,
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
