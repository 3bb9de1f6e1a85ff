"""The versioned infraction catalogue: what each brigade may cite, on which legal basis, for
which fine, on a given day.

Versions live as YAML under ``police/data/catalogue``: the first is complete, each later one
amends its predecessor (changes, additions, repeals), the way municipal orders amend each other.
Inspections copy the entries they cite, as they stood that day, into their events.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from police.errors import N_, InvalidInput
from police.roles import BRIGADE_LABELS, Brigade

DEFAULT_DIRECTORY = Path(__file__).parent / "data" / "catalogue"


class Workflow(StrEnum):
    NOTICE = "notice"  # opened -> validated -> notified -> follow-up -> resolved / escalated
    TICKET = "ticket"  # the officer issues the ticket on the spot; one case per ticket


class Measurement(StrEnum):
    SQUARE_METRES = "m2"
    COUNT = "count"


@dataclass(frozen=True)
class Infraction:
    code: str
    brigade: Brigade
    label_fr: str
    label_ar: str
    legal_basis: str
    fine: Decimal
    deadline_days: int
    fine_per_unit: bool = False
    measurement: Measurement | None = None
    repeat_surcharge_percent: int = 0

    def fine_for(self, quantity: Decimal | None) -> Decimal:
        if self.fine_per_unit and quantity is not None:
            return money(self.fine * quantity)
        return self.fine

    def recorded(
        self, version: str, quantity: Decimal | None, *, derived: bool = False
    ) -> dict[str, Any]:
        """This entry as it stands in catalogue ``version``, copied into an inspection's event."""
        return {
            "code": self.code,
            "label_fr": self.label_fr,
            "label_ar": self.label_ar,
            "legal_basis": self.legal_basis,
            "fine": self.fine,
            "fine_per_unit": self.fine_per_unit,
            "measurement": self.measurement,
            "quantity": quantity,
            "amount": self.fine_for(quantity),
            "deadline_days": self.deadline_days,
            "repeat_surcharge_percent": self.repeat_surcharge_percent,
            "catalogue_version": version,
            "derived": derived,
        }


@dataclass(frozen=True)
class Ticketing:
    """How a brigade that tickets on the spot numbers its tickets, and when they are due."""

    series: str
    payment_days: int


@dataclass(frozen=True)
class BrigadeRules:
    brigade: Brigade
    workflow: Workflow
    case_series: str
    same_place_radius_m: int = 100
    ticketing: Ticketing | None = None  # set exactly for the ticket workflow
    # An observation older than this at its receipt needs the officer's reason (late entry).
    offline_window_hours: int = 72
    # A position less precise than this is flagged (the officer is warned before sending).
    accuracy_threshold_m: int = 50
    # Whether a contestation suspends the fine and deadlines while it is examined (the
    # recipient's page says which); by default the penalties stand meanwhile.
    appeal_suspends: bool = False

    @property
    def offline_window(self) -> timedelta:
        return timedelta(hours=self.offline_window_hours)


@dataclass(frozen=True)
class Measure:
    """An on-the-spot measure (clamp, impound) and its fee."""

    code: str
    brigade: Brigade
    label_fr: str
    label_ar: str
    fee: Decimal


@dataclass(frozen=True)
class CatalogueVersion:
    version: str
    effective_from: date
    title: str
    brigades: Mapping[Brigade, BrigadeRules]
    infractions: Mapping[str, Infraction]
    measures: Mapping[str, Measure]

    def rules(self, brigade: Brigade | str) -> BrigadeRules:
        return self.brigades[Brigade(brigade)]

    def for_brigade(self, brigade: Brigade | str) -> list[Infraction]:
        return [i for i in self.infractions.values() if i.brigade == brigade]

    def infraction(self, code: str, brigade: Brigade | str) -> Infraction:
        found = self.infractions.get(code)
        if found is None:
            raise InvalidInput(
                N_("Infraction inconnue : « {code} » (catalogue {version})."),
                field="findings",
                code=code,
                version=self.version,
            )
        if found.brigade != brigade:
            raise InvalidInput(
                N_("L'infraction {code} ne relève pas de la brigade « {brigade} »."),
                field="findings",
                code=code,
                brigade=BRIGADE_LABELS[Brigade(brigade)],
            )
        return found

    def measure(self, code: str, brigade: Brigade | str) -> Measure:
        found = self.measures.get(code)
        if found is None or found.brigade != brigade:
            raise InvalidInput(N_("Mesure inconnue : « {code} »."), field="measures", code=code)
        return found


class Catalogue:
    """Every version of the catalogue, and which one was in force on a given day."""

    def __init__(self, versions: list[CatalogueVersion]) -> None:
        if not versions:
            raise ValueError("a catalogue needs at least one version")
        self.versions = sorted(versions, key=lambda v: v.effective_from)
        self._starts = [v.effective_from for v in self.versions]

    @classmethod
    def load(cls, directory: Path = DEFAULT_DIRECTORY) -> Catalogue:
        return cls(_load_versions(sorted(directory.glob("*.yaml"))))

    def in_force_on(self, day: date) -> CatalogueVersion:
        index = bisect.bisect_right(self._starts, day) - 1
        if index < 0:
            raise InvalidInput(
                N_("Aucun catalogue des infractions n'était en vigueur le {day}."),
                day=day.strftime("%d/%m/%Y"),
            )
        return self.versions[index]

    @property
    def latest(self) -> CatalogueVersion:
        return self.versions[-1]


def money(value: object) -> Decimal:
    """An amount in MAD, to the centime."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


# --- loading -------------------------------------------------------------------------------


def _load_versions(paths: list[Path]) -> list[CatalogueVersion]:
    by_version: dict[str, CatalogueVersion] = {}
    documents = [yaml.safe_load(p.read_text(encoding="utf-8")) | {"_path": p} for p in paths]
    for doc in sorted(documents, key=lambda d: d["effective_from"]):
        base = by_version.get(doc["amends"]) if "amends" in doc else None
        if "amends" in doc and base is None:
            raise ValueError(f"{doc['_path']}: amends unknown version {doc['amends']!r}")
        version = _amend(base, doc) if base else _complete(doc)
        by_version[version.version] = version
    return list(by_version.values())


def _complete(doc: dict[str, Any]) -> CatalogueVersion:
    infractions = [_infraction(raw) for raw in doc["infractions"]]
    codes = [i.code for i in infractions]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{doc['_path']}: duplicate infraction codes")
    return CatalogueVersion(
        version=str(doc["version"]),
        effective_from=doc["effective_from"],
        title=doc["title"],
        brigades={
            Brigade(code): BrigadeRules(brigade=Brigade(code), **_rules(raw))
            for code, raw in doc["brigades"].items()
        },
        infractions={i.code: i for i in infractions},
        measures={code: _measure(code, raw) for code, raw in doc.get("measures", {}).items()},
    )


def _amend(base: CatalogueVersion, doc: dict[str, Any]) -> CatalogueVersion:
    infractions = dict(base.infractions)
    for code, changes in doc.get("changes", {}).items():
        if code not in infractions:
            raise ValueError(f"{doc['_path']}: changes unknown infraction {code}")
        infractions[code] = _infraction({**_raw(infractions[code]), **changes})
    for raw in doc.get("added", []):
        if raw["code"] in infractions:
            raise ValueError(f"{doc['_path']}: adds existing infraction {raw['code']}")
        infractions[raw["code"]] = _infraction(raw)
    for code in doc.get("repealed", []):
        infractions.pop(code)
    return replace(
        base,
        version=str(doc["version"]),
        effective_from=doc["effective_from"],
        title=doc.get("title", base.title),
        infractions=infractions,
    )


def _infraction(raw: dict[str, Any]) -> Infraction:
    measurement = Measurement(raw["measurement"]) if raw.get("measurement") else None
    infraction = Infraction(
        code=raw["code"],
        brigade=Brigade(raw["brigade"]),
        label_fr=raw["label"]["fr"],
        label_ar=raw["label"]["ar"],
        legal_basis=raw["legal_basis"],
        fine=money(raw["fine"]),
        deadline_days=int(raw["deadline_days"]),
        fine_per_unit=bool(raw.get("fine_per_unit", False)),
        measurement=measurement,
        repeat_surcharge_percent=int(raw.get("repeat_surcharge_percent", 0)),
    )
    if infraction.fine_per_unit and measurement is None:
        raise ValueError(f"{infraction.code}: a fine per unit needs a measurement")
    return infraction


def _raw(infraction: Infraction) -> dict[str, Any]:
    return {
        "code": infraction.code,
        "brigade": infraction.brigade,
        "label": {"fr": infraction.label_fr, "ar": infraction.label_ar},
        "legal_basis": infraction.legal_basis,
        "fine": infraction.fine,
        "deadline_days": infraction.deadline_days,
        "fine_per_unit": infraction.fine_per_unit,
        "measurement": infraction.measurement,
        "repeat_surcharge_percent": infraction.repeat_surcharge_percent,
    }


def _rules(raw: dict[str, Any]) -> dict[str, Any]:
    rules = dict(raw)
    workflow = Workflow(rules.pop("workflow"))
    series, days = rules.pop("ticket_series", None), rules.pop("payment_days", None)
    ticket = workflow is Workflow.TICKET
    if bool(series) != ticket or bool(days) != ticket:
        raise ValueError(f"{raw}: ticket_series and payment_days go with the ticket workflow")
    ticketing = Ticketing(str(series), int(days)) if ticket else None
    return {**rules, "workflow": workflow, "ticketing": ticketing}


def _measure(code: str, raw: dict[str, Any]) -> Measure:
    return Measure(
        code=code,
        brigade=Brigade(raw["brigade"]),
        label_fr=raw["label"]["fr"],
        label_ar=raw["label"]["ar"],
        fee=money(raw["fee"]),
    )
