"""The arrêté d'autorisation of a permit's edition: what it authorises, bilingual, with the QR
code of the public verification page, rendered by WeasyPrint like the notices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import segno

from police.aggregates.permit import Permit, PermitKind
from police.notices.rendering import _environment, _write
from police.territory import Territory

KIND_TITLES: dict[str, tuple[str, str]] = {
    PermitKind.TERRACE: ("Terrasse de café ou de restaurant", "شرفة مقهى أو مطعم"),
    PermitKind.DISPLAY: ("Étalage de marchandises", "عرض السلع"),
    PermitKind.BILLBOARD: ("Panneau publicitaire", "لوحة إشهارية"),
    PermitKind.WORKSITE: ("Chantier : matériaux, échafaudage", "ورش: مواد البناء والسقالات"),
    PermitKind.KIOSK: ("Kiosque", "كشك"),
    PermitKind.VENDING: ("Emplacement de vente ambulante", "موقع البيع المتجول"),
}


@dataclass(frozen=True)
class ArreteContent:
    number: str
    edition: int
    issued_on: date
    kind_fr: str
    kind_ar: str
    holder_label: str
    address: str
    arrondissement_fr: str
    arrondissement_ar: str
    lat: float
    lon: float
    surface_m2: Decimal
    dimensions: dict[str, Decimal] | None
    outline_m2: Decimal | None
    conditions: dict[str, Any]
    billboard: dict[str, Any] | None
    valid_from: date
    valid_until: date
    fee: Decimal
    city_fr: str
    city_ar: str
    verify_url: str


def arrete_content(
    permit: Permit, territory: Territory, *, issued_on: date, public_url: str
) -> ArreteContent:
    place = permit.location
    arrondissement = territory.arrondissements.get(place.get("arrondissement", ""))
    kind_fr, kind_ar = KIND_TITLES[permit.kind]
    return ArreteContent(
        number=permit.number,
        edition=permit.edition,
        issued_on=issued_on,
        kind_fr=kind_fr,
        kind_ar=kind_ar,
        holder_label=permit.holder_label,
        address=place.get("address", ""),
        arrondissement_fr=arrondissement.name_fr if arrondissement else "",
        arrondissement_ar=arrondissement.name_ar if arrondissement else "",
        lat=place["lat"],
        lon=place["lon"],
        surface_m2=permit.surface_m2,
        dimensions=permit.dimensions,
        outline_m2=permit.outline_m2,
        conditions=permit.conditions,
        billboard=permit.billboard,
        valid_from=permit.valid_from,
        valid_until=permit.valid_until,
        fee=permit.fee,
        city_fr=territory.name_fr,
        city_ar=territory.name_ar,
        verify_url=f"{public_url.rstrip('/')}/verifier/{permit.number}",
    )


def render_arrete_html(content: ArreteContent) -> str:
    qr = segno.make(content.verify_url, error="m").svg_data_uri(scale=4, border=1)
    return _environment().get_template("arrete_autorisation.html").render(a=content, qr=qr)


def render_arrete_pdf(content: ArreteContent) -> bytes:
    return _write(render_arrete_html(content), None)
