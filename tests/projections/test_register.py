"""The ``register`` read model on SQLite and PostgreSQL: each establishment's risk category
with its reasons and its routine visit's due date, after inspections, a supervisor's override
and its withdrawal, a permit's grant; and the share inspected within their frequency."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from police import clock
from police.app import PoliceApp
from police.identifiers import SubjectInput, subject_id
from police.submission import Location
from projections.queries import ReadModels, RegisterFilters
from projections.runner import Projector
from tests.police import builders
from tests.police.builders import Staff
from tests.projections.conftest import tables

BUTCHER = SubjectInput(
    kind="establishment", trade_name="Boucherie Atlas", ice="004455667000011", activity="Boucherie"
)
SNACK = SubjectInput(
    kind="establishment",
    trade_name="Snack Ibnou Mounir",
    ice="005566778000022",
    activity="Snack",
)
CAFE = builders.terrace().holder  # Café de Paris, holding a terrace permit
CORNER = Location(
    arrondissement="maarif", address="3 rue Ibnou Mounir", lat=33.5850, lon=-7.6340, accuracy_m=6
)


def establishments(app: PoliceApp, staff: Staff) -> dict[str, str]:
    """A butcher inspected ten days ago and found dirty; a snack inspected 400 days ago and
    found clean (overdue: a high risk with a clean record is seen every 365 days); a café
    holding a terrace permit, never inspected."""
    officer = staff.hygiene_officer
    ten_days_ago = datetime.now(UTC) - timedelta(days=10)
    with clock.frozen_at(ten_days_ago):
        app.record_inspection(builders.hygiene(subject=BUTCHER, observed_at=ten_days_ago), officer)
    long_ago = datetime.now(UTC) - timedelta(days=400)
    with clock.frozen_at(long_ago):
        app.record_inspection(
            builders.hygiene(subject=SNACK, location=CORNER, findings=(), observed_at=long_ago),
            officer,
        )
    app.grant_permit(staff.permits_clerk, builders.terrace())
    return {
        name: str(subject_id(f"ice:{ice}"))
        for name, ice in (("butcher", BUTCHER.ice), ("snack", SNACK.ice), ("cafe", CAFE.ice))
    }


def test_an_establishment_found_dirty_gets_its_category_reasons_and_due_date(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    ids = establishments(app, staff)
    projector.catch_up()
    models = ReadModels(projector.store, app.today)
    today = app.today()
    butcher = models.register_row(ids["butcher"])
    assert butcher is not None
    inspected_on = today - timedelta(days=10)
    # high-risk activity 3 + last inspection not compliant 1 = 4 points: B, every 180 days
    assert (butcher.label, butcher.activity, butcher.ice) == (
        "Boucherie Atlas",
        "Boucherie",
        BUTCHER.ice,
    )
    assert (butcher.arrondissement, butcher.address) == ("maarif", "112 boulevard Zerktouni")
    assert (butcher.last_hygiene_on, butcher.last_compliant, butcher.hygiene_cases) == (
        inspected_on.isoformat(),
        False,
        1,
    )
    assert (butcher.computed_category, butcher.category, butcher.frequency_days) == ("B", "B", 180)
    assert butcher.due_on == (inspected_on + timedelta(days=180)).isoformat()
    assert [(r.text, r.points) for r in butcher.reasons] == [
        ("activité à risque élevé", 3),
        ("dernier contrôle non conforme", 1),
    ]
    assert not butcher.overdue


def test_an_override_changes_the_category_and_due_date_until_withdrawn(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    ids = establishments(app, staff)
    inspected_on = app.today() - timedelta(days=10)
    app.override_risk(staff.hygiene_chief, UUID(ids["butcher"]), "A", "Plaintes de voisins")
    projector.catch_up()
    models = ReadModels(projector.store, app.today)
    butcher = models.register_row(ids["butcher"])
    assert butcher is not None
    assert (butcher.computed_category, butcher.override_category, butcher.category) == (
        "B",
        "A",
        "A",
    )
    assert butcher.override_reason == "Plaintes de voisins"
    assert (butcher.frequency_days, butcher.due_on) == (
        90,
        (inspected_on + timedelta(days=90)).isoformat(),
    )

    app.override_risk(staff.hygiene_chief, UUID(ids["butcher"]), "", "")
    projector.catch_up()
    back = models.register_row(ids["butcher"])
    assert back is not None
    assert (back.override_category, back.override_reason, back.category) == (None, "", "B")
    assert back.due_on == (inspected_on + timedelta(days=180)).isoformat()


def test_a_permit_holder_never_inspected_is_due_at_once(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    ids = establishments(app, staff)
    projector.catch_up()
    models = ReadModels(projector.store, app.today)
    today = app.today()
    cafe = models.register_row(ids["cafe"])
    assert cafe is not None
    # no activity on file: medium risk, 2 points, D
    assert (cafe.label, cafe.arrondissement, cafe.lat, cafe.lon) == (
        "Café de Paris",
        "anfa",
        33.5890,
        -7.6420,
    )
    assert (cafe.last_hygiene_on, cafe.category, cafe.known_since, cafe.due_on) == (
        None,
        "D",
        today.isoformat(),
        today.isoformat(),
    )
    due = models.routine_due(["anfa", "maarif"], today)
    # the snack's visit was due 35 days ago (400 - 365), the café's today
    assert [r.subject_id for r in due] == [ids["snack"], ids["cafe"]]
    assert models.routine_due(["anfa"], today) == [due[1]]
    page = models.register_page(RegisterFilters(due="overdue"), today)
    assert (page.total, [r.label for r in page.rows]) == (1, ["Snack Ibnou Mounir"])
    page = models.register_page(RegisterFilters(arrondissement="maarif", text="atlas"), today)
    assert [r.label for r in page.rows] == ["Boucherie Atlas"]
    page = models.register_page(RegisterFilters(category="D"), today)
    assert [r.label for r in page.rows] == ["Café de Paris"]
    assert models.register_page(RegisterFilters(text="100%_"), today).total == 0


def test_routine_coverage_counts_the_establishments_inspected_within_their_frequency(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    establishments(app, staff)
    projector.catch_up()
    models = ReadModels(projector.store, app.today)
    overall, areas = models.routine_coverage(app.today())
    # the butcher is covered (due in 170 days); the snack overdue; the café due today
    assert (overall.establishments, overall.covered, overall.overdue) == (3, 1, 1)
    assert overall.share == pytest.approx(1 / 3)
    assert [(a.arrondissement, a.establishments, a.covered, a.overdue) for a in areas] == [
        ("anfa", 1, 0, 0),
        ("maarif", 2, 1, 1),
    ]
    assert areas[1].share == 0.5


def test_a_rebuilt_register_has_the_same_rows(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    ids = establishments(app, staff)
    app.override_risk(staff.hygiene_chief, UUID(ids["snack"]), "C", "Stockage douteux")
    projector.catch_up()
    before = tables(projector)
    projector.rebuild(["register"])
    assert tables(projector) == before


def test_a_billboard_firm_is_registered_with_no_routine_visit(
    app: PoliceApp, staff: Staff, projector: Projector
) -> None:
    establishments(app, staff)
    firm = SubjectInput(
        kind="establishment",
        trade_name="Affichage Atlas",
        ice="003344556000078",
        activity="Affichage publicitaire",
    )
    app.grant_permit(staff.permits_clerk, builders.billboard(holder=firm))
    projector.catch_up()
    models = ReadModels(projector.store, app.today)
    today = app.today()
    [row] = models.register_page(RegisterFilters(text="affichage"), today).rows
    assert (row.due_on, row.overdue) == (None, False)
    assert row.reasons[-1].text.startswith("activité hors du contrôle d'hygiène")
    due = models.routine_due(["anfa", "maarif"], today)
    assert row.subject_id not in {r.subject_id for r in due}
    overall, _ = models.routine_coverage(today)
    assert overall.establishments == 3  # the firm is not counted among those to visit
    page = models.register_page(RegisterFilters(), today)
    assert page.rows[-1].subject_id == row.subject_id  # after those with a date
