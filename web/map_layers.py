"""The layers a page's map offers, declared by the page and drawn by ``static/maps.js``: each
one a GeoJSON source, a style key and the legend of its colours, in the reader's language.
The script fetches a layer's source once, when it is first switched on.

Style keys (the colours are the script's): ``case-status`` (``properties.status``),
``inspection`` (``properties.compliant``), ``permit-state`` (``properties.state``: valid,
expiring, expired, suspended, revoked) and ``boundary`` (the arrondissements' outlines).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from police.errors import N_
from police.permit_terms import STATE_LABELS
from police.territory import Territory
from police.workflow import STATUS_LABELS
from web import i18n

# What each style's colours mean, in the order the legend lists them: (value, French label).
LEGENDS: dict[str, tuple[tuple[str, str], ...]] = {
    "case-status": tuple((status.value, label) for status, label in STATUS_LABELS.items()),
    "inspection": (("compliant", N_("Conforme")), ("non_compliant", N_("Non conforme"))),
    "permit-state": tuple((state.value, label) for state, label in STATE_LABELS.items()),
    "boundary": (),
}
BOUNDARIES_URL = "/map/arrondissements.geojson"


@dataclass(frozen=True)
class MapLayer:
    id: str  # unique on the page; letters, digits and dashes
    label: str  # French; shown in the reader's language
    source: str  # a same-origin URL answering a GeoJSON FeatureCollection
    style: str  # a key of LEGENDS
    on: bool = True  # shown when the page opens

    def but(self, **changes: Any) -> MapLayer:
        return replace(self, **changes)

    def __post_init__(self) -> None:
        if self.style not in LEGENDS:
            raise ValueError(f"map layer {self.id!r}: unknown style {self.style!r}")


def boundary_layers(territory: Territory) -> list[MapLayer]:
    """The arrondissements' outlines, when the territory has them (the city supplies them)."""
    if not territory.boundaries:
        return []
    return [MapLayer("arrondissements", N_("Arrondissements"), BOUNDARIES_URL, "boundary")]


def layers_attribute(layers: Sequence[MapLayer]) -> str:
    """The page's ``data-layers`` value: the layers as JSON, labels translated."""
    return json.dumps(
        [
            {
                "id": layer.id,
                "label": i18n.gettext_(layer.label),
                "source": layer.source,
                "style": layer.style,
                "on": layer.on,
                "legend": [
                    {"value": value, "label": i18n.gettext_(label)}
                    for value, label in LEGENDS[layer.style]
                ],
            }
            for layer in layers
        ],
        ensure_ascii=False,
    )
