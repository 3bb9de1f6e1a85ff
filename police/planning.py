"""The rules of planned work (``police/data/planning.yaml``): an establishment's hygiene risk
category from its activity's inherent risk and its record, the date its routine visit is due
(the territory's frequency per category), and which officer a new visit goes to.

The category is a judgement a supervisor may have to defend, so it comes with its reasons.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any
from uuid import UUID

import yaml

from police.errors import N_
from police.identifiers import slug

DEFAULT_FILE = Path(__file__).parent / "data" / "planning.yaml"
_OUTSIDE = N_("activité hors du contrôle d'hygiène : pas de visite de routine")


class RiskCategory(StrEnum):
    """A (the highest risk, the most frequent visits) to E, as the UK food law code grades."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"


class InherentRisk(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class VisitKind(StrEnum):
    FOLLOW_UP = "follow_up"
    REPORT = "report"
    SITE_VISIT = "site_visit"
    CAMPAIGN = "campaign"


INHERENT_LABELS = {
    InherentRisk.HIGH: N_("activité à risque élevé"),
    InherentRisk.MEDIUM: N_("activité à risque moyen"),
    InherentRisk.LOW: N_("activité à faible risque"),
}


@dataclass(frozen=True)
class Reason:
    """One line of why: a sentence to translate, its values, and the points it weighs."""

    text: str
    points: int
    params: Mapping[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class EstablishmentRecord:
    """What the register knows of an establishment's hygiene record."""

    activity: str
    last_compliant: bool | None = None  # None: never inspected
    hygiene_cases: int = 0
    closure_orders: int = 0


@dataclass(frozen=True)
class RiskAssessment:
    category: RiskCategory
    reasons: tuple[Reason, ...]
    routine: bool = True  # False: an activity outside food and shop hygiene, never inspected


@dataclass(frozen=True)
class PlanningRules:
    activity_risk: Mapping[InherentRisk, tuple[str, ...]]
    outside_hygiene: tuple[str, ...]
    inherent_points: Mapping[InherentRisk, int]
    not_compliant_points: int
    repeat_points: int
    closure_points: int
    assignment: str  # lightest_load | by_hand
    load_weights: Mapping[VisitKind, int]

    @classmethod
    def load(cls, path: Path = DEFAULT_FILE) -> PlanningRules:
        doc: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        points = doc["points"]
        if doc["assignment"] not in ("lightest_load", "by_hand"):
            raise ValueError(f"{path}: assignment must be lightest_load or by_hand")
        return cls(
            activity_risk={
                InherentRisk(level): tuple(slug(w) for w in words)
                for level, words in doc["activity_risk"].items()
            },
            outside_hygiene=tuple(slug(w) for w in doc.get("outside_hygiene") or ()),
            inherent_points={InherentRisk(k): int(v) for k, v in points["inherent"].items()},
            not_compliant_points=int(points["last_inspection_not_compliant"]),
            repeat_points=int(points["repeat_offence"]),
            closure_points=int(points["closure_order"]),
            assignment=doc["assignment"],
            load_weights={VisitKind(k): int(v) for k, v in doc["load_weights"].items()},
        )

    def inherent_risk(self, activity: str) -> InherentRisk:
        for level, keys in self.activity_risk.items():
            if _names(activity, keys):
                return level
        return InherentRisk.MEDIUM

    def assess(self, record: EstablishmentRecord) -> RiskAssessment:
        inherent = self.inherent_risk(record.activity)
        reasons = [Reason(INHERENT_LABELS[inherent], self.inherent_points[inherent])]
        if record.last_compliant is False:
            reasons.append(Reason(N_("dernier contrôle non conforme"), self.not_compliant_points))
        if record.hygiene_cases >= 2:
            reasons.append(
                Reason(
                    N_("récidive : {count} dossiers d'hygiène"),
                    self.repeat_points,
                    {"count": record.hygiene_cases},
                )
            )
        if record.closure_orders:
            reasons.append(Reason(N_("ordre de fermeture"), self.closure_points))
        routine = record.last_compliant is not None or not _names(
            record.activity, self.outside_hygiene
        )
        if not routine:
            reasons.append(
                Reason(N_("activité hors du contrôle d'hygiène : pas de visite de routine"), 0)
            )
        return RiskAssessment(
            category_of(sum(r.points for r in reasons)), tuple(reasons), routine=routine
        )

    def load_of(self, kinds: Sequence[str]) -> int:
        return sum(self.load_weights.get(VisitKind(k), 1) for k in kinds)


def _names(activity: str, keys: Sequence[str]) -> bool:
    """Whether the activity, as written, holds one of ``keys`` (slugs) as whole words."""
    words = f"-{slug(activity)}-"
    return any(f"-{key}-" in words for key in keys)


def category_of(points: int) -> RiskCategory:
    """5 points and more: A; 4: B; 3: C; 2: D; less: E."""
    return [RiskCategory.E, RiskCategory.D, RiskCategory.C, RiskCategory.B, RiskCategory.A][
        max(0, min(points, 5) - 1)
    ]


def routine_due(
    category: RiskCategory,
    last_visit: date | None,
    known_since: date,
    frequencies: Mapping[str, int],
) -> date:
    """When the next routine visit is due: a frequency after the last hygiene inspection, or at
    once for an establishment never inspected (due the day it became known)."""
    if last_visit is None:
        return known_since
    return last_visit + timedelta(days=frequencies[category.value])


def lightest(
    candidates: Sequence[UUID], loads: Mapping[UUID, int], order: Mapping[UUID, int]
) -> UUID:
    """The candidate with the lightest load; between equals, the one given work the longest
    ago (``order``: the sequence number of each one's last assignment), then the smallest id,
    so the rule never depends on the order the candidates are listed in."""
    return min(candidates, key=lambda c: (loads.get(c, 0), order.get(c, -1), str(c)))
