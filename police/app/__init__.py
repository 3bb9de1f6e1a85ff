"""The application: every command and query of the write side, on one event store, with the
object store and photo intake it is handed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from police.aggregates.permit import Permit
from police.aggregates.permit_application import PermitApplication
from police.app.access import AccessCommands
from police.app.applications import ApplicationCommands, Submitted
from police.app.cases import CaseCommands
from police.app.inspections import InspectionCommands
from police.app.notices import IssuedNotice, NoticeCommands
from police.app.permits import PermitCommands
from police.app.planning import CampaignPlan, PlanningCommands
from police.app.receipts import InspectionReceipt
from police.app.recipients import RecipientCommands
from police.app.reports import ReportCommands
from police.app.tokens import IssuedToken, TokenCommands, TokenRefused
from police.app.upkeep import UpkeepCommands
from police.app.users import OpenedAccount, SessionState, SignIn, UserCommands
from police.application_terms import holder_input
from police.errors import N_, Conflict, InvalidInput
from police.evidence import Photo
from police.objects import ObjectWriter, PhotoIntake
from police.permit_terms import Billboard, Conditions, PermitTerms
from police.settings import Settings
from police.submission import InspectionSubmission, Location


class PoliceApp(
    InspectionCommands,
    CaseCommands,
    NoticeCommands,
    UserCommands,
    PermitCommands,
    ApplicationCommands,
    ReportCommands,
    RecipientCommands,
    AccessCommands,
    TokenCommands,
    PlanningCommands,
    UpkeepCommands,
):
    """Each part needs only the shared base (``police.app.base.BaseApp``), never another part;
    a command that spans two parts is composed here."""

    name = "police"  # pinned: PostgreSQL table names derive from it and must never change

    def record_inspection(
        self, submission: InspectionSubmission, actor_id: UUID, photos: Sequence[Photo] = ()
    ) -> InspectionReceipt:
        """Records the inspection, then, for a ticket issued in the street, its avis de
        contravention (see ``NoticeCommands.issue_ticket``)."""
        receipt = super().record_inspection(submission, actor_id, photos)
        issued = None
        if receipt.ticket_number is not None and receipt.case_id is not None:
            issued = self.issue_ticket(receipt.case_id, actor_id)
        return replace(receipt, ticket_notice=issued.number) if issued else receipt

    def grant_application(
        self,
        actor_id: UUID,
        number: str,
        *,
        fee: Decimal,
        valid_from: date | None = None,
        valid_until: date | None = None,
        structure_id: str = "",
        position: tuple[float, float] | None = None,
        expected_version: int | None = None,
    ) -> str:
        """Grants the permit asked for, as asked (the office sets the fee, may shorten the
        period, gives a billboard its structure identifier, places a file sent with an address
        only: ``position``, or else where the site visit's phone was): the permit, in force
        once paid, and the file's decision in one save. Returns the permit's number."""
        application = self._get(PermitApplication, self._id(number), N_("Demande introuvable."))
        application.check_decidable()
        terms = _terms_asked(
            application,
            fee,
            valid_from,
            valid_until,
            structure_id,
            position or _visited(application),
        )

        def decide(permit: Permit, actor: UUID) -> list[Any]:
            found = self._get(PermitApplication, application.id, N_("Demande introuvable."))
            if expected_version is not None and found.version != expected_version:
                raise Conflict(
                    N_("La demande {number} a changé entre-temps : rechargez la page."),
                    number=found.number,
                )
            assert permit.payment is not None
            found.grant(
                actor,
                permit_number=permit.number,
                fee=permit.fee,
                payment_reference=permit.payment["reference"],
            )
            return [found, *self._site_visit_over(found, actor)]

        return self.grant_permit(actor_id, terms, application=application.number, decide=decide)


def _visited(application: PermitApplication) -> tuple[float, float] | None:
    """Where the officer's phone was at the site visit, for a file placed approximately."""
    report = (application.visit or {}).get("report") or {}
    where = report.get("location") or {}
    if where.get("lat") is None or where.get("lon") is None:
        return None
    return (where["lat"], where["lon"])


def _terms_asked(
    application: PermitApplication,
    fee: Decimal,
    valid_from: date | None,
    valid_until: date | None,
    structure_id: str,
    position: tuple[float, float] | None,
) -> PermitTerms:
    asked = application.request
    place = dict(asked["location"])
    if position is not None:
        place["lat"], place["lon"] = position
    elif place.get("approximate"):
        raise InvalidInput(
            N_(
                "Demande envoyée avec une adresse seulement : placez l'autorisation sur la carte "
                "(ou demandez une visite sur place, dont le téléphone donnera la position)."
            ),
            field="location",
        )
    dims = asked.get("dimensions") or {}
    board = asked.get("billboard")
    return PermitTerms(
        kind=application.kind,
        holder=holder_input(application.applicant),
        location=Location(
            arrondissement=place["arrondissement"],
            address=place.get("address", ""),
            lat=place["lat"],
            lon=place["lon"],
        ),
        valid_from=valid_from or asked["valid_from"],
        valid_until=valid_until or asked["valid_until"],
        fee=fee,
        frontage_m=dims.get("frontage_m"),
        depth_m=dims.get("depth_m"),
        outline=tuple(tuple(p) for p in asked.get("outline") or ()),
        conditions=Conditions(),
        billboard=(
            Billboard(
                structure_id=structure_id or board["structure_id"],
                faces=board["faces"],
                m2_per_face=board["m2_per_face"],
                lit=board["lit"],
                company=board["company"],
            )
            if board
            else None
        ),
    )


def open_app(
    settings: Settings | None = None,
    *,
    objects: ObjectWriter | None = None,
    photos: PhotoIntake | None = None,
) -> PoliceApp:
    """The application on the configured event store: the entry point of the web app and CLI."""
    settings = settings or Settings.from_env()
    return PoliceApp(
        env=settings.event_store_env(),
        objects=objects,
        photos=photos,
        public_url=settings.web.public_url,
    )


__all__ = [
    "CampaignPlan",
    "InspectionReceipt",
    "IssuedNotice",
    "IssuedToken",
    "OpenedAccount",
    "PoliceApp",
    "SessionState",
    "SignIn",
    "Submitted",
    "TokenRefused",
    "open_app",
]
