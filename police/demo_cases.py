"""What the demo's supervisors, officers and legal staff do with a case once it is open: review,
dismissal, follow-up visits and their outcome, payment and release of a vehicle, each in the
city's working hours (``police.demo`` schedules them)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from typing import Any, Protocol
from uuid import UUID

from police import clock
from police.app import PoliceApp
from police.commands import (
    DismissCase,
    EscalateCase,
    RecordCompliance,
    RecordPayment,
    ReleaseVehicle,
    ScheduleFollowUp,
    ValidateCase,
)
from police.demo_data import DISMISS_REASONS, OWNERS, STREETS
from police.identifiers import SubjectInput, SubjectKind
from police.roles import Brigade
from police.submission import Finding, InspectionSubmission, Location, Position
from police.territory import Arrondissement
from police.workflow import CaseStatus

Later = Callable[[datetime, Callable[[], None]], None]


class Counts(Protocol):
    inspections: int
    transitions: int
    follow_ups: int


def random_id(rng: random.Random) -> UUID:
    """A submission id as a phone makes one, from the demo's seeded generator."""
    return UUID(int=rng.getrandbits(128), version=4)


def follow_case(
    app: PoliceApp,
    rng: random.Random,
    users: dict[str, UUID],
    brigade: Brigade,
    case_id: UUID,
    at: datetime,
    later: Later,
    summary: Counts,
) -> None:
    """Schedules what a supervisor and officers do with the case in the following days."""
    chief = users[
        {
            Brigade.HYGIENE: "chef.hygiene",
            Brigade.PARKING: "chef.stationnement",
            Brigade.PUBLIC_DOMAIN: "chef.odp",
        }[brigade]
    ]
    officer = users[
        {
            Brigade.HYGIENE: "agent.hygiene2",
            Brigade.PARKING: "agent.stationnement",
            Brigade.PUBLIC_DOMAIN: "agent.odp",
        }[brigade]
    ]
    roll = rng.random()

    def act(command: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            case = app.get_case(case_id)
            if case.is_open:
                command()
                summary.transitions += 1

        return run

    review = at + timedelta(hours=rng.randint(2, 48))
    if brigade == Brigade.PARKING:
        if roll < 0.08:
            later(
                review,
                act(
                    lambda: app.change_case(
                        DismissCase(case_id=case_id, reason="Véhicule prioritaire en intervention"),
                        chief,
                    )
                ),
            )
        elif roll < 0.55:  # paid at the counter; a clamped or impounded vehicle then released
            paid = review + timedelta(hours=rng.randint(1, 72))
            owner = rng.choice(OWNERS)
            later(paid, act(lambda: _pay_and_release(app, case_id, users, chief, owner)))
        return
    if roll < 0.12:
        later(
            review,
            act(
                lambda: app.change_case(
                    DismissCase(case_id=case_id, reason=rng.choice(DISMISS_REASONS)), chief
                )
            ),
        )
        return
    if roll < 0.25:
        return  # still awaiting review
    later(
        review,
        act(
            lambda: app.change_case(
                ValidateCase(case_id=case_id, note="Constat vérifié sur photos"), chief
            )
        ),
    )
    due_days = rng.randint(3, 15)
    plan = review + timedelta(hours=1)
    later(
        plan,
        act(
            lambda: app.change_case(
                ScheduleFollowUp(
                    case_id=case_id,
                    due_on=app.today() + timedelta(days=due_days),
                    officer_id=officer,
                ),
                chief,
            )
        ),
    )
    visit = working_hours(plan + timedelta(days=due_days), rng, app.territory.timezone)
    if rng.random() < 0.7:

        def follow_up() -> None:
            case = app.get_case(case_id)
            if case.status not in (CaseStatus.VALIDATED, CaseStatus.NOTIFIED):
                return
            inspection = app.get_inspection(case.inspection_ids[0])
            opened = inspection.opened_location
            rng.random()  # drawn as before, so the rest of the demo stays as it was
            # One follow-up in three finds nothing changed, the first included: even a small
            # demo, whatever its day, escalates a case.
            summary.follow_ups += 1
            compliant = summary.follow_ups % 3 != 1
            receipt = app.record_inspection(
                InspectionSubmission(
                    submission_id=random_id(rng),
                    brigade=brigade,
                    observed_at=clock.now() - timedelta(minutes=5),
                    location=Location(
                        **{
                            k: inspection.location[k]
                            for k in ("arrondissement", "address", "lat", "lon", "accuracy_m")
                        }
                    ),
                    subject=subject_input(inspection.subject),
                    findings=()
                    if compliant
                    else tuple(
                        Finding(f["code"], f["quantity"])
                        for f in inspection.findings
                        if not f["derived"]
                    ),
                    **({} if compliant else checked_again(inspection.permit_check)),
                    measurements={} if compliant else dict(inspection.measurements),
                    follow_up_case_id=case_id,
                    observations="Contrôle de suivi.",
                    opened_position=Position(**opened) if opened else None,
                    sent_at=clock.now() - timedelta(seconds=rng.randint(0, 20)),
                ),
                officer,
            )
            summary.inspections += 1
            decided = clock.now() + timedelta(hours=rng.randint(1, 30))
            if compliant:
                later(
                    decided,
                    act(
                        lambda: app.change_case(
                            RecordCompliance(
                                case_id=case_id,
                                note="Mise en conformité constatée",
                                inspection_id=receipt.inspection_id,
                            ),
                            chief,
                        )
                    ),
                )
            else:
                later(
                    decided,
                    act(
                        lambda: app.change_case(
                            EscalateCase(
                                case_id=case_id, reason="Aucune régularisation au contrôle de suivi"
                            ),
                            chief,
                        )
                    ),
                )

        later(visit, follow_up)


def location_in(rng: random.Random, arrondissement: Arrondissement, *, jitter: float) -> Location:
    """A place in the arrondissement, up to ``jitter`` degrees from its centre, on one of its
    streets, with the phone's accuracy."""
    lat, lon = arrondissement.centre
    return Location(
        arrondissement=arrondissement.code,
        address=f"{rng.randint(1, 250)}, {rng.choice(STREETS[arrondissement.code])}",
        lat=round(lat + rng.uniform(-jitter, jitter), 6),
        lon=round(lon + rng.uniform(-jitter, jitter), 6),
        accuracy_m=float(rng.choice([5, 8, 12, 20, 35])),
    )


def working_hours(day: datetime, rng: random.Random, zone: tzinfo) -> datetime:
    """The same day, between 8:00 and 17:59 in the city, when officers are in the street."""
    local = day.astimezone(zone)
    return local.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59))


def _pay_and_release(
    app: PoliceApp, case_id: UUID, users: dict[str, UUID], chief: UUID, owner: str
) -> None:
    case = app.get_case(case_id)
    app.change_case(
        RecordPayment(
            case_id=case_id,
            amount=case.balance,
            receipt_number=f"Q-{case.reference}",
            paid_on=app.today(),
        ),
        users["juriste"],
    )
    if case.measures:
        app.change_case(
            ReleaseVehicle(case_id=case_id, released_on=app.today(), released_to=owner), chief
        )


def checked_again(check: dict[str, Any] | None) -> dict[str, Any]:
    """What a follow-up finding the same occupation checks again: the same permit, the same
    billboard, or still none."""
    if check is None:
        return {}
    if check["method"] == "structure":
        return {"structure_id": check["structure_id"]}
    if check["method"] == "none":
        return {"no_permit_found": True}
    return {"permit_number": check["number"]}


def subject_input(recorded: dict[str, Any]) -> SubjectInput:
    identifiers, details = recorded["identifiers"], recorded["details"]
    if recorded["kind"] == SubjectKind.PERSON:
        return SubjectInput(
            kind="person", full_name=str(recorded["label"]), cin=identifiers.get("cin", "")
        )
    return SubjectInput(
        kind="establishment",
        trade_name=str(recorded["label"]),
        ice=identifiers.get("ice", ""),
        rc=identifiers.get("rc", ""),
        activity=details.get("activity", ""),
        address=details.get("address", ""),
    )
