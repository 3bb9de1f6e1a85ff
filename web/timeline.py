"""The case page's timeline in the reader's language: each line worded by ``police.wording``
from its kind and parameters, in the request's language (``web.i18n``), naming the officer a
case was assigned to; and a permit's or an application's history, read from its own events."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from police import wording
from police.aggregates.case import Case
from police.errors import N_
from projections.queries import TimelineLine
from web import i18n

SYSTEM_NAME = N_("Système")


def assigned_officers(lines: list[TimelineLine]) -> list[str]:
    """The ids of the officers named by the lines, for one lookup of their names."""
    return sorted({line.values["officer_id"] for line in lines if line.event is Case.Assigned})


def actor_name(line: TimelineLine) -> str:
    return line.actor_name if line.actor_id else i18n.gettext_(SYSTEM_NAME)


def sentence(line: TimelineLine, names: Mapping[str, str]) -> str:
    return wording.sentence(line.event, line.values, i18n, names)


def history_line(event: Any) -> dict[str, Any]:
    """One event of an aggregate's own history (a permit, an application), worded."""
    params = {k: v.isoformat() if isinstance(v, date) else v for k, v in vars(event).items()}
    params = {k: str(v) if isinstance(v, Decimal) else v for k, v in params.items()}
    found = wording.WORDINGS.get(type(event))
    return {
        "at": event.timestamp,
        "actor_id": str(getattr(event, "actor_id", "")),
        "text": found(params, i18n, {}) if found else type(event).__name__,
    }
