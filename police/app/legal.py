"""Legal staff's follow-up of a case: service of notices, fines, payments, appeals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from police.aggregates.case import Case
from police.app.cases import CaseCommands


class LegalCommands(CaseCommands):
    def record_service(
        self,
        case_id: UUID,
        actor_id: UUID,
        *,
        number: str,
        method: str,
        served_on: date,
        served_to: str,
        expected_version: int | None = None,
    ) -> Case:
        return self._change_case(
            case_id,
            actor_id,
            lambda c, a: c.record_service(
                a,
                number=number,
                method=method,
                served_on=served_on,
                served_to=served_to,
                today=self.today(),
            ),
            expected_version,
        )

    def impose_fine(
        self,
        case_id: UUID,
        actor_id: UUID,
        *,
        reason: str,
        due_on: date,
        amount: Decimal | None = None,
        expected_version: int | None = None,
    ) -> Case:
        """The fine assessed from the catalogue (with any repeat-offence surcharge) unless
        legal staff set another amount."""
        return self._change_case(
            case_id,
            actor_id,
            lambda c, a: c.impose_fine(
                a,
                amount=c.fine_assessed if amount is None else amount,
                reason=reason,
                due_on=due_on,
                today=self.today(),
            ),
            expected_version,
        )

    def record_payment(
        self,
        case_id: UUID,
        actor_id: UUID,
        *,
        amount: Decimal,
        receipt_number: str,
        paid_on: date,
        expected_version: int | None = None,
    ) -> Case:
        return self._change_case(
            case_id,
            actor_id,
            lambda c, a: c.record_payment(
                a,
                amount=amount,
                receipt_number=receipt_number,
                paid_on=paid_on,
                today=self.today(),
            ),
            expected_version,
        )

    def file_appeal(
        self,
        case_id: UUID,
        actor_id: UUID,
        *,
        filed_on: date,
        grounds: str,
        against: str,
        expected_version: int | None = None,
    ) -> Case:
        return self._change_case(
            case_id,
            actor_id,
            lambda c, a: c.file_appeal(
                a, filed_on=filed_on, grounds=grounds, against=against, today=self.today()
            ),
            expected_version,
        )

    def decide_appeal(
        self,
        case_id: UUID,
        actor_id: UUID,
        *,
        outcome: str,
        decided_on: date,
        note: str = "",
        expected_version: int | None = None,
    ) -> Case:
        return self._change_case(
            case_id,
            actor_id,
            lambda c, a: c.decide_appeal(
                a, outcome=outcome, decided_on=decided_on, note=note, today=self.today()
            ),
            expected_version,
        )
