"""The case page's timeline in the reader's language: each line worded by ``police.wording``
from its kind and parameters, in the request's language (``web.i18n``), naming the officer a
case was assigned to."""

from __future__ import annotations

from collections.abc import Mapping

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
