"""The permit registry's commands: the permits office grants, amends, renews, suspends,
reinstates and revokes occupation permits, and prints each edition's arrêté; public-domain
inspections read them.

A grant takes its number from its kind's series of the year (gap-free), links the permit to
its holder (found or made as inspections do) and, for a billboard, claims its structure
identifier, all in one atomic save: two grants racing for the same holder or structure collide
and the retry checks again.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from police.aggregates.billboard import BillboardStructure
from police.aggregates.permit import Permit, PermitKind
from police.aggregates.subject import Subject
from police.app.base import BaseApp
from police.errors import N_, Conflict, InvalidInput
from police.identifiers import clean_text, identify, normalize_permit_number
from police.notices.arrete import arrete_content, render_arrete_pdf
from police.permit_terms import (
    SERIES,
    CheckedTerms,
    PermitTerms,
    amount,
    check_terms,
    payment_reference,
    same_place,
)
from police.roles import Brigade, Role

_OFFICE = (Role.PERMITS,)
_CASHIERS = (Role.PERMITS, Role.LEGAL)
_STALE = N_(
    "L'autorisation {number} a été modifiée entre-temps : rechargez la page pour voir ce qui a "
    "changé, puis recommencez."
)


class PermitCommands(BaseApp):
    def grant_permit(
        self,
        actor_id: UUID,
        terms: PermitTerms,
        *,
        application: str | None = None,
        decide: Callable[[Permit, UUID], Sequence[Any]] = lambda permit, actor_id: (),
    ) -> str:
        """Grants a permit; returns its number (AOT-TER-2026-000042).

        ``application``: granted on that online application, the permit is in force once its
        fee is paid, by the payment reference it is given here; ``decide`` returns what else
        the same atomic save records (the application's decision), checked again on a retry.
        """
        actor = self.actor(actor_id)
        actor.require(_OFFICE)
        checked = check_terms(terms, self.territory)
        identity = identify(terms.holder, Brigade.PUBLIC_DOMAIN, checked.location["arrondissement"])
        series, year = SERIES[checked.kind], self.today().year

        def attempt() -> str:
            subject = self._subject(identity, actor.id)
            self._check_no_overlap(subject, checked, excluding=None)
            counter = self.numbering.counter(series, year)
            number = counter.format(counter.last + 1)
            permit_id = Permit.create_id(number)
            counter.take(permit_id)
            payment = None
            if application is not None:
                payment = {"application": application, "reference": payment_reference(number)}
            permit = Permit(
                number=number,
                actor_id=actor.id,
                holder_subject_id=subject.id,
                holder_label=identity.label,
                kind=checked.kind,
                payment=payment,
                **checked.facts(),
            )
            subject.link_permit(
                actor_id=actor.id, permit_id=permit.id, number=number, kind=checked.kind
            )
            structure = self._claim_structure(checked, permit, actor.id)
            self.save(permit, subject, counter, structure, *decide(permit, actor.id))
            self.numbering.saved([counter])
            return number

        with self._subject_locks.hold(identity.id), self.numbering.series(year, series):
            return self._retrying(attempt)

    def amend_permit(
        self,
        actor_id: UUID,
        number: str,
        terms: PermitTerms,
        *,
        reason: str,
        expected_version: int | None = None,
    ) -> None:
        """A new edition of the permit with the terms that changed, and why. The holder in
        ``terms`` is not read: another holder is another permit."""
        why = clean_text(reason, field="reason", label=N_("Motif"), required=True)
        checked = check_terms(terms, self.territory)

        def change(permit: Permit, actor_id: UUID) -> None:
            if checked.kind != permit.kind:
                raise InvalidInput(
                    N_("Le type ne change pas : accordez une autre autorisation."), field="kind"
                )
            holder = self._find(Subject, permit.holder_subject_id)
            if holder is not None:
                self._check_no_overlap(holder, checked, excluding=permit.id)
            permit.amend(actor_id, checked.facts(), why)

        self._change_permit(actor_id, number, expected_version, change)

    def renew_permit(
        self,
        actor_id: UUID,
        number: str,
        *,
        valid_until: date,
        fee: Decimal,
        expected_version: int | None = None,
    ) -> None:
        price = amount(fee, "fee")

        def change(permit: Permit, actor_id: UUID) -> None:
            permit.renew(actor_id, valid_until, price)

        self._change_permit(actor_id, number, expected_version, change)

    def suspend_permit(
        self, actor_id: UUID, number: str, *, reason: str, expected_version: int | None = None
    ) -> None:
        why = clean_text(reason, field="reason", label=N_("Motif"), required=True)
        self._change_permit(actor_id, number, expected_version, lambda p, a: p.suspend(a, why))

    def reinstate_permit(
        self, actor_id: UUID, number: str, *, reason: str, expected_version: int | None = None
    ) -> None:
        why = clean_text(reason, field="reason", label=N_("Motif"), required=True)
        self._change_permit(actor_id, number, expected_version, lambda p, a: p.reinstate(a, why))

    def revoke_permit(
        self, actor_id: UUID, number: str, *, reason: str, expected_version: int | None = None
    ) -> None:
        why = clean_text(reason, field="reason", label=N_("Motif"), required=True)
        self._change_permit(actor_id, number, expected_version, lambda p, a: p.revoke(a, why))

    def find_permit(self, number: str) -> Permit | None:
        return self._find(Permit, Permit.create_id(normalize_permit_number(number)))

    def holder_of(self, permit: Permit) -> Subject | None:
        return self._find(Subject, permit.holder_subject_id)

    def print_arrete(self, actor_id: UUID, number: str) -> dict[str, Any]:
        """The arrêté of the permit's current edition: rendered and stored at its first print
        and put on record; every later print returns the same stored file."""
        permit = self._change_permit(actor_id, number, None, self._print)
        return permit.arretes[permit.edition]

    def record_permit_payment(
        self,
        actor_id: UUID,
        number: str,
        *,
        receipt_number: str,
        amount_paid: Decimal,
        expected_version: int | None = None,
    ) -> None:
        """The cashier (the permits office or legal staff) records the fee's payment: the
        permit is in force from then, and its arrêté is printed for the holder."""
        receipt = clean_text(
            receipt_number, field="receipt_number", label=N_("N° de quittance"), required=True
        )
        paid = amount(amount_paid, "amount")

        def change(permit: Permit, actor_id: UUID) -> None:
            permit.record_payment(
                actor_id, receipt_number=receipt, amount=paid, paid_on=self.today()
            )
            self._print(permit, actor_id)

        self._change_permit(actor_id, number, expected_version, change, roles=_CASHIERS)

    def _print(self, permit: Permit, actor_id: UUID) -> None:
        if permit.edition in permit.arretes:
            return
        content = arrete_content(
            permit, self.territory, issued_on=self.today(), public_url=self.public_url
        )
        pdf = render_arrete_pdf(content)
        stored = self.objects.put("arretes", io.BytesIO(pdf), "application/pdf")
        permit.record_arrete(actor_id, stored.key, stored.sha256, stored.size)

    # --- helpers ---------------------------------------------------------------------------

    def _change_permit(
        self,
        actor_id: UUID,
        number: str,
        expected_version: int | None,
        change: Callable[[Permit, UUID], None],
        roles: tuple[Role, ...] = _OFFICE,
    ) -> Permit:
        permit_id = Permit.create_id(normalize_permit_number(number))

        def attempt() -> Permit:
            actor = self.actor(actor_id)
            actor.require(roles)
            permit = self._get(Permit, permit_id, N_("Autorisation introuvable."))
            if expected_version is not None and permit.version != expected_version:
                raise Conflict(_STALE, number=permit.number)
            change(permit, actor.id)
            if permit.pending_events:
                self.save(permit)
            return permit

        return self._retrying(attempt)

    def _check_no_overlap(
        self, holder: Subject, checked: CheckedTerms, excluding: UUID | None
    ) -> None:
        """Refuses a second permit of the same kind for the same place and days."""
        for permit_id in holder.permit_ids:
            if permit_id == excluding:
                continue
            other = self._find(Permit, permit_id)
            if (
                other is not None
                and other.kind == checked.kind
                and not other.revoked
                and other.valid_from <= checked.valid_until
                and checked.valid_from <= other.valid_until
                and same_place(other.location, other.outline, checked.location, checked.outline)
            ):
                raise InvalidInput(
                    N_(
                        "Ce titulaire a déjà l'autorisation {number} pour ce lieu du {start} au "
                        "{end} : modifiez-la ou renouvelez-la plutôt."
                    ),
                    field="valid_from",
                    number=other.number,
                    start=other.valid_from.isoformat(),
                    end=other.valid_until.isoformat(),
                )

    def _claim_structure(
        self, checked: CheckedTerms, permit: Permit, actor_id: UUID
    ) -> BillboardStructure | None:
        if checked.kind is not PermitKind.BILLBOARD or checked.billboard is None:
            return None
        structure_id = checked.billboard["structure_id"]
        structure = self._find(BillboardStructure, BillboardStructure.create_id(structure_id))
        if structure is None:
            return BillboardStructure(
                structure_id=structure_id,
                permit_id=permit.id,
                permit_number=permit.number,
                actor_id=actor_id,
            )
        current = self._find(Permit, structure.permit_id)
        if current is not None and current.in_force_after(checked.valid_from):
            raise InvalidInput(
                N_("La structure {structure} est déjà sous l'autorisation {number}."),
                field="structure_id",
                structure=structure_id,
                number=current.number,
            )
        structure.stand_under(permit_id=permit.id, permit_number=permit.number, actor_id=actor_id)
        return structure
