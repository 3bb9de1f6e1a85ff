"""What the officer is shown once an inspection is on record: the receipt, built from the
inspection, its case and its subject (a pure function of them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from police.aggregates.case import Case
from police.aggregates.inspection import Inspection
from police.aggregates.subject import Subject
from police.workflow import NoticeKind


@dataclass(frozen=True)
class InspectionReceipt:
    """What the officer sees once the inspection is on record."""

    inspection_id: UUID
    compliant: bool
    case_id: UUID | None
    case_reference: str | None
    case_opened: bool
    ticket_number: str | None
    ticket_amount: Decimal | None
    fees: Decimal | None
    prior_case_references: tuple[str, ...]
    duplicate: bool
    ticket_notice: str | None = None  # the number of its avis de contravention, once issued

    @property
    def repeat_offender(self) -> bool:
        return bool(self.prior_case_references)


def receipt_of(
    inspection: Inspection, case: Case | None, subject: Subject, *, duplicate: bool, since: date
) -> InspectionReceipt:
    """The receipt; ``since``: how far back the subject's prior cases make a repeat offence."""
    opened = case is not None and case.inspections[0]["id"] == inspection.id
    avis = case.notice_in_force(NoticeKind.AVIS_CONTRAVENTION) if case and opened else None
    ticket: dict[str, Any] | None = case.ticket if (case is not None and opened) else None
    prior = subject.cases_since(since)
    return InspectionReceipt(
        inspection_id=inspection.id,
        compliant=inspection.compliant,
        case_id=case.id if case else None,
        case_reference=case.reference if case else None,
        case_opened=opened,
        ticket_number=ticket["number"] if ticket else None,
        ticket_amount=ticket["amount"] if ticket else None,
        fees=ticket["fees"] if ticket else None,
        prior_case_references=tuple(
            c["reference"] for c in prior if case is None or c["case_id"] != case.id
        ),
        duplicate=duplicate,
        ticket_notice=avis["number"] if avis else None,
    )
