"""The application: every command and query of the write side, on one event store, with the
object store and photo intake it is handed."""

from __future__ import annotations

from police.app.access import AccessCommands
from police.app.cases import CaseCommands
from police.app.inspections import InspectionCommands, InspectionReceipt
from police.app.notices import IssuedNotice, NoticeCommands
from police.app.permits import PermitCommands
from police.app.users import UserCommands
from police.objects import ObjectWriter, PhotoIntake
from police.settings import Settings


class PoliceApp(
    InspectionCommands, CaseCommands, NoticeCommands, UserCommands, PermitCommands, AccessCommands
):
    """Each part needs only the shared base (``police.app.base.BaseApp``), never another part."""

    name = "police"  # pinned: PostgreSQL table names derive from it and must never change


def open_app(
    settings: Settings | None = None,
    *,
    objects: ObjectWriter | None = None,
    photos: PhotoIntake | None = None,
) -> PoliceApp:
    """The application on the configured event store: the entry point of the web app and CLI."""
    settings = settings or Settings.from_env()
    return PoliceApp(env=settings.event_store_env(), objects=objects, photos=photos)


__all__ = ["InspectionReceipt", "IssuedNotice", "PoliceApp", "open_app"]
