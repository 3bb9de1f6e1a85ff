"""The case timeline in the reader's language: every kind of case event worded in French and in
Arabic (``police.wording``) from the read model's kind and parameters alone, the assigned officer
named, values isolated in right-to-left text."""

from __future__ import annotations

import json
from datetime import timedelta
from uuid import UUID

import pytest
from starlette.testclient import TestClient

from police import wording
from police.access_codes import code_digest
from police.aggregates.case import Case
from police.app import PoliceApp
from police.commands import (
    AssignCase,
    CloseCase,
    DecideAppeal,
    DismissCase,
    EscalateCase,
    FileAppeal,
    ImposeFine,
    RecordCompliance,
    RecordPayment,
    RecordService,
    ReleaseVehicle,
    ReopenCase,
    ScheduleFollowUp,
    ValidateCase,
)
from police.identifiers import SubjectInput
from police.workflow import NoticeKind
from projections.queries import ReadModels, TimelineLine
from tests.police import builders
from tests.police.builders import Staff, put_notice_on_record
from tests.web.conftest import log_in, services_of
from web import i18n, timeline


def grocery(n: int) -> SubjectInput:
    return SubjectInput(
        kind="establishment", trade_name=f"Épicerie {n}", address=f"{n} rue Allal Ben Abdellah"
    )


def shop(police: PoliceApp, staff: Staff, n: int) -> UUID:
    receipt = police.record_inspection(builders.hygiene(subject=grocery(n)), staff.hygiene_officer)
    assert receipt.case_id is not None
    return receipt.case_id


def every_kind_of_case_event(police: PoliceApp, staff: Staff) -> list[UUID]:
    chief, legal, today = staff.hygiene_chief, staff.legal, police.today()
    followed = shop(police, staff, 1)
    police.change_case(ValidateCase(case_id=followed, note="Constat confirmé"), chief)
    police.change_case(AssignCase(case_id=followed, officer_id=staff.hygiene_officer_2), chief)
    police.change_case(ScheduleFollowUp(case_id=followed, due_on=today + timedelta(days=7)), chief)
    visit = police.record_inspection(
        builders.hygiene(subject=grocery(1), findings=(), follow_up_case_id=followed),
        staff.hygiene_officer,
    )
    police.change_case(
        RecordCompliance(
            case_id=followed, note="Locaux nettoyés", inspection_id=visit.inspection_id
        ),
        chief,
    )

    contested = shop(police, staff, 2)
    police.change_case(ValidateCase(case_id=contested), chief)
    put_notice_on_record(police, contested, legal, NoticeKind.MISE_EN_DEMEURE, "MD-2026-000001")
    put_notice_on_record(
        police, contested, legal, NoticeKind.MISE_EN_DEMEURE, "MD-2026-000002", "MD-2026-000001"
    )
    police.change_case(
        RecordService(
            case_id=contested,
            number="MD-2026-000002",
            method="registered_mail",
            served_on=today,
            served_to="M. Benali, gérant",
        ),
        legal,
    )
    police.change_case(
        ImposeFine(case_id=contested, reason="Mise en demeure ignorée", due_on=today), legal
    )
    police.change_case(
        FileAppeal(case_id=contested, filed_on=today, grounds="Erreur", against="MD-2026-000002"),
        legal,
    )
    police.change_case(
        DecideAppeal(case_id=contested, outcome="cancelled", decided_on=today), legal
    )

    escalated = shop(police, staff, 3)
    police.change_case(ValidateCase(case_id=escalated), chief)
    police.change_case(EscalateCase(case_id=escalated, reason="Aucune régularisation"), chief)

    reopened = shop(police, staff, 4)
    police.change_case(ValidateCase(case_id=reopened), chief)
    police.change_case(CloseCase(case_id=reopened, reason="Fonds cédé"), chief)
    police.change_case(ReopenCase(case_id=reopened, reason="Toujours exploité"), chief)

    dismissed = shop(police, staff, 5)
    police.change_case(DismissCase(case_id=dismissed, reason="Erreur d'adresse"), chief)

    clamped = builders.parking(measures=("clamp",))
    ticket = police.record_inspection(clamped, staff.parking_officer).case_id
    assert ticket is not None
    due = police.get_case(ticket).balance
    police.change_case(
        RecordPayment(case_id=ticket, amount=due, receipt_number="Q-7", paid_on=today), legal
    )
    police.change_case(
        ReleaseVehicle(case_id=ticket, released_on=today, released_to="M. Alami"),
        staff.parking_chief,
    )
    # The recipient, with the code printed on the notice, contests and declares compliance;
    # legal staff replace the code.
    online = shop(police, staff, 6)
    police.change_case(ValidateCase(case_id=online), chief)
    put_notice_on_record(police, online, legal, NoticeKind.MISE_EN_DEMEURE, "MD-2026-000003")
    case = police.get_case(online)
    case.issue_access_code(police.actor(legal), "MD-2026-000003", code_digest("AAAA-BBBB-CCCC"))
    police.save(case)
    digest = code_digest("AAAA-BBBB-CCCC")
    police.file_contestation(online, "MD-2026-000003", digest, grounds="Local fermé ce jour-là")
    police.declare_compliance(online, "MD-2026-000003", digest, statement="Cuisine refaite")
    police.revoke_access_code(legal, online, "MD-2026-000003", reason="Avis perdu", replace=True)
    return [followed, contested, escalated, reopened, dismissed, ticket, online]


def lines_of(client: TestClient, police: PoliceApp, cases: list[UUID]) -> list[TimelineLine]:
    client.get("/officer")  # waits for the read models to include the last command
    models = ReadModels(services_of(client).projector.store, police.today)
    return [line for case_id in cases for line in models.timeline(str(case_id))]


def test_every_kind_of_case_event_is_worded_in_french_and_in_arabic(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    log_in(client, "admin")
    lines = lines_of(client, police, every_kind_of_case_event(police, staff))
    case_events = {cls for cls in vars(Case).values() if _is_case_event(cls)}
    assert {line.event for line in lines} == case_events  # the history above misses none
    assert {kind for kind in wording.WORDINGS if issubclass(kind, Case.Event)} == case_events
    names = {str(staff.hygiene_officer_2): "Agent Hygiene2"}
    try:
        worded = {}
        for language in ("fr", "ar"):
            i18n.set_language(language)
            worded[language] = [timeline.sentence(line, names) for line in lines]
    finally:
        i18n.set_language("fr")
    for line, french, arabic in zip(lines, worded["fr"], worded["ar"], strict=True):
        assert french.strip(), line.kind
        assert arabic.strip(), line.kind
        assert arabic != french, line.kind


def test_the_case_page_names_the_assigned_officer_in_the_readers_language(
    client: TestClient, police: PoliceApp, staff: Staff
) -> None:
    case_id = shop(police, staff, 1)
    police.change_case(ValidateCase(case_id=case_id, note="Vu"), staff.hygiene_chief)
    police.change_case(
        AssignCase(case_id=case_id, officer_id=staff.hygiene_officer_2), staff.hygiene_chief
    )
    log_in(client, "chef.hygiene")
    page = client.get(f"/cases/{case_id}").text
    assert "Dossier attribué à Agent Hygiene2" in page
    assert "Dossier validé : Vu" in page

    client.get("/lang/ar")
    page = client.get(f"/cases/{case_id}").text
    # Each value isolated, so a Latin name, plate or reference keeps its order in Arabic text.
    assert "أُسند الملف إلى \u2068Agent Hygiene2\u2069" in page
    assert "صودق على الملف: \u2068Vu\u2069" in page
    assert "فُتح الملف" in page
    assert "<bdi>Épicerie 1</bdi>" in page  # names and plates isolated in the facts too
    assert "Dossier attribué" not in page


def test_a_line_is_worded_from_its_stored_kind_and_parameters_alone() -> None:
    line = TimelineLine(
        position=9,
        version=4,
        at="2026-11-20T10:00:00+00:00",
        actor_id=None,
        actor_name="Système",
        kind="ServiceRecorded",
        params=json.dumps(
            {
                "number": "MD-1",
                "method": "hand",
                "served_on": "2026-11-20",
                "served_to": "M. Benali",
            }
        ),
    )
    assert line.event is Case.ServiceRecorded
    assert timeline.sentence(line, {}) == (
        "Avis MD-1 notifié le 20 novembre 2026 à M. Benali (Remise en main propre)"
    )
    assert timeline.actor_name(line) == "Système"
    i18n.set_language("ar")
    try:
        assert timeline.sentence(line, {}).startswith("بُلّغ الإشعار \u2068MD-1\u2069")
        assert timeline.actor_name(line) == "النظام"
    finally:
        i18n.set_language("fr")


def test_a_stored_kind_no_case_event_bears_is_refused_by_name() -> None:
    line = TimelineLine(
        position=1, version=1, at="", actor_id=None, actor_name="", kind="Renamed", params="{}"
    )
    with pytest.raises(LookupError, match="'Renamed' is no case event"):
        _ = line.event


def _is_case_event(cls: object) -> bool:
    # Case.Created is the library's default creation class: a case is created by Opened.
    return (
        isinstance(cls, type)
        and issubclass(cls, Case.Event)
        and cls not in (Case.Event, Case.Created)
    )
