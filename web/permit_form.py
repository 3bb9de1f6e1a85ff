"""The permits office's grant and amend form: what it posted into the permit's terms (or field
errors in the clerk's language), and a permit's current terms back into the form's values."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from starlette.datastructures import FormData

from police.aggregates.permit import Permit, PermitKind
from police.errors import InvalidInput
from police.permit_terms import Billboard, Conditions, PermitTerms
from police.submission import Location
from web import i18n
from web.form_parsing import day
from web.inspection_form import FormErrors, decimal_in, subject_of

HOLDER_KINDS = ("establishment", "person")


def parse_terms(form: FormData, errors: FormErrors) -> PermitTerms | None:
    """The command's input, or None with ``errors`` filled (parsing only: the domain checks
    the rest and answers with its own field-tagged errors)."""
    text = {k: v.strip() for k, v in form.items() if isinstance(v, str)}

    def number(name: str, required: bool = False) -> Decimal | None:
        raw = text.get(name, "")
        if not raw and required:
            errors.add(name, i18n.gettext_("Champ obligatoire."))
        return decimal_in(raw, name, errors) if raw else None

    lat, lon = number("lat"), number("lon")
    valid_from = valid_until = None
    for name in ("valid_from", "valid_until"):
        try:
            parsed = day(text.get(name, ""), name)
        except InvalidInput as refused:
            errors.add(name, refused.translated(i18n.gettext_))
            continue
        if name == "valid_from":
            valid_from = parsed
        else:
            valid_until = parsed
    fee = number("fee", required=True)
    outline = _outline(text.get("outline", ""), errors)
    kind = text.get("kind", "")
    billboard = None
    if kind == PermitKind.BILLBOARD:
        faces = text.get("faces", "")
        billboard = Billboard(
            structure_id=text.get("structure_id", ""),
            faces=int(faces) if faces.isascii() and faces.isdigit() else 0,
            m2_per_face=number("m2_per_face", required=True) or Decimal(0),
            lit=text.get("lit", "") == "on",
            company=text.get("company", ""),
        )
    if errors or valid_from is None or valid_until is None or fee is None:
        return None
    return PermitTerms(
        kind=kind,
        holder=subject_of(text, text.get("holder_kind", "") or HOLDER_KINDS[0]),
        location=Location(
            arrondissement=text.get("arrondissement", ""),
            address=text.get("address", ""),
            lat=float(lat) if lat is not None else None,
            lon=float(lon) if lon is not None else None,
        ),
        valid_from=valid_from,
        valid_until=valid_until,
        fee=fee,
        frontage_m=number("frontage_m"),
        depth_m=number("depth_m"),
        outline=outline,
        conditions=Conditions(
            walking_path_m=number("walking_path_m"),
            hours=text.get("hours", ""),
            season=text.get("season", ""),
        ),
        billboard=billboard,
    )


def _outline(raw: str, errors: FormErrors) -> tuple[tuple[float, float], ...]:
    """The outline drawn on the map: a JSON list of [lon, lat], closed here if the drawing
    left it open (a click on the first corner is hard on a phone)."""
    if not raw:
        return ()
    try:
        points = json.loads(raw)
        ring = tuple((float(p[0]), float(p[1])) for p in points)
    except (ValueError, TypeError, IndexError, KeyError):
        errors.add("outline", i18n.gettext_("Contour illisible : retracez-le sur la carte."))
        return ()
    if len(ring) >= 3 and ring[0] != ring[-1]:
        ring = (*ring, ring[0])
    return ring


def values_of(permit: Permit) -> dict[str, Any]:
    """A permit's current terms as the form's values, for its amendment."""
    place = permit.location
    conditions = permit.conditions
    board = permit.billboard or {}
    dims = permit.dimensions or {}
    path = conditions.get("walking_path_m")
    return {
        "kind": permit.kind,
        "address": place.get("address", ""),
        "arrondissement": place.get("arrondissement", ""),
        "lat": place.get("lat"),
        "lon": place.get("lon"),
        "frontage_m": dims.get("frontage_m", ""),
        "depth_m": dims.get("depth_m", ""),
        "outline": json.dumps(permit.outline) if permit.outline else "",
        "walking_path_m": path if path is not None else "",
        "hours": conditions.get("hours", ""),
        "season": conditions.get("season", ""),
        "valid_from": permit.valid_from.isoformat(),
        "valid_until": permit.valid_until.isoformat(),
        "fee": permit.fee,
        "structure_id": board.get("structure_id", ""),
        "faces": board.get("faces", ""),
        "m2_per_face": board.get("m2_per_face", ""),
        "lit": "on" if board.get("lit") else "",
        "company": board.get("company", ""),
    }
