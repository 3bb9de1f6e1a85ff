"""From what the officer typed about the subject to its identity: kind, natural key, label.

Vehicles are keyed by their normalised plate; establishments by ICE, else RC, else their trade
name and address; persons by CIN, else name and arrondissement.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from police.aggregates.subject import Subject
from police.errors import N_, InvalidInput
from police.identifiers import normalize_cin, normalize_ice, normalize_plate, normalize_rc
from police.roles import Brigade
from police.text import clean_text


class SubjectKind(StrEnum):
    VEHICLE = "vehicle"
    ESTABLISHMENT = "establishment"
    PERSON = "person"


SUBJECT_KINDS_BY_BRIGADE: dict[Brigade, tuple[SubjectKind, ...]] = {
    Brigade.PARKING: (SubjectKind.VEHICLE,),
    Brigade.HYGIENE: (SubjectKind.ESTABLISHMENT, SubjectKind.PERSON),
    Brigade.PUBLIC_DOMAIN: (SubjectKind.ESTABLISHMENT, SubjectKind.PERSON),
}


@dataclass(frozen=True)
class SubjectInput:
    """The subject fields of a form, as typed."""

    kind: str
    plate: str = ""
    foreign_plate: bool = False
    make: str = ""
    colour: str = ""
    trade_name: str = ""
    ice: str = ""
    rc: str = ""
    activity: str = ""
    address: str = ""
    full_name: str = ""
    cin: str = ""


@dataclass(frozen=True)
class SubjectIdentity:
    kind: SubjectKind
    key: str
    label: str
    identifiers: dict[str, str]
    details: dict[str, str]

    @property
    def id(self) -> UUID:
        return Subject.create_id(self.key)

    def as_recorded(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "key": self.key,
            "label": self.label,
            "identifiers": self.identifiers,
            "details": self.details,
        }


def identify(subject: SubjectInput, brigade: Brigade, arrondissement: str) -> SubjectIdentity:
    try:
        kind = SubjectKind(subject.kind)
    except ValueError:
        kind = None
    if kind not in SUBJECT_KINDS_BY_BRIGADE[brigade]:
        raise InvalidInput(
            N_("Type de mis en cause « {kind} » impossible pour cette brigade."),
            field="subject_kind",
            kind=subject.kind,
        )
    if kind is SubjectKind.VEHICLE:
        return _vehicle(subject)
    if kind is SubjectKind.ESTABLISHMENT:
        return _establishment(subject, arrondissement)
    return _person(subject, arrondissement)


def _short(value: str, field: str, label: str, *, required: bool = False) -> str:
    return clean_text(value, field=field, label=label, required=required, max_length=200)


def _vehicle(subject: SubjectInput) -> SubjectIdentity:
    plate = normalize_plate(subject.plate, foreign=subject.foreign_plate)
    return SubjectIdentity(
        kind=SubjectKind.VEHICLE,
        key=plate.key,
        label=plate.latin,
        identifiers={
            "plate": plate.canonical,
            "plate_latin": plate.latin,
            "plate_kind": plate.kind,
        },
        details={
            "make": _short(subject.make, "make", N_("Marque")),
            "colour": _short(subject.colour, "colour", N_("Couleur")),
        },
    )


def _establishment(subject: SubjectInput, arrondissement: str) -> SubjectIdentity:
    name = _short(subject.trade_name, "trade_name", N_("Enseigne / raison sociale"), required=True)
    ice = normalize_ice(subject.ice) if subject.ice.strip() else ""
    rc = normalize_rc(subject.rc) if subject.rc.strip() else ""
    address = _short(subject.address, "address", N_("Adresse"))
    if ice:
        key = f"ice:{ice}"
    elif rc:
        key = f"rc:{rc}"
    else:
        if not address:
            raise InvalidInput(
                N_("Sans ICE ni RC, l'adresse de l'établissement est obligatoire."),
                field="address",
            )
        key = f"establishment:{arrondissement}:{slug(name)}:{slug(address)}"
    return SubjectIdentity(
        kind=SubjectKind.ESTABLISHMENT,
        key=key,
        label=name,
        identifiers={"ice": ice, "rc": rc},
        details={
            "activity": _short(subject.activity, "activity", N_("Activité")),
            "address": address,
        },
    )


def _person(subject: SubjectInput, arrondissement: str) -> SubjectIdentity:
    name = _short(subject.full_name, "full_name", N_("Nom et prénom"), required=True)
    cin = normalize_cin(subject.cin) if subject.cin.strip() else ""
    key = f"cin:{cin}" if cin else f"person:{arrondissement}:{slug(name)}"
    return SubjectIdentity(
        kind=SubjectKind.PERSON,
        key=key,
        label=name,
        identifiers={"cin": cin},
        details={"address": _short(subject.address, "address", N_("Adresse"))},
    )


def slug(text: str) -> str:
    """A spelling-tolerant key: no accents, no case, words joined by dashes."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "-".join(re.findall(r"\w+", bare))
