"""The administration's reference data, read-only: the infraction catalogue version by version
(which one is in force today, and for a chosen one its entries by brigade with how many
inspections cited each under it), and the territory (its arrondissements by prefecture, the
routine visits' frequency per risk category). Both are configuration files, changed by a
release, never by a form. An entry's count opens the inspections that cited it, with their
cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from police.catalogue import Catalogue, CatalogueVersion, Infraction
from police.errors import N_, DomainError, NotFound
from police.roles import Brigade
from police.territory import Arrondissement, Territory
from projections.queries.citations import CITING_LIMIT
from web.routing import route
from web.state import fresh_read_models, pages_of, police_of, read_models_of


def routes() -> list[Route]:
    return [
        route("/admin/reference", page, name="admin.reference"),
        route("/admin/reference/{version}/{code}", citing, name="admin.citing"),
    ]


@dataclass(frozen=True)
class VersionLine:
    version: CatalogueVersion
    status: str  # "in_force" today, "past" (amended since), "later" (not in force yet)


def versions(
    catalogue: Catalogue, today: date
) -> tuple[list[VersionLine], CatalogueVersion | None]:
    """Every version, the latest first, each with its status today; and the one in force."""
    try:
        current: CatalogueVersion | None = catalogue.in_force_on(today)
    except DomainError:  # a catalogue whose first version starts later
        current = None
    lines = [
        VersionLine(
            v,
            "in_force" if v is current else "later" if v.effective_from > today else "past",
        )
        for v in reversed(catalogue.versions)
    ]
    return lines, current


def by_brigade(version: CatalogueVersion) -> list[tuple[Brigade, list[Infraction]]]:
    """The version's entries grouped by brigade (in the catalogue's order), by code."""
    return [
        (b, sorted(version.for_brigade(b), key=lambda i: i.code))
        for b in Brigade
        if version.for_brigade(b)
    ]


def by_prefecture(territory: Territory) -> list[tuple[Arrondissement, list[Arrondissement]]]:
    """The arrondissements under their prefecture, as the territory file lists them (each
    group headed by its first arrondissement, which carries the prefecture's names)."""
    groups: dict[str, list[Arrondissement]] = {}
    for a in territory.arrondissements.values():
        groups.setdefault(a.prefecture_fr, []).append(a)
    return [(members[0], members) for members in groups.values()]


def _version(lines: list[VersionLine], wanted: str) -> CatalogueVersion | None:
    chosen = next((line.version for line in lines if line.version.version == wanted), None)
    if wanted and chosen is None:
        raise NotFound(N_("Version du catalogue inconnue : « {version} »."), version=wanted[:40])
    return chosen


async def citing(request: Request) -> Response:
    """The inspections that cited one entry of one version, the latest first."""
    police = police_of(request)
    lines, _ = versions(police.catalogue, police.today())
    chosen = _version(lines, request.path_params["version"])
    assert chosen is not None
    code = request.path_params["code"]
    entry = next((i for b in Brigade for i in chosen.for_brigade(b) if i.code == code), None)
    if entry is None:
        raise NotFound(N_("Infraction inconnue dans cette version : « {code} »."), code=code[:40])
    await fresh_read_models(request)
    rows = await run_in_threadpool(
        read_models_of(request).citing_inspections, chosen.version, entry.code
    )
    context = {"chosen": chosen, "entry": entry, "rows": rows, "limit": CITING_LIMIT}
    return pages_of(request).render(request, "admin/citing.html", context)


async def page(request: Request) -> Response:
    police = police_of(request)
    lines, current = versions(police.catalogue, police.today())
    chosen = _version(lines, request.query_params.get("version", ""))
    chosen = chosen or current or lines[0].version
    await fresh_read_models(request)
    counts = await run_in_threadpool(read_models_of(request).citation_counts, chosen.version)
    context = {
        "lines": lines,
        "chosen": chosen,
        "current": current,
        "groups": by_brigade(chosen),
        "counts": counts,
        "prefectures": by_prefecture(police.territory),
        "routine_visit_days": sorted(police.territory.routine_visit_days.items()),
    }
    return pages_of(request).render(request, "admin/reference.html", context)
