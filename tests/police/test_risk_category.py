"""The hygiene risk rule with the shipped configuration (``police/data/planning.yaml``), its
expectations worked out by hand: the category from the activity's inherent risk and the
record, and the day the routine visit is due (the Casablanca territory's frequencies)."""

from __future__ import annotations

from datetime import date

import pytest

from police.planning import EstablishmentRecord, PlanningRules, RiskCategory, routine_due
from police.territory import Territory

RULES = PlanningRules.load()
FREQUENCIES = Territory.load().routine_visit_days


@pytest.mark.parametrize(
    ("record", "category", "points"),
    [
        (EstablishmentRecord("Boucherie"), "C", [3]),  # high, never inspected
        (EstablishmentRecord("Boucherie", last_compliant=True), "C", [3]),
        (EstablishmentRecord("Boucherie", last_compliant=False), "B", [3, 1]),
        (EstablishmentRecord("Boucherie", last_compliant=False, hygiene_cases=2), "A", [3, 1, 1]),
        (EstablishmentRecord("Boucherie", hygiene_cases=1), "C", [3]),  # one case: no repeat
        (EstablishmentRecord("Épicerie"), "E", [1]),  # low
        (EstablishmentRecord("Atelier de reliure"), "D", [2]),  # no word matches: medium
        (EstablishmentRecord("Épicerie", closure_orders=1), "C", [1, 2]),
        (EstablishmentRecord("Café", closure_orders=2, last_compliant=False), "A", [2, 1, 2]),
    ],
)
def test_the_category_adds_up_the_points_of_the_activity_and_the_record(
    record: EstablishmentRecord, category: str, points: list[int]
) -> None:
    assessed = RULES.assess(record)
    assert assessed.category == RiskCategory(category)
    assert [r.points for r in assessed.reasons] == points


def test_the_reasons_say_why_with_their_values() -> None:
    assessed = RULES.assess(
        EstablishmentRecord("Snack", last_compliant=False, hygiene_cases=3, closure_orders=1)
    )
    assert [(r.text, dict(r.params)) for r in assessed.reasons] == [
        ("activité à risque élevé", {}),
        ("dernier contrôle non conforme", {}),
        ("récidive : {count} dossiers d'hygiène", {"count": 3}),
        ("ordre de fermeture", {}),
    ]


def test_a_routine_visit_is_due_a_frequency_after_the_last_or_at_once() -> None:
    known = date(2026, 3, 2)
    assert routine_due(RiskCategory.C, None, known, FREQUENCIES) == known
    last = date(2026, 1, 10)
    assert routine_due(RiskCategory.C, last, known, FREQUENCIES) == date(2027, 1, 10)
    assert routine_due(RiskCategory.A, last, known, FREQUENCIES) == date(2026, 4, 10)  # 90 days
    assert routine_due(RiskCategory.E, last, known, FREQUENCIES) == date(2028, 1, 10)  # 730


def test_an_activity_outside_hygiene_has_no_routine_visit_until_inspected() -> None:
    billboards = RULES.assess(EstablishmentRecord("Affichage publicitaire"))
    assert billboards.routine is False
    assert billboards.reasons[-1].text.startswith("activité hors du contrôle d'hygiène")
    inspected = RULES.assess(EstablishmentRecord("Affichage publicitaire", last_compliant=False))
    assert inspected.routine is True
    assert RULES.assess(EstablishmentRecord("Boucherie")).routine is True
