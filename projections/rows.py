"""The rows the read models answer with: a case in a list or on its page, a timeline line, an
inspection, a notice, a parking ticket of the day, a subject, the overview's figures, a permit,
an application, a report. Planned work answers with ``projections.visit_rows``, the
establishment register with ``projections.register_rows``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from projections.models.timeline import kind_of


@dataclass(frozen=True)
class CaseFilters:
    brigades: tuple[str, ...] = ()  # the viewer's scope; empty: every brigade
    status: str = ""
    arrondissement: str = ""
    assignee: str = ""
    overdue: bool = False
    flagged: bool = False  # an inspection of the case raises a doubt (``police.plausibility``)
    declared: bool = False  # its recipient declared compliance online, no visit since
    opened_from: date | None = None
    opened_to: date | None = None
    text: str = ""


@dataclass(frozen=True)
class CaseRow:
    case_id: str
    reference: str
    brigade: str
    workflow: str
    status: str
    is_open: bool
    subject_id: str
    subject_kind: str
    subject_label: str
    subject_key: str
    arrondissement: str
    address: str
    lat: float | None
    lon: float | None
    opened_at: str
    opened_on: str
    updated_at: str
    assignee_id: str | None
    assignee_name: str | None
    follow_up_on: str | None
    deadline: str | None
    overdue: bool
    ticket_number: str | None
    fine_due: Decimal
    fine_paid: Decimal
    inspections: int
    photos: int
    notices: int
    vehicle_held: bool  # a clamp or an impound on the case, and no release on record yet
    main_infraction: str | None  # the code of its finding with the highest fine
    declared_on: str | None = None  # compliance declared online, the visit still to make


@dataclass(frozen=True)
class Page:
    rows: list[CaseRow]
    total: int
    page: int
    per_page: int
    more: bool = False  # more than ``total`` (the count stopped at COUNT_CAP)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class TimelineLine:
    position: int
    version: int
    at: str
    actor_id: str | None
    actor_name: str
    kind: str  # the event class's name
    params: str

    @cached_property
    def values(self) -> dict[str, Any]:
        """``params`` read once: what the line's wording is made of."""
        values: dict[str, Any] = json.loads(self.params)
        return values

    @cached_property
    def event(self) -> type:
        """The class of the case event the line stands for."""
        return kind_of(self.kind)


@dataclass(frozen=True)
class InspectionLine:
    inspection_id: str
    brigade: str
    recorded_at: str
    case_id: str | None
    case_reference: str | None
    subject_label: str
    address: str
    arrondissement: str
    compliant: bool
    follow_up: bool
    photos: int


@dataclass(frozen=True)
class CaseInspection:
    inspection_id: str
    officer_name: str
    officer_badge: str
    brigade: str
    recorded_at: str
    observed_at: str
    compliant: bool
    follow_up: bool
    photos: list[str]  # SHA-256 of each photo, in the order attached


@dataclass(frozen=True)
class NoticeRow:
    number: str
    case_id: str
    kind: str
    issued_on: str
    deadline: str | None
    object_key: str
    sha256: str
    size: int
    replaces: str | None
    replaced_by: str | None
    served_on: str | None


@dataclass(frozen=True)
class DayTicket:
    """A parking ticket handed over in the street, and its avis de contravention once issued."""

    case_id: str
    reference: str
    ticket_number: str
    subject_label: str
    status: str
    notice_number: str | None
    notice_key: str | None
    notice_sha256: str | None


@dataclass(frozen=True)
class SubjectRow:
    subject_id: str
    kind: str
    subject_key: str
    label: str
    cases: int
    brigades: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Kpi:
    brigade: str
    arrondissement: str
    open: int
    overdue: int
    resolved_this_month: int
    average_days_to_resolution: float | None
    fines_imposed: Decimal
    fines_collected: Decimal


@dataclass(frozen=True)
class PermitFilters:
    kind: str = ""
    state: str = ""  # a PermitState value
    arrondissement: str = ""
    expiring: bool = False  # in force and ending within 30 days
    text: str = ""  # number, holder, address or structure identifier
    billboards: bool | None = None  # only billboards (True), none (False), or both


@dataclass(frozen=True)
class PermitRow:
    permit_id: str
    number: str
    kind: str
    state: str  # on the day asked
    holder_subject_id: str
    holder_label: str
    arrondissement: str
    address: str
    lat: float
    lon: float
    surface_m2: Decimal
    frontage_m: Decimal | None
    depth_m: Decimal | None
    outline: list[list[float]] | None
    walking_path_m: Decimal | None
    hours: str
    season: str
    valid_from: str
    valid_until: str
    fee: Decimal
    structure_id: str | None
    faces: int | None
    m2_per_face: Decimal | None
    lit: bool | None
    company: str | None
    edition: int
    printed_edition: int
    version: int
    distance_m: float | None = None  # from the point asked, for permits nearby
    payment_reference: str | None = None  # granted on an application: its fee's reference
    receipt_number: str | None = None  # once paid
    application_number: str | None = None


@dataclass(frozen=True)
class PermitPage:
    rows: list[PermitRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class ApplicationRow:
    number: str
    kind: str
    status: str  # as PermitApplication.status words it
    holder_label: str
    arrondissement: str
    address: str
    lat: float
    lon: float
    surface_m2: Decimal
    valid_from: str
    valid_until: str
    renewal_of: str | None
    submitted_at: str
    deadline: date
    late: bool  # undecided past its legal deadline
    documents: int
    visit_note: str
    visit_asked_at: str | None
    decided_at: str | None
    permit_number: str | None
    fee: Decimal | None
    paid: bool
    version: int


@dataclass(frozen=True)
class ApplicationKpi:
    kind: str
    received: int
    decided: int
    median_days: float | None
    within_deadline: float | None  # the share of decisions taken within the deadline


@dataclass(frozen=True)
class ReportRow:
    number: str
    brigade: str
    category: str
    status: str  # as Report.status words it
    is_open: bool
    arrondissement: str
    address: str
    lat: float
    lon: float
    description: str
    photo_keys: tuple[str, ...]  # staff only: they may show faces and plates
    source: str
    received_at: str
    triage_due: date
    late: bool  # received, untriaged past its triage deadline
    triaged_at: str | None
    officer_id: str | None
    dispatch_note: str
    original_number: str | None
    refusal: str
    inspected_at: str | None
    case_reference: str | None
    followers: int
    updated_at: str
    version: int
    distance_m: float | None = None  # from the point asked about, when asked


@dataclass(frozen=True)
class ReportKpi:
    brigade: str
    received: int
    triaged: int
    triaged_in_time: float | None  # the share of triaged reports triaged by their deadline
    led_to_case: float | None  # the share of inspected reports that found an infraction
    median_days_to_inspection: float | None
    late: int  # untriaged past their deadline, now
