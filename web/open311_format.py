"""Open311 GeoReport v2's documents, from the report categories and the reports' rows: which
field of ours is which field of the specification (wiki.open311.org/GeoReport_v2), in JSON and
in XML.

A request as the public sees it: its number, category, place, description and what happened to
it, in words (``status_notes``). Never the reporter's contact, and never a photo (``media_url``
is always empty: a report's photos may show faces and plates; they are for the staff only).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from police.errors import N_, InvalidInput
from police.report_categories import ReportCategories, ReportCategory
from police.report_terms import ReportInput
from police.roles import BRIGADE_LABELS, Brigade
from police.submission import Location
from projections.rows import ReportRow
from web import i18n
from web.form_parsing import search_text

FORMATS = {"json": "application/json", "xml": "text/xml"}
# The status words the specification knows: a report is open until triaged into a close or
# inspected; ``status_notes`` says which.
OPEN, CLOSED = "open", "closed"

_NOTES = {
    "received": N_("Reçu : en attente du tri par la brigade."),
    "planned": N_("Accepté : un agent va se rendre sur place."),
    "infraction_found": N_("Infraction constatée : dossier ouvert."),
    "no_infraction": N_("Contrôlé : aucune infraction constatée."),
    "duplicate": N_("Doublon de {number} : suivez ce signalement-là."),
    "not_for_service": N_("Hors compétence : {reason}"),
}
SERVICE_NOTICE = N_(
    "Trié par la brigade sous {days} jours ouvrés ; un agent se rend sur place si le "
    "signalement relève de la police administrative."
)
_INVALID_XML = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


MAX_REQUESTS = 1000  # the specification's ceiling on one answer
WINDOW = timedelta(days=90)  # its default window, and the longest one asked
MAX_IDS = 100
_STATUSES = {OPEN: True, CLOSED: False}
_BAD_DATE = N_(
    "Date invalide pour {name} : « {value} » (format W3C, par exemple 2026-11-20T08:00:00+01:00)."
)
_TOO_LONG = N_("Période de plus de {days} jours : resserrez start_date et end_date.")
_BAD_STATUS = N_("Statut inconnu : « {value} » (open ou closed).")
_NO_POSITION = N_(
    "Position requise : envoyez lat et long (WGS84) ; les agents doivent trouver le lieu."
)


@dataclass(frozen=True)
class RequestSearch:
    """``GET requests``' filters, as ``ReportQueries.report_search`` takes them."""

    numbers: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    open_only: bool | None = None
    received_from: str = ""
    received_until: str = ""
    limit: int = MAX_REQUESTS


def search_of(params: Mapping[str, str], now: datetime, zone: ZoneInfo) -> RequestSearch:
    """The filters of a ``GET requests``: by ids (then the others are ignored, as the
    specification says), else by service codes, status and period (the last 90 days unless
    asked, never more); ``InvalidInput`` for a date or a status that cannot be read."""
    numbers = _listed(params.get("service_request_id", ""))
    if numbers:
        return RequestSearch(numbers=tuple(search_text(n.upper(), 40) for n in numbers[:MAX_IDS]))
    statuses = set()
    for value in _listed(params.get("status", "")):
        if value.lower() not in _STATUSES:
            raise InvalidInput(_BAD_STATUS, field="status", value=value[:20])
        statuses.add(_STATUSES[value.lower()])
    end = _instant(params, "end_date", zone)
    start = _instant(params, "start_date", zone) or (end or now) - WINDOW
    if (end or now) - start > WINDOW:
        raise InvalidInput(_TOO_LONG, field="start_date", days=WINDOW.days)
    return RequestSearch(
        categories=tuple(search_text(c, 40) for c in _listed(params.get("service_code", ""))),
        open_only=statuses.pop() if len(statuses) == 1 else None,
        received_from=start.astimezone(UTC).isoformat(),
        received_until=end.astimezone(UTC).isoformat() if end else "",
    )


def report_input_of(form: Mapping[str, str], language: str) -> ReportInput:
    """A ``POST requests``' fields as the report form's: a position is required (an officer
    must find the place), ``address_string`` says where in words; names are not kept."""
    try:
        lat, lon = float(form.get("lat", "")), float(form.get("long", ""))
    except ValueError:
        raise InvalidInput(_NO_POSITION, field="location") from None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise InvalidInput(_NO_POSITION, field="location")
    return ReportInput(
        category=form.get("service_code", ""),
        location=Location(
            arrondissement="", address=form.get("address_string", ""), lat=lat, lon=lon
        ),
        description=form.get("description", ""),
        email=form.get("email", ""),
        phone=form.get("phone", ""),
        language=language,
    )


def _listed(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _instant(params: Mapping[str, str], field: str, zone: ZoneInfo) -> datetime | None:
    value = params.get(field, "").strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(_BAD_DATE, field=field, name=field, value=value[:40]) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def service(category: ReportCategory) -> dict[str, Any]:
    """One entry of ``GET services``: a category of the city's list, in the request's
    language; its group is its brigade."""
    language = i18n.language()
    return {
        "service_code": category.code,
        "service_name": category.name(language),
        "description": category.hint(language),
        "metadata": False,  # no extra attributes to ask: no service definition
        "type": "realtime",  # the number is given at once
        "keywords": category.brigade.value,
        "group": i18n.gettext_(BRIGADE_LABELS[category.brigade]),
    }


def request(row: ReportRow, categories: ReportCategories, zone: ZoneInfo) -> dict[str, Any]:
    """One entry of ``GET requests``: the report as the public may see it."""
    category = categories.categories.get(row.category)
    brigade = Brigade(row.brigade)
    deadline = None
    if row.status == "received":  # the triage deadline: the day's end, in the city
        deadline = datetime.combine(row.triage_due, time(23, 59, 59), zone).isoformat()
    return {
        "service_request_id": row.number,
        "status": OPEN if row.is_open else CLOSED,
        "status_notes": status_notes(row),
        "service_name": category.name(i18n.language()) if category else row.category,
        "service_code": row.category,
        "description": row.description,
        "agency_responsible": i18n.gettext_(BRIGADE_LABELS[brigade]),
        "service_notice": service_notice(categories),
        "requested_datetime": w3c(row.received_at, zone),
        "updated_datetime": w3c(row.updated_at, zone),
        "expected_datetime": deadline,
        "address": row.address,
        "address_id": "",
        "zipcode": "",
        "lat": row.lat,
        "long": row.lon,
        "media_url": "",  # never: the photos are for the staff (faces, plates)
    }


def status_notes(row: ReportRow) -> str:
    """What happened to the report, in words: the specification's two statuses say too little."""
    template = _NOTES.get(row.status)
    if template is None:
        return ""
    return i18n.gettext_(template).format(
        number=row.original_number or "", reason=row.refusal or ""
    )


def service_notice(categories: ReportCategories) -> str:
    return i18n.gettext_(SERVICE_NOTICE).format(days=categories.triage_working_days)


def created(number: str, categories: ReportCategories) -> dict[str, Any]:
    """The answer to ``POST requests``: the number, given at once (no token to poll)."""
    return {
        "service_request_id": number,
        "service_notice": service_notice(categories),
        "account_id": None,
    }


def error(code: int, description: str) -> dict[str, Any]:
    return {"code": code, "description": description}


def w3c(moment: str, zone: ZoneInfo) -> str:
    """A stored ISO instant as the specification writes it: seconds, with the city's offset."""
    return datetime.fromisoformat(moment).astimezone(zone).isoformat(timespec="seconds")


# --- encodings ---------------------------------------------------------------------------

_XML_NAMES = {"services": "service", "service_requests": "request", "errors": "error"}


def encode(kind: str, records: Sequence[dict[str, Any]], format_: str) -> bytes:
    """The list ``records`` as JSON (an array) or XML (``<kind>`` holding one element each:
    ``services``, ``service_requests`` or ``errors``)."""
    if format_ == "json":
        return json.dumps(list(records), ensure_ascii=False, separators=(",", ":")).encode()
    item = _XML_NAMES[kind]
    parts = ['<?xml version="1.0" encoding="utf-8"?>', f"<{kind}>"]
    for record in records:
        fields = "".join(f"<{k}>{_xml_value(v)}</{k}>" for k, v in record.items())
        parts.append(f"<{item}>{fields}</{item}>")
    parts.append(f"</{kind}>")
    return "".join(parts).encode()


def _xml_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = _INVALID_XML.sub("", str(value))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
