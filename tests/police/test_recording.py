"""Recording is idempotent by submission id: a replay is answered with the first receipt even
once the case has moved on, a fresh submission that is refused says why, and the fingerprint
that tells a replay from a reused id is fixed (it is on the record of every inspection)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from police.app import PoliceApp
from police.commands import CloseCase
from police.errors import InvalidTransition
from police.identifiers import SubjectInput
from police.submission import Finding, InspectionSubmission, Location
from tests.police import builders
from tests.police.builders import Staff, event_count


def test_a_replayed_follow_up_gets_its_first_receipt_after_the_case_is_closed(
    app: PoliceApp, staff: Staff
) -> None:
    case_id = builders.opened_case(app, builders.hygiene(), staff.hygiene_officer)
    follow_up = builders.hygiene(findings=(), follow_up_case_id=case_id)
    first = app.record_inspection(follow_up, staff.hygiene_officer)
    app.change_case(
        CloseCase(case_id=case_id, reason="Régularisé, dossier clos"), staff.hygiene_chief
    )
    count = event_count(app)
    assert app.record_inspection(follow_up, staff.hygiene_officer) == replace(first, duplicate=True)
    assert event_count(app) == count


def test_a_fresh_submission_refused_by_the_case_says_why(app: PoliceApp, staff: Staff) -> None:
    case_id = builders.opened_case(app, builders.hygiene(), staff.hygiene_officer)
    app.change_case(
        CloseCase(case_id=case_id, reason="Régularisé, dossier clos"), staff.hygiene_chief
    )
    with pytest.raises(InvalidTransition, match="est « Clos »"):
        app.record_inspection(
            builders.hygiene(findings=(), follow_up_case_id=case_id), staff.hygiene_officer
        )


def test_the_fingerprint_of_a_submission_is_its_canonical_json_hashed() -> None:
    submission = InspectionSubmission(
        submission_id=UUID("6f1c2e1a-0d7b-4c55-9a39-5b1f0c7e2d11"),
        brigade="public_domain",
        observed_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        location=Location(arrondissement="anfa", address="Boulevard d'Anfa"),
        subject=SubjectInput(kind="establishment", trade_name="Café Atlas"),
        findings=(Finding("ODP-01", Decimal("12.5")),),
        measurements={"terrasse_m2": Decimal("12.5"), "chaises": Decimal("8")},
        observations="مقهى",
        evidence=(builders.evidence("photo"),),  # not part of it: a replay may carry more
    )
    canonical = (
        '{"brigade": "public_domain", "findings": [{"code": "ODP-01", "quantity": "12.5"}], '
        '"follow_up_case_id": null, "location": {"accuracy_m": null, '
        '"address": "Boulevard d\'Anfa", "arrondissement": "anfa", "lat": null, "lon": null}, '
        '"measurements": {"chaises": "8", "terrasse_m2": "12.5"}, "measures": [], '
        '"observations": "مقهى", "observed_at": "2026-11-20 09:30:00+00:00", '
        '"permit_number": "", "subject": {"activity": "", "address": "", "cin": "", '
        '"colour": "", "foreign_plate": false, "full_name": "", "ice": "", '
        '"kind": "establishment", "make": "", "plate": "", "rc": "", '
        '"trade_name": "Café Atlas"}, "submission_id": "6f1c2e1a-0d7b-4c55-9a39-5b1f0c7e2d11"}'
    )
    assert submission.digest() == hashlib.sha256(canonical.encode()).hexdigest()
