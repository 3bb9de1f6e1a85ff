"""The officer's inspection form: what it shows for each brigade, and how what was posted
becomes the record-inspection command's input (or field errors, in the officer's language)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from starlette.datastructures import FormData

from police.catalogue import CatalogueVersion, Infraction
from police.identifiers import SUBJECT_KINDS_BY_BRIGADE, SubjectInput
from police.roles import Brigade
from police.submission import Finding, InspectionSubmission, Location, Position
from web import i18n


@dataclass
class FormErrors:
    """Messages by field name, shown next to the field; ``general`` above the form."""

    fields: dict[str, str] = field(default_factory=dict)

    def add(self, name: str | None, message: str) -> None:
        self.fields.setdefault(name or "general", message)

    def __bool__(self) -> bool:
        return bool(self.fields)


@dataclass(frozen=True)
class FormView:
    """What the template needs to draw the form for one brigade."""

    brigade: Brigade
    infractions: list[Infraction]
    subject_kinds: tuple[str, ...]
    measures: list[Any]
    values: dict[str, Any]
    errors: dict[str, str]
    submission_id: str
    observed_at: str  # when the form was drawn; the phone puts its own clock here at submit
    accuracy_limit: int  # metres: a less precise position is flagged (the officer is told)


def form_view(
    brigade: Brigade,
    catalogue: CatalogueVersion,
    values: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
) -> FormView:
    values = values or {}
    return FormView(
        brigade=brigade,
        infractions=catalogue.for_brigade(brigade),
        subject_kinds=tuple(SUBJECT_KINDS_BY_BRIGADE[brigade]),
        measures=[m for m in catalogue.measures.values() if m.brigade == brigade],
        values=values,
        errors=(errors or FormErrors()).fields,
        submission_id=str(values.get("submission_id") or uuid.uuid4()),
        observed_at=str(
            values.get("observed_at") or datetime.now(UTC).isoformat(timespec="seconds")
        ),
        accuracy_limit=catalogue.rules(brigade).accuracy_threshold_m,
    )


def form_values(form: FormData) -> dict[str, Any]:
    """What was typed, to redraw the form after a refusal (files excluded)."""
    values: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    values["findings"] = [v for v in form.getlist("finding") if isinstance(v, str)]
    values["measures"] = [v for v in form.getlist("measure") if isinstance(v, str)]
    return values


def parse_submission(
    brigade: Brigade, form: FormData, errors: FormErrors, timezone: tzinfo
) -> InspectionSubmission | None:
    """The command input, or None with ``errors`` filled (parsing only: the domain checks
    the rest and answers with its own field-tagged errors). A time typed by the officer for an
    entry after the fact (``observed_local``, the territory's wall clock) wins over the phone's."""
    text = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
    submission_id = _uuid(text.get("submission_id", ""), errors)
    if typed := text.get("observed_local", ""):
        observed_at = _wall_clock(typed, timezone, errors)
    else:
        observed_at = _moment(text.get("observed_at", ""), errors)
    lat, lon, accuracy, opened_lat, opened_lon, opened_accuracy = (
        decimal_in(text[name], "location", errors) if text.get(name) else None
        for name in ("lat", "lon", "accuracy", "opened_lat", "opened_lon", "opened_accuracy")
    )
    opened = None
    if opened_lat is not None and opened_lon is not None:
        opened = Position(float(opened_lat), float(opened_lon), _float(opened_accuracy))
    sent_at = _moment(text.get("sent_at", ""), errors)
    findings = []
    for code in dict.fromkeys(v for v in form.getlist("finding") if isinstance(v, str)):
        raw = text.get(f"quantity_{code}", "")
        findings.append(Finding(code, decimal_in(raw, f"quantity_{code}", errors) if raw else None))
    measurements = {}
    for name in ("occupied_surface_m2", "walking_path_m"):
        if raw := text.get(name, ""):
            value = decimal_in(raw, name, errors)
            if value is not None:
                measurements[name] = value
    # A permit picked from those nearby, or "none found"; else the number typed.
    picked = text.get("permit_pick", "")
    follow_up = text.get("follow_up_case_id", "")
    subject_kind = text.get("subject_kind", "") or SUBJECT_KINDS_BY_BRIGADE[brigade][0]
    if errors or submission_id is None:
        return None
    return InspectionSubmission(
        submission_id=submission_id,
        brigade=brigade,
        observed_at=observed_at or datetime.now(UTC),
        location=Location(
            arrondissement=text.get("arrondissement", ""),
            address=text.get("address", ""),
            lat=_float(lat),
            lon=_float(lon),
            accuracy_m=_float(accuracy),
        ),
        subject=subject_of(text, subject_kind),
        findings=tuple(findings),
        measurements=measurements,
        observations=text.get("observations", ""),
        permit_number=picked if picked not in ("", "none") else text.get("permit_number", ""),
        structure_id=text.get("structure_id", ""),
        no_permit_found=picked == "none",
        measures=tuple(v for v in form.getlist("measure") if isinstance(v, str)),
        follow_up_case_id=_uuid(follow_up, errors) if follow_up else None,
        report_number=text.get("report_number", ""),
        visit=text.get("visit", "")[:200],
        late_reason=text.get("late_reason", ""),
        opened_position=opened,
        sent_at=sent_at,
    )


def subject_of(text: dict[str, str], kind: str) -> SubjectInput:
    """The subject's fields of a form (an inspection's, a permit's holder) as typed."""
    return SubjectInput(
        kind=kind,
        plate=text.get("plate", ""),
        foreign_plate=text.get("foreign_plate", "") == "on",
        make=text.get("make", ""),
        colour=text.get("colour", ""),
        trade_name=text.get("trade_name", ""),
        ice=text.get("ice", ""),
        rc=text.get("rc", ""),
        activity=text.get("activity", ""),
        address=text.get("address", ""),
        full_name=text.get("full_name", ""),
        cin=text.get("cin", ""),
    )


def _float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _uuid(value: str, errors: FormErrors) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        errors.add("general", i18n.gettext_("Formulaire incomplet : rechargez la page."))
        return None


def _moment(value: str, errors: FormErrors) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        errors.add("general", i18n.gettext_("Heure du constat illisible."))
        return None
    return moment if moment.tzinfo else None


def _wall_clock(value: str, timezone: tzinfo, errors: FormErrors) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is not None:
        message = i18n.gettext_("Date et heure attendues (ex. 2026-03-14 09:30).")
        errors.add("observed_local", message)
        return None
    return moment.replace(tzinfo=timezone)


def decimal_in(value: str, name: str, errors: FormErrors) -> Decimal | None:
    """A number as typed on a phone (a comma or a point, spaces ignored), or None with the
    field's error."""
    try:
        number = Decimal(value.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        errors.add(name, i18n.gettext_("Nombre attendu (ex. 12,5)."))
        return None
    return number
