"""The ``permits`` read model after the permits office's commands, on SQLite and PostgreSQL:
the registry's filters, each permit's state on the day, the permits near a point, nearest
first, and a rebuild giving the same rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from police.app import PoliceApp
from police.submission import Location
from projections.queries import PermitFilters, ReadModels
from projections.runner import Projector
from tests.police import builders
from tests.police.builders import Staff
from tests.projections.conftest import tables

CAFE = builders.terrace().location  # 33.5890, -7.6420


def at(lat: float, lon: float, address: str = "Boulevard d'Anfa") -> Location:
    return replace(CAFE, lat=lat, lon=lon, address=address)


def registry(app: PoliceApp, staff: Staff) -> dict[str, str]:
    clerk, today = staff.permits_clerk, app.today()
    numbers = {
        "terrace": app.grant_permit(clerk, builders.terrace()),
        # 30 m north of the café, ending within 30 days
        "display": app.grant_permit(
            clerk,
            builders.terrace(
                kind="display",
                location=at(33.58927, -7.6420),
                valid_until=today + timedelta(days=12),
            ),
        ),
        # 120 m east: outside the officer's 50 m
        "kiosk": app.grant_permit(
            clerk, builders.terrace(kind="kiosk", location=at(33.5890, -7.6407))
        ),
        "expired": app.grant_permit(
            clerk,
            builders.terrace(
                location=at(33.5891, -7.6421),
                valid_from=date(2024, 1, 1),
                valid_until=date(2024, 12, 31),
            ),
        ),
        "billboard": app.grant_permit(clerk, builders.billboard("CAS-PUB-0042")),
    }
    app.suspend_permit(clerk, numbers["kiosk"], reason="Travaux")
    app.amend_permit(
        clerk, numbers["terrace"], builders.terrace(depth_m=Decimal("3")), reason="Extension"
    )
    return numbers


def test_the_registry_follows_the_permits_offices_commands(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    numbers = registry(app, staff)
    projector.catch_up()
    models = ReadModels(projector.store, app.today)

    terrace = models.permit(numbers["terrace"])
    assert terrace is not None
    assert (terrace.surface_m2, terrace.depth_m, terrace.edition) == (
        Decimal("18.00"),
        Decimal("3.00"),
        2,
    )
    assert terrace.walking_path_m == Decimal("1.50")
    assert terrace.holder_label == "Café de Paris"
    board = models.permit(numbers["billboard"])
    assert board is not None
    assert (board.structure_id, board.faces, board.lit, board.company) == (
        "CAS-PUB-0042",
        2,
        True,
        "Affichage Atlas",
    )

    def listed(**filters: object) -> set[str]:
        page = models.permits(PermitFilters(**filters))  # type: ignore[arg-type]
        assert page.total == len(page.rows)
        return {row.number for row in page.rows}

    assert listed() == set(numbers.values())
    assert listed(kind="terrace") == {numbers["terrace"], numbers["expired"]}
    assert listed(state="expired") == {numbers["expired"]}
    assert listed(state="suspended") == {numbers["kiosk"]}
    assert listed(expiring=True) == {numbers["display"]}
    assert listed(arrondissement="maarif") == {numbers["billboard"]}
    assert listed(text="pub-0042") == {numbers["billboard"]}
    assert listed(text="café de") == {
        numbers[k] for k in ("terrace", "display", "kiosk", "expired")
    }

    # The state the query computes is the one the permit itself says, for each permit.
    for number in numbers.values():
        row, permit = models.permit(number), app.find_permit(number)
        assert row is not None
        assert permit is not None
        assert row.state == permit.state_on(app.today()).value, number

    exported = [row.number for row in models.all_permits(PermitFilters(), batch=2)]
    assert exported == sorted(numbers.values())

    # Renewed, the display no longer expires soon; reinstated, the kiosk is valid again.
    until = app.today() + timedelta(days=400)
    app.renew_permit(staff.permits_clerk, numbers["display"], valid_until=until, fee=Decimal(9))
    app.reinstate_permit(staff.permits_clerk, numbers["kiosk"], reason="Travaux finis")
    projector.catch_up()
    display = models.permit(numbers["display"])
    assert display is not None
    assert (display.valid_until, display.fee, display.edition) == (
        until.isoformat(),
        Decimal("9.00"),
        2,
    )
    assert listed(expiring=True) == set()
    assert listed(state="suspended") == set()


def test_the_officer_sees_the_permits_within_50_metres_nearest_first(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    numbers = registry(app, staff)
    app.revoke_permit(staff.permits_clerk, numbers["expired"], reason="Fermé")
    projector.catch_up()
    models = ReadModels(projector.store, app.today)
    # Standing 5 m south of the café's pin: the terrace, then the display 35 m away; the
    # suspended kiosk is 120 m away, the revoked terrace authorises nothing.
    near = models.permits_near(33.58896, -7.6420)
    assert [(p.number, p.state) for p in near] == [
        (numbers["terrace"], "valid"),
        (numbers["display"], "expiring"),
    ]
    assert near[0].distance_m is not None
    assert 3 < near[0].distance_m < 6
    assert models.permits_near(33.60, -7.60) == []


def test_a_rebuilt_registry_has_the_same_rows(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    registry(app, staff)
    vending = app.grant_permit(
        staff.permits_clerk, builders.terrace(kind="vending", frontage_m=Decimal("2"))
    )
    app.print_arrete(staff.permits_clerk, vending)
    projector.catch_up()
    before = tables(projector)["rm_permits"]
    projector.rebuild(["permits"])
    assert tables(projector)["rm_permits"] == before
    printed = ReadModels(projector.store, app.today).permit(vending)
    assert printed is not None
    assert (printed.edition, printed.printed_edition) == (1, 1)
