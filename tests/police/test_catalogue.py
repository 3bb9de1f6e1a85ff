"""The infraction catalogue: complete for each brigade, versioned by the day it applies."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from police.catalogue import Catalogue, Ticketing, Workflow
from police.errors import InvalidInput
from police.roles import Brigade

ARABIC = re.compile(r"[\u0600-\u06ff]")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load()


@pytest.mark.parametrize("brigade", list(Brigade))
def test_each_brigade_has_at_least_eight_complete_infractions(
    catalogue: Catalogue, brigade: Brigade
) -> None:
    infractions = catalogue.latest.for_brigade(brigade)
    assert len(infractions) >= 8
    for i in infractions:
        assert i.code
        assert i.label_fr
        assert i.legal_basis
        assert ARABIC.search(i.label_ar), f"{i.code} has no Arabic label"
        assert i.fine > 0
        assert i.deadline_days >= 1
        assert not i.fine_per_unit or i.measurement is not None


def test_parking_is_a_ticket_workflow_with_its_own_series(catalogue: Catalogue) -> None:
    rules = catalogue.latest.rules(Brigade.PARKING)
    assert rules.workflow is Workflow.TICKET
    assert rules.ticketing == Ticketing(series="AC", payment_days=30)
    assert catalogue.latest.rules(Brigade.HYGIENE).workflow is Workflow.NOTICE


def test_the_version_in_force_is_chosen_by_the_day(catalogue: Catalogue) -> None:
    before = catalogue.in_force_on(date(2025, 12, 31))
    after = catalogue.in_force_on(date(2026, 1, 1))
    assert (before.version, after.version) == ("2025.1", "2026.1")
    assert before.infractions["STA-03"].fine == Decimal("500.00")
    assert after.infractions["STA-03"].fine == Decimal("700.00")
    assert "ODP-11" not in before.infractions
    assert "ODP-11" in after.infractions
    # Amendments leave the rest untouched.
    assert before.infractions["HYG-01"] == after.infractions["HYG-01"]


def test_no_catalogue_before_the_first_version(catalogue: Catalogue) -> None:
    with pytest.raises(InvalidInput, match="Aucun catalogue"):
        catalogue.in_force_on(date(2024, 6, 1))


def test_an_unknown_code_or_a_code_of_another_brigade_is_refused(catalogue: Catalogue) -> None:
    with pytest.raises(InvalidInput, match="inconnue"):
        catalogue.latest.infraction("HYG-99", Brigade.HYGIENE)
    with pytest.raises(InvalidInput, match="ne relève pas"):
        catalogue.latest.infraction("STA-01", Brigade.HYGIENE)


def test_fines_per_unit_multiply_by_the_measurement(catalogue: Catalogue) -> None:
    terrace = catalogue.latest.infractions["ODP-02"]
    assert terrace.fine_for(Decimal("3.5")) == Decimal("700.00")
    assert catalogue.latest.infractions["HYG-02"].fine_for(None) == Decimal("2000.00")


def test_an_amendment_of_an_unknown_version_is_refused(tmp_path: Path) -> None:
    source = Path(__file__).parents[2] / "police" / "data" / "catalogue" / "2025-01-01.yaml"
    (tmp_path / "2025-01-01.yaml").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "2026-01-01.yaml").write_text(
        'version: "2026.1"\neffective_from: 2026-01-01\namends: "2024.9"\n', encoding="utf-8"
    )
    with pytest.raises(ValueError, match="amends unknown version"):
        Catalogue.load(tmp_path)


@pytest.mark.parametrize(
    ("edit", "brigade"),
    [
        (("    payment_days: 30\n", ""), "parking"),  # a ticket without a due date
        (("    ticket_series: AC\n", ""), "parking"),  # a ticket without its series
        (("    case_series: HYG\n", "    case_series: HYG\n    payment_days: 30\n"), "hygiene"),
    ],
    ids=["ticket-without-payment-days", "ticket-without-series", "notice-with-payment-days"],
)
def test_ticketing_terms_go_with_the_ticket_workflow_only(
    tmp_path: Path, edit: tuple[str, str], brigade: str
) -> None:
    source = Path(__file__).parents[2] / "police" / "data" / "catalogue" / "2025-01-01.yaml"
    text = source.read_text(encoding="utf-8")
    assert edit[0] in text
    (tmp_path / "2025-01-01.yaml").write_text(text.replace(edit[0], edit[1]), encoding="utf-8")
    with pytest.raises(ValueError, match="ticket_series and payment_days go with the ticket"):
        Catalogue.load(tmp_path)
