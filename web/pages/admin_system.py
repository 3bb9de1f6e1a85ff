"""The administration's system page, read-only: the readiness checks run now (the same as
``/readyz``), how far the read models are behind the event log, the object store, and the last
backup and verification of the stored objects, from the installation's upkeep record."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from police import clock, wording
from police.aggregates.upkeep import Upkeep
from police.errors import N_
from police.settings import ObjectStoreSettings
from web import i18n
from web.pages.ops import readiness
from web.routing import route
from web.state import Services, services
from web.timeline import SYSTEM_NAME

# What each readiness check is, as the page names it.
CHECK_LABELS = {
    "event_store": N_("Journal d'événements"),
    "object_store": N_("Stockage des objets (photos, avis)"),
    "read_models": N_("Vues (tableaux, listes)"),
}


def routes() -> list[Route]:
    return [route("/admin/system", page, name="admin.system")]


async def page(request: Request) -> Response:
    found = services(request)
    checked_at = clock.now()
    checks = await readiness(found.readiness_checks)
    state = await run_in_threadpool(_state, found)
    context = {
        "checked_at": checked_at,
        "checks": [(CHECK_LABELS.get(name, name), name, result) for name, result in checks.items()],
        "store": _where(found.settings.objects),
        "store_check": checks.get("object_store"),
        **state,
    }
    return found.pages.render(request, "admin/system.html", context)


def _state(found: Services) -> dict[str, Any]:
    """The projection's position against the log's head, and the last run of each upkeep."""
    position, head = found.projector.position(), found.projector.head()
    upkeep = found.police.upkeep()
    runs = {
        "backup": (Upkeep.BackupMade, upkeep.last_backup if upkeep else None),
        "verification": (Upkeep.ObjectsVerified, upkeep.last_verification if upkeep else None),
    }
    actors = [str(run["actor_id"]) for _, run in runs.values() if run]
    names = found.read_models.user_names(actors) if actors else {}
    return {
        "position": position,
        "head": head,
        "lag": max(0, head - position),
        "runs": {
            kind: _run(run, wording.sentence(event, run, i18n), names) if run else None
            for kind, (event, run) in runs.items()
        },
    }


def _run(run: dict[str, Any], text: str, names: dict[str, str]) -> dict[str, Any]:
    actor = str(run["actor_id"])
    return run | {"text": text, "actor": names.get(actor) or i18n.gettext_(SYSTEM_NAME)}


def _where(objects: ObjectStoreSettings) -> tuple[str, str]:
    """The object store's kind and place, never its keys."""
    if objects.kind == "s3":
        return N_("S3 / MinIO"), f"{objects.s3_endpoint} · {objects.s3_bucket}"
    return N_("Dossier local"), str(objects.local_dir)
