"""Permits to occupy the public domain: granted and revoked by legal staff or the brigade's
supervisor, read by public-domain inspections."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from police.aggregates.permit import Permit, PermitKind
from police.app.base import BaseApp
from police.errors import N_, InvalidInput
from police.identifiers import SubjectInput, clean_text, identify, normalize_permit_number
from police.inspecting import check_location
from police.roles import Brigade, Role
from police.submission import Location

_ISSUERS = (Role.LEGAL, Role.SUPERVISOR)


class PermitCommands(BaseApp):
    def grant_permit(
        self,
        actor_id: UUID,
        *,
        number: str,
        holder: SubjectInput,
        kind: str,
        location: Location,
        surface_m2: Decimal,
        valid_from: date,
        valid_until: date,
        fee: Decimal,
    ) -> UUID:
        actor = self.actor(actor_id)
        actor.require(_ISSUERS, Brigade.PUBLIC_DOMAIN)
        number = normalize_permit_number(number)
        try:
            kind = PermitKind(kind)
        except ValueError:
            raise InvalidInput(N_("Type d'autorisation inconnu."), field="kind") from None
        surface, amount = _amount(surface_m2, "surface_m2"), _amount(fee, "fee")
        if surface <= 0:
            raise InvalidInput(N_("La surface autorisée doit être positive."), field="surface_m2")
        if valid_until < valid_from:
            raise InvalidInput(N_("La fin de validité précède son début."), field="valid_until")
        place = check_location(location, self.territory)
        lat, lon = place["lat"], place["lon"]
        # An inspection outside the city is recorded and flagged; a permit there is not the
        # city's to grant.
        if lat is not None and lon is not None and not self.territory.contains(lat, lon):
            raise InvalidInput(
                N_("Position GPS hors du territoire de la commune ({lat}, {lon})."),
                field="location",
                lat=f"{lat:.5f}",
                lon=f"{lon:.5f}",
            )
        identity = identify(holder, Brigade.PUBLIC_DOMAIN, place["arrondissement"])
        subject = self._subject(identity, actor.id)
        permit = Permit(
            number=number,
            actor_id=actor.id,
            holder_subject_id=subject.id,
            holder_label=identity.label,
            kind=kind,
            location=place,
            surface_m2=surface,
            valid_from=valid_from,
            valid_until=valid_until,
            fee=amount,
        )
        try:
            self.save(permit, subject if subject.pending_events else None)
        except IntegrityError:
            raise InvalidInput(
                N_("L'autorisation {number} est déjà enregistrée."), field="number", number=number
            ) from None
        return permit.id

    def revoke_permit(self, actor_id: UUID, number: str, *, reason: str) -> None:
        text = clean_text(reason, field="reason", label=N_("Motif"), required=True)

        def attempt() -> None:
            actor = self.actor(actor_id)
            actor.require(_ISSUERS, Brigade.PUBLIC_DOMAIN)
            permit = self._get(
                Permit,
                Permit.create_id(normalize_permit_number(number)),
                N_("Autorisation introuvable."),
            )
            permit.revoke(actor.id, text)
            self.save(permit)

        self._retrying(attempt)

    def find_permit(self, number: str) -> Permit | None:
        return self._find(Permit, Permit.create_id(normalize_permit_number(number)))


def _amount(value: Decimal, field: str) -> Decimal:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        amount = Decimal("NaN")
    if not amount.is_finite() or not 0 <= amount <= Decimal("10000000"):
        raise InvalidInput(N_("Montant ou surface invalide."), field=field)
    return amount.quantize(Decimal("0.01"))
