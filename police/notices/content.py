"""What a notice says, gathered from the record as it stands: the case, its opening inspection,
the subject, the officer. Amounts and legal bases are those the events recorded that day, never
the catalogue of today."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from police.aggregates.case import Case
from police.aggregates.inspection import Inspection
from police.identifiers import PlateKind
from police.territory import Territory
from police.workflow import NOTICE_RULES, NoticeKind

TITLES_AR = {
    NoticeKind.AVIS_CONTRAVENTION: "إشعار بمخالفة",
    NoticeKind.MISE_EN_DEMEURE: "إنذار",
    NoticeKind.PROCES_VERBAL: "محضر معاينة",
    NoticeKind.ORDRE_FERMETURE: "أمر بالإغلاق",
    NoticeKind.ATTESTATION_REGULARISATION: "شهادة تسوية الوضعية",
}
BRIGADES = {
    "hygiene": ("Bureau municipal d'hygiène", "المكتب الجماعي لحفظ الصحة"),
    "parking": ("Police du stationnement", "شرطة الوقوف"),
    "public_domain": ("Police de l'occupation du domaine public", "شرطة احتلال الملك العمومي"),
}


# How each identifier is named on a notice; a vehicle's plate is its label already, in Latin
# letters, so the notice adds the plate as registered (with its Arabic letter).
IDENTIFIER_LABELS = {
    "plate": "Immatriculation",
    "ice": "ICE",
    "rc": "RC",
    "cin": "CIN",
}


@dataclass(frozen=True)
class Identifier:
    label: str
    value: str
    plate: bool  # a Moroccan plate: digits, letter, digits, shown in that order in any language


def identifiers_of(subject: dict[str, Any]) -> list[Identifier]:
    raw: dict[str, str] = subject.get("identifiers", {})
    return [
        Identifier(label, raw[key], key == "plate" and raw.get("plate_kind") != PlateKind.FOREIGN)
        for key, label in IDENTIFIER_LABELS.items()
        if raw.get(key)
    ]


@dataclass(frozen=True)
class NoticeFinding:
    code: str
    label_fr: str
    label_ar: str
    legal_basis: str
    quantity: Decimal | None
    amount: Decimal


@dataclass(frozen=True)
class NoticeContent:
    kind: NoticeKind
    title_fr: str
    title_ar: str
    number: str
    issued_on: date
    deadline: date | None
    replaces: str | None
    city_fr: str
    city_ar: str
    service_fr: str
    service_ar: str
    case_reference: str
    subject_label: str
    subject_kind: str
    identifiers: list[Identifier]
    address: str
    arrondissement_fr: str
    arrondissement_ar: str
    observed_at: datetime  # the phone's clock
    received_at: datetime  # the server's, when the inspection was recorded
    late_reason: str
    sent_at: datetime | None  # the phone's clock when it sent the form (None: not said)
    position: str  # at submission, "lat, lon (± m)"; empty: no GPS fix
    opened_position: str  # when the form was opened
    officer_name: str
    officer_badge: str
    findings: list[NoticeFinding]
    amount_due: Decimal
    payment_due: date | None
    observations: str
    measurements: dict[str, Decimal]
    verify_url: str
    access_url: str  # where its recipient opens their case, with the code below
    photo_keys: list[str] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)  # what a court could doubt, in French
    access_code: str = ""  # the recipient's private code, printed once (a preview has none)


def notice_content(
    *,
    kind: NoticeKind,
    number: str,
    issued_on: date,
    deadline: date | None,
    replaces: str | None,
    case: Case,
    opening: Inspection,
    officer_name: str,
    officer_badge: str,
    territory: Territory,
    public_url: str,
) -> NoticeContent:
    location: dict[str, Any] = case.location
    arrondissement = territory.arrondissements.get(location.get("arrondissement", ""))
    service_fr, service_ar = BRIGADES[case.brigade]
    ticket = case.ticket or {}
    return NoticeContent(
        kind=kind,
        title_fr=NOTICE_RULES[kind].label,
        title_ar=TITLES_AR[kind],
        number=number,
        issued_on=issued_on,
        deadline=deadline,
        replaces=replaces,
        city_fr=territory.name_fr,
        city_ar=territory.name_ar,
        service_fr=service_fr,
        service_ar=service_ar,
        case_reference=case.reference,
        subject_label=case.subject_label,
        subject_kind=opening.subject.get("kind", ""),
        identifiers=identifiers_of(opening.subject),
        address=location.get("address", "") or "",
        arrondissement_fr=arrondissement.name_fr if arrondissement else "",
        arrondissement_ar=arrondissement.name_ar if arrondissement else "",
        observed_at=opening.observed_at.astimezone(territory.timezone),
        received_at=opening.created_on.astimezone(territory.timezone),
        late_reason=opening.late_reason,
        sent_at=opening.sent_at.astimezone(territory.timezone) if opening.sent_at else None,
        position=_position(opening.location),
        opened_position=_position(opening.opened_location or {}),
        officer_name=officer_name,
        officer_badge=officer_badge,
        findings=[
            NoticeFinding(
                code=f["code"],
                label_fr=f["label_fr"],
                label_ar=f["label_ar"],
                legal_basis=f["legal_basis"],
                quantity=f.get("quantity"),
                amount=f["amount"],
            )
            for f in case.findings
        ],
        amount_due=case.amount_due if case.ticket else case.fine_assessed,
        payment_due=ticket.get("payment_due"),
        observations=opening.observations,
        measurements=dict(opening.measurements),
        verify_url=f"{public_url.rstrip('/')}/verifier/{number}",
        access_url=f"{public_url.rstrip('/')}/mon-avis",
        photo_keys=[e["thumbnail_key"] for e in opening.evidence if e.get("thumbnail_key")],
    )


def _position(place: dict[str, Any]) -> str:
    if place.get("lat") is None or place.get("lon") is None:
        return ""
    accuracy = place.get("accuracy_m")
    said = f"{place['lat']:.5f}, {place['lon']:.5f}"
    return said if accuracy is None else f"{said} (± {round(accuracy)} m)"
