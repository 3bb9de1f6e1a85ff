"""The public report form (/signaler): what it posted into the submit command's input, or field
errors in the resident's language."""

from __future__ import annotations

from starlette.datastructures import FormData

from police.report_terms import ReportInput
from police.submission import Location
from web.inspection_form import FormErrors, decimal_in


def parse_report(form: FormData, errors: FormErrors, language: str) -> ReportInput | None:
    """The command's input, or None with ``errors`` filled (parsing only: the domain checks
    the rest and answers with its own field-tagged errors)."""
    text = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
    lat = decimal_in(text["lat"], "location", errors) if text.get("lat") else None
    lon = decimal_in(text["lon"], "location", errors) if text.get("lon") else None
    accuracy = decimal_in(text["accuracy"], "location", errors) if text.get("accuracy") else None
    if errors:
        return None
    return ReportInput(
        category=text.get("category", ""),
        location=Location(
            arrondissement="",
            address=text.get("address", ""),
            lat=float(lat) if lat is not None else None,
            lon=float(lon) if lon is not None else None,
            accuracy_m=float(accuracy) if accuracy is not None else None,
        ),
        description=text.get("description", ""),
        email=text.get("email", ""),
        phone=text.get("phone", ""),
        language=language,
    )


def point_of(lat: str, lon: str) -> tuple[float, float] | None:
    """A point typed or sent by the page's script, or None when it is not one."""
    try:
        found = float(lat), float(lon)
    except ValueError:
        return None
    if not (-90 <= found[0] <= 90 and -180 <= found[1] <= 180):
        return None
    return found
