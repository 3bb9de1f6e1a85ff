"""The collections the OGC API publishes (``web.pages.ogc``), each a small declaration: its id,
title and description (French templates, translated per request; the description names the
time ``datetime`` filters on), who reads it, and the two read-model questions: a page of
features for a window, and one feature by id, both within the reader's scope.

Adding a collection is adding one ``Collection`` to ``COLLECTIONS`` (and its two questions to
``projections.queries.features``): the routes, paging, parameters and documents follow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from police.errors import N_
from police.roles import Actor, Role
from projections.queries import Feature, FeaturePage, FeatureWindow, ReadModels
from web.case_filters import scope_of
from web.permissions import CASE_READERS, GIS_READERS

PageQuery = Callable[[ReadModels, FeatureWindow, Actor], FeaturePage]
ItemQuery = Callable[[ReadModels, str, Actor], Feature | None]


@dataclass(frozen=True)
class Collection:
    id: str
    title: str  # French template
    description: str  # French template
    readers: frozenset[Role]
    page: PageQuery
    item: ItemQuery

    def readable_by(self, actor: Actor) -> bool:
        return any(actor.has_role(r) for r in self.readers)


CASES = Collection(
    id="cases",
    title=N_("Dossiers"),
    description=N_(
        "Les dossiers des brigades que le jeton peut voir, au lieu du contrôle qui les a "
        "ouverts : référence, brigade, statut, dates, arrondissement, infraction principale, "
        "montants. Sans donnée personnelle. datetime filtre sur l'ouverture (opened_at)."
    ),
    readers=CASE_READERS,
    page=lambda models, window, actor: models.case_features(window, scope_of(actor)),
    item=lambda models, fid, actor: models.case_feature(fid, scope_of(actor)),
)
INSPECTIONS = Collection(
    id="inspections",
    title=N_("Contrôles"),
    description=N_(
        "Les contrôles des brigades que le jeton peut voir, à la position relevée : brigade, "
        "heures, conformité, photos, précision GPS, référence du dossier. Sans donnée "
        "personnelle. datetime filtre sur l'heure du constat (observed_at)."
    ),
    readers=CASE_READERS,
    page=lambda models, window, actor: models.inspection_features(window, scope_of(actor)),
    item=lambda models, fid, actor: models.inspection_feature(fid, scope_of(actor)),
)
PERMITS = Collection(
    id="permits",
    title=N_("Autorisations d'occupation du domaine public"),
    description=N_(
        "Les autorisations du registre (terrasses, étalages, chantiers, kiosques, vente "
        "ambulante), à leur emplacement : numéro, type, état du jour, surface, conditions, "
        "validité. Sans le titulaire. datetime filtre sur l'octroi (granted_at)."
    ),
    readers=GIS_READERS,
    page=lambda models, window, actor: models.permit_features(window),
    item=lambda models, fid, actor: models.permit_feature(fid),
)
BILLBOARDS = Collection(
    id="billboards",
    title=N_("Panneaux publicitaires"),
    description=N_(
        "Les panneaux autorisés, à leur emplacement : identifiant de structure, faces, m² par "
        "face, éclairage, société d'affichage, état du jour, validité. datetime filtre sur "
        "l'octroi (granted_at)."
    ),
    readers=GIS_READERS,
    page=lambda models, window, actor: models.permit_features(window, billboards=True),
    item=lambda models, fid, actor: models.permit_feature(fid, billboards=True),
)
COLLECTIONS: dict[str, Collection] = {c.id: c for c in (PERMITS, BILLBOARDS, CASES, INSPECTIONS)}
