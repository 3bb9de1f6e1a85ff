"""When two inspections happened at the same place: within a radius when both have a GPS fix,
otherwise the same arrondissement and the same address."""

from __future__ import annotations

from typing import Any

from police.identifiers import slug
from police.territory import distance_m


def place_of(location: dict[str, Any]) -> dict[str, Any]:
    return {
        "arrondissement": location["arrondissement"],
        "address_key": slug(location.get("address") or ""),
        "lat": location.get("lat"),
        "lon": location.get("lon"),
    }


def same_place(a: dict[str, Any], b: dict[str, Any], radius_m: float) -> bool:
    if None not in (a["lat"], a["lon"], b["lat"], b["lon"]):
        return distance_m((a["lat"], a["lon"]), (b["lat"], b["lon"])) <= radius_m
    return (
        a["arrondissement"] == b["arrondissement"]
        and bool(a["address_key"])
        and a["address_key"] == b["address_key"]
    )
