"""While no read model projects the rosters' and campaigns' events yet (the roster read model
is being written), the tests of other read models list them as ignored: a projection would
stop at the first of them otherwise. Once a read model handles an event, it is projected."""

from __future__ import annotations

import pytest

from police.aggregates.campaign import Campaign
from police.aggregates.roster import Roster
from projections import projection
from projections.schema import MODELS


def ignore_unprojected_planning(monkeypatch: pytest.MonkeyPatch) -> None:
    events = {
        kind
        for aggregate in (Roster, Campaign)
        for kind in vars(aggregate).values()
        if isinstance(kind, type) and issubclass(kind, aggregate.Event)
    }
    pending = {kind for kind in events if not any(m.handler_for(kind) for m in MODELS)}
    monkeypatch.setattr(projection, "IGNORED", projection.IGNORED | pending)
