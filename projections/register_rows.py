"""The rows of the establishment register: its filters, an establishment with the reasons for
its risk category, a page of them, the share inspected within their frequency."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RegisterFilters:
    arrondissement: str = ""
    category: str = ""  # A-E, the effective category
    due: str = ""  # "overdue": due before today; "due": within 30 days; "": all
    text: str = ""  # name, ICE or address


@dataclass(frozen=True)
class RiskReason:
    text: str  # a message id, its values in ``params``
    params: dict[str, Any]
    points: int


@dataclass(frozen=True)
class RegisterRow:
    """An establishment in the register: its hygiene record, category and next routine visit."""

    subject_id: str
    subject_key: str
    label: str
    activity: str
    ice: str
    address: str
    arrondissement: str
    lat: float | None
    lon: float | None
    known_since: str
    last_hygiene_on: str | None
    last_compliant: bool | None
    hygiene_cases: int
    closure_orders: int
    computed_category: str
    reasons: tuple[RiskReason, ...]
    override_category: str | None
    override_reason: str
    category: str
    frequency_days: int
    due_on: str | None  # None: no routine visit (an activity outside hygiene)
    overdue: bool  # due before the day asked


@dataclass(frozen=True)
class RegisterPage:
    rows: list[RegisterRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class Coverage:
    """Establishments inspected within their frequency, overall (``arrondissement`` "") or in
    one arrondissement."""

    arrondissement: str
    establishments: int
    covered: int
    overdue: int

    @property
    def share(self) -> float:
        return self.covered / self.establishments if self.establishments else 0.0
