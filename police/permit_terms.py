"""What a permit authorises, as the permits office types it, checked into the facts a permit
records: the place, the surface (frontage x depth, or faces x m² for a billboard) and its
optional outline on the map, the conditions, the period and the fee. Pure rules, no storage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from shapely import Polygon

from police.aggregates.permit import PermitKind, PermitState
from police.errors import N_, InvalidInput
from police.geometry import area_m2, polygon_from_ring, ring_of
from police.identifiers import SubjectInput, clean_text
from police.inspecting import check_location
from police.submission import Location
from police.territory import Territory, distance_m

KIND_LABELS: dict[PermitKind, str] = {
    PermitKind.TERRACE: N_("Terrasse de café ou de restaurant"),
    PermitKind.DISPLAY: N_("Étalage de marchandises"),
    PermitKind.BILLBOARD: N_("Panneau publicitaire"),
    PermitKind.WORKSITE: N_("Chantier : matériaux, échafaudage"),
    PermitKind.KIOSK: N_("Kiosque"),
    PermitKind.VENDING: N_("Emplacement de vente ambulante"),
}
STATE_LABELS: dict[PermitState, str] = {
    PermitState.VALID: N_("En vigueur"),
    PermitState.EXPIRING: N_("Expire dans 30 jours"),
    PermitState.EXPIRED: N_("Expirée"),
    PermitState.SUSPENDED: N_("Suspendue"),
    PermitState.REVOKED: N_("Retirée"),
    PermitState.PENDING: N_("Pas encore en vigueur"),
    PermitState.UNPAID: N_("Redevance à payer"),
}
# Numbers are gap-free per kind and year: AOT-TER-2026-000042.
SERIES: dict[PermitKind, str] = {
    PermitKind.TERRACE: "AOT-TER",
    PermitKind.DISPLAY: "AOT-ETA",
    PermitKind.BILLBOARD: "AOT-PUB",
    PermitKind.WORKSITE: "AOT-CHA",
    PermitKind.KIOSK: "AOT-KIO",
    PermitKind.VENDING: "AOT-VAM",
}
MAX_AMOUNT = Decimal("10000000")
MAX_METRES = Decimal("200")
MAX_FACES = 8
# A drawn outline may differ from frontage x depth (a rounded corner, a tree pit), not by more.
SAME_PLACE_M = 10.0
OUTLINE_TOLERANCE = Decimal("0.25")
_HOURS = re.compile(r"([01]\d|2[0-3])[:hH]([0-5]\d)\s*[-–à]\s*([01]\d|2[0-4])[:hH]([0-5]\d)")
_STRUCTURE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,23}")


def parse_kind(value: str) -> PermitKind:
    try:
        return PermitKind(value)
    except ValueError:
        raise InvalidInput(N_("Type d'autorisation inconnu."), field="kind") from None


@dataclass(frozen=True)
class Conditions:
    walking_path_m: Decimal | None = None  # the clear path left to pedestrians
    hours: str = ""  # 08:00-23:00
    season: str = ""  # toute l'année, du 1er mai au 30 septembre


@dataclass(frozen=True)
class Billboard:
    structure_id: str  # painted on the structure
    faces: int
    m2_per_face: Decimal
    lit: bool
    company: str  # the advertising company


@dataclass(frozen=True)
class PermitTerms:
    """A permit as the permits office fills it in: the grant and amend commands' input."""

    kind: str
    holder: SubjectInput
    location: Location
    valid_from: date
    valid_until: date
    fee: Decimal
    frontage_m: Decimal | None = None
    depth_m: Decimal | None = None
    outline: tuple[tuple[float, float], ...] = ()  # (lon, lat) ring drawn on the map, closed
    conditions: Conditions = field(default_factory=Conditions)
    billboard: Billboard | None = None


@dataclass(frozen=True)
class CheckedTerms:
    """The facts a permit records about what it authorises (the fields of its events)."""

    kind: PermitKind
    location: dict[str, Any]
    surface_m2: Decimal
    dimensions: dict[str, Decimal] | None
    outline: list[list[float]] | None
    outline_m2: Decimal | None
    conditions: dict[str, Any]
    valid_from: date
    valid_until: date
    fee: Decimal
    billboard: dict[str, Any] | None

    def facts(self) -> dict[str, Any]:
        """What an amendment compares and records, field by field (kind and place of the
        holder excepted: another holder or kind is another permit)."""
        return {
            "location": self.location,
            "surface_m2": self.surface_m2,
            "dimensions": self.dimensions,
            "outline": self.outline,
            "outline_m2": self.outline_m2,
            "conditions": self.conditions,
            "valid_from": self.valid_from,
            "valid_until": self.valid_until,
            "fee": self.fee,
            "billboard": self.billboard,
        }


def check_terms(terms: PermitTerms, territory: Territory) -> CheckedTerms:
    kind = parse_kind(terms.kind)
    place = check_location(terms.location, territory)
    lat, lon = place["lat"], place["lon"]
    if lat is None or lon is None:
        raise InvalidInput(
            N_("Placez l'autorisation sur la carte (ou relevez la position GPS)."),
            field="location",
        )
    # An inspection outside the city is recorded and flagged; a permit there is not the
    # city's to grant.
    if not territory.contains(lat, lon):
        raise InvalidInput(
            N_("Position GPS hors du territoire de la commune ({lat}, {lon})."),
            field="location",
            lat=f"{lat:.5f}",
            lon=f"{lon:.5f}",
        )
    if terms.valid_until < terms.valid_from:
        raise InvalidInput(N_("La fin de validité précède son début."), field="valid_until")
    billboard = _billboard(terms.billboard) if kind is PermitKind.BILLBOARD else None
    dimensions = None
    if billboard is not None:
        surface = (billboard["faces"] * billboard["m2_per_face"]).quantize(Decimal("0.01"))
    else:
        frontage = _metres(terms.frontage_m, "frontage_m", N_("Longueur de façade"))
        depth = _metres(terms.depth_m, "depth_m", N_("Profondeur"))
        dimensions = {"frontage_m": frontage, "depth_m": depth}
        surface = (frontage * depth).quantize(Decimal("0.01"))
    if surface <= 0:
        raise InvalidInput(N_("La surface autorisée doit être positive."), field="surface_m2")
    outline = outline_m2 = None
    if terms.outline:
        polygon = polygon_from_ring(terms.outline, field="outline")
        outline, outline_m2 = ring_of(polygon), area_m2(polygon)
        if billboard is None and abs(outline_m2 - surface) > surface * OUTLINE_TOLERANCE:
            raise InvalidInput(
                N_(
                    "Le contour tracé ({drawn} m²) ne correspond pas aux dimensions "
                    "({surface} m²) : corrigez l'un ou l'autre."
                ),
                field="outline",
                drawn=str(outline_m2).replace(".", ","),
                surface=str(surface).replace(".", ","),
            )
    return CheckedTerms(
        kind=kind,
        location=place,
        surface_m2=surface,
        dimensions=dimensions,
        outline=outline,
        outline_m2=outline_m2,
        conditions=_conditions(terms.conditions),
        valid_from=terms.valid_from,
        valid_until=terms.valid_until,
        fee=amount(terms.fee, "fee"),
        billboard=billboard,
    )


def payment_reference(number: str) -> str:
    """The reference a holder pays a permit's fee under: its number with two check digits
    (ISO 7064 mod 97-10, letters counted as an IBAN counts them), so a mistyped reference is
    caught at the till."""
    digits = "".join(str(int(c, 36)) for c in number if c.isalnum())
    check = 98 - int(digits + "00") % 97
    return f"{number}-{check:02d}"


def same_place(
    a: dict[str, Any],
    a_outline: list[list[float]] | None,
    b: dict[str, Any],
    b_outline: list[list[float]] | None,
) -> bool:
    """Two permits' places are one when their outlines overlap or their pins are a few metres
    apart."""
    if a_outline and b_outline:
        return bool(Polygon(a_outline).intersection(Polygon(b_outline)).area > 0)
    return distance_m((a["lat"], a["lon"]), (b["lat"], b["lon"])) <= SAME_PLACE_M


def normalize_structure_id(text: str) -> str:
    """A billboard's structure identifier as painted (CAS-PUB-0042): upper case, dashes."""
    value = re.sub(r"[\s_./]+", "-", text.strip().upper()).strip("-")
    if not _STRUCTURE.fullmatch(value):
        raise InvalidInput(
            N_("Identifiant de structure « {value} » invalide (ex. CAS-PUB-0042)."),
            field="structure_id",
            value=text.strip()[:40],
        )
    return value


def amount(value: Decimal | None, field: str) -> Decimal:
    try:
        number = Decimal(value)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        number = Decimal("NaN")
    if not number.is_finite() or not 0 <= number <= MAX_AMOUNT:
        raise InvalidInput(N_("Montant ou surface invalide."), field=field)
    return number.quantize(Decimal("0.01"))


def _metres(value: Decimal | None, field: str, label: str) -> Decimal:
    if value is None:
        raise InvalidInput(N_("Indiquez : {label} (m)."), field=field, label=label)
    metres = amount(value, field)
    if metres <= 0 or metres > MAX_METRES:
        raise InvalidInput(
            N_("{label} : entre 0 et {limit} m."), field=field, label=label, limit=int(MAX_METRES)
        )
    return metres


def _conditions(conditions: Conditions) -> dict[str, Any]:
    path = conditions.walking_path_m
    if path is not None:
        path = amount(path, "walking_path_m")
        if path > 20:
            raise InvalidInput(
                N_("Passage piéton à laisser libre : 20 m au plus."), field="walking_path_m"
            )
    hours = conditions.hours.strip()
    if hours:
        match = _HOURS.fullmatch(hours)
        if match is None:
            raise InvalidInput(
                N_("Horaires « {value} » illisibles (ex. 08:00-23:00)."),
                field="hours",
                value=hours[:40],
            )
        hours = "{}:{}-{}:{}".format(*match.groups())
    season = clean_text(conditions.season, field="season", label=N_("Saison"), max_length=120)
    return {"walking_path_m": path, "hours": hours, "season": season}


def _billboard(billboard: Billboard | None) -> dict[str, Any]:
    if billboard is None:
        raise InvalidInput(
            N_("Un panneau publicitaire porte son identifiant de structure."), field="structure_id"
        )
    if not 1 <= billboard.faces <= MAX_FACES:
        raise InvalidInput(N_("Nombre de faces : de 1 à {limit}."), field="faces", limit=MAX_FACES)
    per_face = amount(billboard.m2_per_face, "m2_per_face")
    if per_face <= 0 or per_face > 100:
        raise InvalidInput(N_("Surface par face : entre 0 et 100 m²."), field="m2_per_face")
    company = clean_text(
        billboard.company,
        field="company",
        label=N_("Société d'affichage"),
        required=True,
        max_length=120,
    )
    return {
        "structure_id": normalize_structure_id(billboard.structure_id),
        "faces": billboard.faces,
        "m2_per_face": per_face,
        "lit": bool(billboard.lit),
        "company": company,
    }
