"""The public application form (e-démarches): what it posted into the submit command's input,
or field errors in the applicant's language; a file's request back into the form's values, for
its renewal. The honeypot field is read here too: a form whose hidden field is filled in was
sent by a robot."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from starlette.datastructures import FormData, UploadFile

from police.aggregates.permit import Permit, PermitKind
from police.aggregates.permit_application import PermitApplication
from police.application_terms import ApplicationInput
from police.errors import InvalidInput
from police.evidence import Photo
from police.permit_terms import Billboard
from police.submission import Location
from web import i18n
from web.form_parsing import day
from web.inspection_form import FormErrors, decimal_in, subject_of

HOLDER_KINDS = ("establishment", "person")
HONEYPOT = "website"  # hidden from people by CSS and aria-hidden; robots fill it in
MAX_UPLOADS = 6
# What one public form may carry: six documents and the text fields.
UPLOAD_LIMITS: dict[str, int] = {"max_files": MAX_UPLOADS, "max_fields": 60, "max_part_size": 8192}


def is_robot(form: FormData) -> bool:
    value = form.get(HONEYPOT, "")
    return bool(value) if isinstance(value, str) else True


def uploads(form: FormData, name: str) -> list[Photo]:
    return [
        Photo(f.filename, f.file)
        for f in form.getlist(name)
        if isinstance(f, UploadFile) and f.filename
    ]


def parse_application(
    form: FormData, kind: str, errors: FormErrors, language: str
) -> ApplicationInput | None:
    """The command's input, or None with ``errors`` filled (parsing only: the domain checks
    the rest and answers with its own field-tagged errors)."""
    text = {k: v.strip() for k, v in form.items() if isinstance(v, str)}

    def number(name: str, required: bool = False) -> Decimal | None:
        raw = text.get(name, "")
        if not raw and required:
            errors.add(name, i18n.gettext_("Champ obligatoire."))
        return decimal_in(raw, name, errors) if raw else None

    lat, lon = number("lat"), number("lon")  # none: the address places it (the domain says)
    days = {}
    for name in ("valid_from", "valid_until"):
        try:
            days[name] = day(text.get(name, ""), name)
        except InvalidInput as refused:
            errors.add(name, refused.translated(i18n.gettext_))
    billboard = None
    if kind == PermitKind.BILLBOARD:
        faces = text.get("faces", "")
        billboard = Billboard(
            structure_id=text.get("structure_id", ""),
            faces=int(faces) if faces.isascii() and faces.isdigit() and len(faces) < 3 else 0,
            m2_per_face=number("m2_per_face", required=True) or Decimal(0),
            lit=text.get("lit", "") == "on",
            company=text.get("company", "") or text.get("trade_name", ""),
        )
    holder_kind = text.get("holder_kind", "")
    if errors or len(days) < 2:
        return None
    return ApplicationInput(
        kind=kind,
        holder=subject_of(text, holder_kind if holder_kind in HOLDER_KINDS else ""),
        email=text.get("email", ""),
        phone=text.get("phone", ""),
        location=Location(
            arrondissement=text.get("arrondissement", ""),
            address=text.get("address", ""),
            lat=float(lat) if lat is not None else None,
            lon=float(lon) if lon is not None else None,
        ),
        valid_from=days["valid_from"],
        valid_until=days["valid_until"],
        frontage_m=number("frontage_m"),
        depth_m=number("depth_m"),
        billboard=billboard,
        note=text.get("note", ""),
        language=language,
        renewal_of=text.get("renewal_of", "") or None,
    )


def typed(form: FormData) -> dict[str, Any]:
    """What was typed, to draw the form again with its errors (never the honeypot)."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != HONEYPOT}


def renewal_values(application: PermitApplication, permit: Permit) -> dict[str, Any]:
    """The form's values for the renewal of the permit granted on ``application``: the same
    holder and contact, the permit's place and surface as they stand now, the period following
    it for as long again."""
    who, place = application.applicant, permit.location
    dims, board = permit.dimensions or {}, permit.billboard or {}
    start = permit.valid_until + timedelta(days=1)
    return {
        "holder_kind": who["kind"],
        **{k: who.get(k, "") for k in ("trade_name", "ice", "rc", "activity", "full_name", "cin")},
        "email": application.contact.get("email", ""),
        "phone": application.contact.get("phone", ""),
        "address": place.get("address", ""),
        "arrondissement": place["arrondissement"],
        "lat": place["lat"],
        "lon": place["lon"],
        "frontage_m": dims.get("frontage_m", ""),
        "depth_m": dims.get("depth_m", ""),
        "faces": board.get("faces", ""),
        "m2_per_face": board.get("m2_per_face", ""),
        "lit": "on" if board.get("lit") else "",
        "company": board.get("company", ""),
        "structure_id": board.get("structure_id", ""),
        "valid_from": start.isoformat(),
        "valid_until": (start + (permit.valid_until - permit.valid_from)).isoformat(),
        "renewal_of": permit.number,
    }
