"""The application: every command and query of the write side, on one event store, with the
object store and photo intake it is handed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from uuid import UUID

from police.app.access import AccessCommands
from police.app.cases import CaseCommands
from police.app.inspections import InspectionCommands, InspectionReceipt
from police.app.notices import IssuedNotice, NoticeCommands
from police.app.permits import PermitCommands
from police.app.tokens import IssuedToken, TokenCommands, TokenRefused
from police.app.users import UserCommands
from police.evidence import Photo
from police.objects import ObjectWriter, PhotoIntake
from police.settings import Settings
from police.submission import InspectionSubmission


class PoliceApp(
    InspectionCommands,
    CaseCommands,
    NoticeCommands,
    UserCommands,
    PermitCommands,
    AccessCommands,
    TokenCommands,
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
    "InspectionReceipt",
    "IssuedNotice",
    "IssuedToken",
    "PoliceApp",
    "TokenRefused",
    "open_app",
]
