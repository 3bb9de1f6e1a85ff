"""The permit (autorisation d'occupation temporaire): who may occupy which public space, how
many square metres, under which conditions, for which period and fee. Granted, amended (a new
edition saying what changed and why), renewed, suspended and reinstated, revoked; it expires by
date. A public-domain inspection compares what it measures with what is authorised here.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from police.aggregates.base import PoliceAggregate
from police.errors import N_, InvalidInput, InvalidTransition
from police.identifiers import natural_id


class PermitKind(StrEnum):
    TERRACE = "terrace"
    DISPLAY = "display"
    BILLBOARD = "billboard"
    WORKSITE = "worksite"
    KIOSK = "kiosk"
    VENDING = "vending"


class PermitState(StrEnum):
    UNPAID = "unpaid"  # granted on an application, its fee not yet paid: authorises nothing
    PENDING = "pending"  # granted, not yet in force
    VALID = "valid"
    EXPIRING = "expiring"  # in force, ending within EXPIRING_DAYS
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


EXPIRING_DAYS = 30
# What an amendment may change; another holder or kind is another permit.
AMENDABLE = (
    "location",
    "surface_m2",
    "dimensions",
    "outline",
    "outline_m2",
    "conditions",
    "valid_from",
    "valid_until",
    "fee",
    "billboard",
)


def state_of(
    *,
    revoked: bool,
    suspended: bool,
    valid_from: date,
    valid_until: date,
    day: date,
    unpaid: bool = False,
) -> PermitState:
    """A permit's state on ``day``: what it authorises then (the read models' rows say it too)."""
    if revoked:
        return PermitState.REVOKED
    if suspended:
        return PermitState.SUSPENDED
    if unpaid:
        return PermitState.UNPAID
    if day > valid_until:
        return PermitState.EXPIRED
    if day < valid_from:
        return PermitState.PENDING
    if day > valid_until - timedelta(days=EXPIRING_DAYS):
        return PermitState.EXPIRING
    return PermitState.VALID


class Permit(PoliceAggregate):
    # --- events: each fact it records, and what the fact carries ---

    class Event(PoliceAggregate.Event):
        pass

    class Created(Event, PoliceAggregate.Created):
        pass

    class Granted(Created):
        number: str
        actor_id: UUID
        holder_subject_id: UUID
        holder_label: str
        kind: str
        location: dict[str, Any]
        surface_m2: Decimal
        valid_from: date
        valid_until: date
        fee: Decimal
        # Added with the registry (December 2026); a permit granted before has none of them.
        dimensions: dict[str, Decimal] | None = None
        outline: list[list[float]] | None = None
        outline_m2: Decimal | None = None
        conditions: dict[str, Any] | None = None
        billboard: dict[str, Any] | None = None
        # Added with e-démarches: granted on an online application, valid once its fee is paid
        # ({"reference": payment reference, "application": its number}).
        payment: dict[str, Any] | None = None

    class FeePaid(Event):
        """The cashier's record of the fee's payment: the permit is in force from then."""

        actor_id: UUID
        receipt_number: str
        amount: Decimal
        paid_on: date

    class Amended(Event):
        actor_id: UUID
        reason: str
        changes: dict[str, Any]  # each changed term with its new value
        edition: int

    class Renewed(Event):
        actor_id: UUID
        valid_until: date
        fee: Decimal
        edition: int

    class Suspended(Event):
        actor_id: UUID
        reason: str

    class Reinstated(Event):
        actor_id: UUID
        reason: str

    class Revoked(Event):
        actor_id: UUID
        reason: str

    class ArreteIssued(Event):
        """The PDF of an edition, stored once: downloading it later returns these bytes."""

        actor_id: UUID
        edition: int
        key: str
        sha256: str
        size: int

    # --- state and commands ---

    @staticmethod
    def create_id(number: str) -> UUID:
        return natural_id("permit", number)

    @event(Granted)
    def __init__(
        self,
        *,
        number: str,
        actor_id: UUID,
        holder_subject_id: UUID,
        holder_label: str,
        kind: str,
        location: dict[str, Any],
        surface_m2: Decimal,
        valid_from: date,
        valid_until: date,
        fee: Decimal,
        dimensions: dict[str, Decimal] | None = None,
        outline: list[list[float]] | None = None,
        outline_m2: Decimal | None = None,
        conditions: dict[str, Any] | None = None,
        billboard: dict[str, Any] | None = None,
        payment: dict[str, Any] | None = None,
    ) -> None:
        self.number = number
        self.holder_subject_id = holder_subject_id
        self.holder_label = holder_label
        self.kind = kind
        self.location = location
        self.surface_m2 = surface_m2
        self.valid_from = valid_from
        self.valid_until = valid_until
        self.fee = fee
        self.dimensions = dimensions
        self.outline = outline
        self.outline_m2 = outline_m2
        self.conditions: dict[str, Any] = conditions or {}
        self.billboard = billboard
        self.payment = payment
        self.paid: dict[str, Any] | None = None  # the receipt, once the fee is paid
        self.edition = 1
        self.suspended = False
        self.revoked = False
        self.arretes: dict[int, dict[str, Any]] = {}  # edition -> stored PDF

    @property
    def structure_id(self) -> str | None:
        return self.billboard["structure_id"] if self.billboard else None

    @property
    def walking_path_m(self) -> Decimal | None:
        value = self.conditions.get("walking_path_m")
        return Decimal(value) if value is not None else None

    def state_on(self, day: date) -> PermitState:
        return state_of(
            revoked=self.revoked,
            suspended=self.suspended,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
            day=day,
            unpaid=self.unpaid,
        )

    @property
    def unpaid(self) -> bool:
        return self.payment is not None and self.paid is None

    @property
    def application_number(self) -> str | None:
        return self.payment["application"] if self.payment else None

    def is_valid_on(self, day: date) -> bool:
        return self.state_on(day) in (PermitState.VALID, PermitState.EXPIRING)

    def in_force_after(self, day: date) -> bool:
        """Still authorising something on ``day`` or later (suspended included: it may be
        reinstated); what a new permit for the same place or structure must not overlap."""
        return not self.revoked and self.valid_until >= day

    def terms(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in AMENDABLE}

    def amend(self, actor_id: UUID, new_terms: dict[str, Any], reason: str) -> None:
        self._check_open()
        changes = {k: v for k, v in new_terms.items() if k in AMENDABLE and v != getattr(self, k)}
        if not changes:
            raise InvalidInput(
                N_("Aucune modification : l'autorisation reste telle quelle."), field="terms"
            )
        if self.billboard and changes.get("billboard", self.billboard)["structure_id"] != (
            self.structure_id
        ):
            raise InvalidInput(
                N_("L'identifiant de structure ne change pas : retirez et accordez à nouveau."),
                field="structure_id",
            )
        self._amended(actor_id=actor_id, reason=reason, changes=changes, edition=self.edition + 1)

    def renew(self, actor_id: UUID, valid_until: date, fee: Decimal) -> None:
        self._check_open()
        if valid_until <= self.valid_until:
            raise InvalidInput(
                N_("Le renouvellement doit prolonger l'autorisation au-delà du {day}."),
                field="valid_until",
                day=self.valid_until.isoformat(),
            )
        self._renewed(actor_id=actor_id, valid_until=valid_until, fee=fee, edition=self.edition + 1)

    def suspend(self, actor_id: UUID, reason: str) -> None:
        self._check_open()
        if self.suspended:
            raise InvalidTransition(
                N_("L'autorisation {number} est déjà suspendue."), number=self.number
            )
        self._suspended(actor_id=actor_id, reason=reason)

    def reinstate(self, actor_id: UUID, reason: str) -> None:
        self._check_open()
        if not self.suspended:
            raise InvalidTransition(
                N_("L'autorisation {number} n'est pas suspendue."), number=self.number
            )
        self._reinstated(actor_id=actor_id, reason=reason)

    def revoke(self, actor_id: UUID, reason: str) -> None:
        self._check_open()
        self._revoked(actor_id=actor_id, reason=reason)

    def record_payment(
        self, actor_id: UUID, *, receipt_number: str, amount: Decimal, paid_on: date
    ) -> None:
        self._check_open()
        if not self.unpaid:
            raise InvalidTransition(
                N_("Aucune redevance n'est due pour l'autorisation {number}."), number=self.number
            )
        if amount != self.fee:
            raise InvalidInput(
                N_("Le montant reçu ({amount} MAD) n'est pas la redevance due ({fee} MAD)."),
                field="amount",
                amount=str(amount),
                fee=str(self.fee),
            )
        self._fee_paid(
            actor_id=actor_id, receipt_number=receipt_number, amount=amount, paid_on=paid_on
        )

    def record_arrete(self, actor_id: UUID, key: str, sha256: str, size: int) -> None:
        self._arrete_issued(
            actor_id=actor_id, edition=self.edition, key=key, sha256=sha256, size=size
        )

    def _check_open(self) -> None:
        if self.revoked:
            raise InvalidTransition(
                N_("L'autorisation {number} est déjà retirée."), number=self.number
            )

    @event(Amended)
    def _amended(
        self, *, actor_id: UUID, reason: str, changes: dict[str, Any], edition: int
    ) -> None:
        for name, value in changes.items():
            setattr(self, name, value)
        self.edition = edition

    @event(Renewed)
    def _renewed(self, *, actor_id: UUID, valid_until: date, fee: Decimal, edition: int) -> None:
        self.valid_until = valid_until
        self.fee = fee
        self.edition = edition

    @event(Suspended)
    def _suspended(self, *, actor_id: UUID, reason: str) -> None:
        self.suspended = True

    @event(Reinstated)
    def _reinstated(self, *, actor_id: UUID, reason: str) -> None:
        self.suspended = False

    @event(Revoked)
    def _revoked(self, *, actor_id: UUID, reason: str) -> None:
        self.revoked = True

    @event(FeePaid)
    def _fee_paid(
        self, *, actor_id: UUID, receipt_number: str, amount: Decimal, paid_on: date
    ) -> None:
        self.paid = {"receipt_number": receipt_number, "amount": amount, "paid_on": paid_on}

    @event(ArreteIssued)
    def _arrete_issued(
        self, *, actor_id: UUID, edition: int, key: str, sha256: str, size: int
    ) -> None:
        self.arretes[edition] = {"key": key, "sha256": sha256, "size": size}
