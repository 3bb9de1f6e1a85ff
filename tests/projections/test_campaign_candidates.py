"""The targets a campaign may take: the registry's permits in force and the register's
establishments due, in the campaign's arrondissements and drawn zone, by brigade."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from police import clock
from police.app import PoliceApp
from police.submission import Location
from projections.queries import ReadModels
from projections.runner import Projector
from tests.police import builders
from tests.police.builders import Staff

# Around boulevard d'Anfa's terrace (33.5890, -7.6420), not Ibnou Katir's (33.5895, -7.6480).
AROUND_ANFA = [[-7.645, 33.587], [-7.639, 33.587], [-7.639, 33.591], [-7.645, 33.591]]


def test_candidates_are_the_permits_in_force_and_the_establishments_due_in_the_area(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    clerk = staff.permits_clerk
    cafe = builders.terrace()
    rick = replace(cafe.holder, trade_name="Café Rick", ice="004455667000012")
    katir = Location(arrondissement="anfa", address="Rue Ibnou Katir", lat=33.5895, lon=-7.6480)
    gone = replace(cafe.holder, trade_name="Snack Fermé", ice="006677889000034")
    in_force = app.grant_permit(clerk, cafe)
    further = app.grant_permit(clerk, builders.terrace(holder=rick, location=katir))
    revoked = app.grant_permit(clerk, builders.terrace(holder=gone))
    app.revoke_permit(clerk, revoked, reason="Terrasse démontée")
    long_ago = datetime.now(UTC) - timedelta(days=400)  # category C: a visit a year
    with clock.frozen_at(long_ago):
        app.record_inspection(builders.hygiene(observed_at=long_ago), staff.hygiene_officer)
    fresh = builders.hygiene(
        subject=replace(builders.hygiene().subject, trade_name="Snack Neuf", ice="007788990000045")
    )
    app.record_inspection(fresh, staff.hygiene_officer)  # inspected today: not due
    projector.catch_up()
    models = ReadModels(projector.store, app.today)
    today = app.today()

    found = models.campaign_candidates("public_domain", ["anfa"], None, ["permit"], today)
    by_key = {t["key"]: t for t in found}
    assert sorted(by_key) == sorted([f"permit:{in_force}", f"permit:{further}"])
    assert by_key[f"permit:{in_force}"] == {
        "key": f"permit:{in_force}",
        "kind": "permit",
        "label": f"Café de Paris · {in_force}",
        "arrondissement": "anfa",
        "address": cafe.location.address,
        "lat": cafe.location.lat,
        "lon": cafe.location.lon,
    }
    zoned = models.campaign_candidates("public_domain", [], AROUND_ANFA, ["permit"], today)
    assert [t["key"] for t in zoned] == [f"permit:{in_force}"]

    due = models.campaign_candidates("hygiene", ["maarif"], None, ["establishment"], today)
    assert [(t["kind"], t["label"]) for t in due] == [("establishment", "Café Atlas")]
    assert due[0]["key"].startswith("subject:")
    # A brigade takes only its kinds of target; no area, no candidates.
    assert models.campaign_candidates("hygiene", ["anfa"], None, ["permit"], today) == []
    assert models.campaign_candidates("parking", ["maarif"], None, ["establishment"], today) == []
    assert models.campaign_candidates("public_domain", [], None, ["permit"], today) == []
