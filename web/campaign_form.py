"""The supervisors' campaign form: what it posted (brigade, theme, dates, arrondissements, the
drawn zone, officers, the kinds of targets and the target keys ticked) as typed values, or field
errors in the supervisor's language. Targets are posted as keys only: the page resolves them
again through the read model, never trusting a posted label or position."""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from starlette.datastructures import FormData

from police.aggregates.campaign import MAX_TARGETS, TargetKind
from police.errors import N_, InvalidInput
from web import i18n
from web.form_parsing import day
from web.inspection_form import FormErrors

MAX_ZONE_POINTS = 200
_BAD_ZONE = N_("La zone dessinée n'est pas un contour valide.")
_BAD_OFFICER = N_("Choisissez un agent actif de la brigade.")


@dataclass
class CampaignForm:
    """The form's values as typed (``values`` redraws it as sent)."""

    values: dict[str, Any]
    arrondissements: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    officer_ids: list[UUID] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    zone: list[tuple[float, float]] | None = None
    starts_on: date | None = None
    ends_on: date | None = None


def parse_campaign(form: FormData, known: Collection[str], errors: FormErrors) -> CampaignForm:
    """The form's values; ``known``: the territory's arrondissement codes (others are dropped)."""
    text = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
    listed = _lists(form)
    parsed = CampaignForm(
        values=text | {"arrondissements": listed["arrondissements"], "kinds": listed["kinds"]},
        arrondissements=[a for a in dict.fromkeys(listed["arrondissements"]) if a in known],
        kinds=[k for k in dict.fromkeys(listed["kinds"]) if k in set(TargetKind)],
        keys=list(dict.fromkeys(listed["targets"]))[: MAX_TARGETS + 1],
    )
    parsed.values["officers"] = listed["officers"]
    parsed.values["targets"] = parsed.keys
    for name in ("starts_on", "ends_on"):
        try:
            setattr(parsed, name, day(text.get(name, ""), name))
        except InvalidInput as refused:
            errors.add(name, refused.translated(i18n.gettext_))
    try:
        parsed.officer_ids = [UUID(o) for o in dict.fromkeys(listed["officers"])]
    except ValueError:
        errors.add("officers", i18n.gettext_(_BAD_OFFICER))
    try:
        parsed.zone = zone_of(text.get("zone", ""))
    except InvalidInput as refused:
        errors.add("zone", refused.translated(i18n.gettext_))
    return parsed


def zone_of(raw: str) -> list[tuple[float, float]] | None:
    """The drawn zone's [lon, lat] points (JSON) as pairs of numbers; None when none is drawn.
    Its shape (a real outline, inside the territory) is the domain's to check."""
    if not raw:
        return None
    try:
        points = json.loads(raw)
        pairs = [(float(p[0]), float(p[1])) for p in points if len(p) == 2]
    except (ValueError, TypeError, IndexError, KeyError):
        raise InvalidInput(_BAD_ZONE, field="zone") from None
    finite = all(math.isfinite(lon) and math.isfinite(lat) for lon, lat in pairs)
    if not isinstance(points, list) or len(pairs) != len(points) or not finite:
        raise InvalidInput(_BAD_ZONE, field="zone")
    if len(pairs) > MAX_ZONE_POINTS:
        raise InvalidInput(_BAD_ZONE, field="zone")
    return pairs or None


def kinds_of(keys: Collection[str]) -> set[str]:
    """The kinds of targets the keys name."""
    return {
        TargetKind.PERMIT.value if k.startswith("permit:") else TargetKind.ESTABLISHMENT.value
        for k in keys
    }


def _lists(form: FormData) -> dict[str, list[str]]:
    return {
        name: [v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()]
        for name in ("arrondissements", "kinds", "officers", "targets")
    }
