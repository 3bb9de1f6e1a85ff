"""Demo data: the staff of each role and a few hundred realistic inspections over past weeks.

Everything goes through the application's commands, as users would drive them; only the clock
is moved back so dashboards show history. Deterministic for a given seed.
"""

from __future__ import annotations

import heapq
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any
from uuid import UUID

from police import clock
from police.app import PoliceApp
from police.catalogue import Measurement
from police.commands import (
    DecideAppeal,
    DismissCase,
    EscalateCase,
    FileAppeal,
    IssueNotice,
    RecordCompliance,
    RecordPayment,
    RecordService,
    ReleaseVehicle,
    ScheduleFollowUp,
    ValidateCase,
)
from police.demo_data import (
    CASABLANCA_PREFECTURES,
    COLOURS,
    DISMISS_REASONS,
    FOOD_PLACES,
    LOGINS,
    MAKES,
    OWNERS,
    PLATE_LETTERS,
    STREET_PLACES,
    STREETS,
    VENDORS,
)
from police.identifiers import SubjectInput, SubjectKind
from police.roles import SYSTEM, Brigade
from police.submission import Finding, InspectionSubmission, Location
from police.territory import Arrondissement
from police.workflow import NOTICE_RULES, AppealOutcome, CaseStatus, NoticeKind, ServiceMethod


@dataclass(order=True)
class _Step:
    at: datetime
    seq: int
    run: Callable[[], None] = field(compare=False)


@dataclass
class DemoSummary:
    inspections: int = 0
    cases: int = 0
    transitions: int = 0
    notices: int = 0
    case_ids: list[UUID] = field(default_factory=list)  # in the order they were opened


def create_demo_users(app: PoliceApp) -> dict[str, UUID]:
    return {
        login.username: app.register_user(
            SYSTEM.id,
            username=login.username,
            full_name=login.full_name,
            password=login.password,
            badge=f"PA-{100 + i:04d}",
            roles=login.roles,
            brigades=login.brigades,
        )
        for i, login in enumerate(LOGINS)
    }


def load_demo(
    app: PoliceApp,
    *,
    inspections: int = 300,
    days: int = 60,
    seed: int = 2026,
    public_url: str = "http://127.0.0.1:8000",
) -> DemoSummary:
    """Registers the demo staff, records ``inspections`` over the last ``days`` and what
    supervisors did with the cases, then has the legal desk issue a few notices of every kind
    (today's parking tickets are left to the day's batch)."""
    users = create_demo_users(app)
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    now = clock.now()
    start = now - timedelta(days=days)
    summary = DemoSummary()
    steps: list[_Step] = []
    counter = iter(range(1_000_000))

    def later(at: datetime, run: Callable[[], None]) -> None:
        if at < now:
            heapq.heappush(steps, _Step(at, next(counter), run))

    establishments = _establishments(app, rng)
    for i in range(inspections):
        at = start + timedelta(seconds=(days * 86400) * (i + rng.random()) / inspections)
        at = _working_hours(at, rng, app.territory.timezone)
        later(at, _inspection_step(app, rng, users, establishments, at, later, summary))
    while steps:
        step = heapq.heappop(steps)
        with clock.frozen_at(step.at):
            step.run()
    _issue_notices(app, users["juriste"], summary, public_url)
    return summary


NOTICES_PER_KIND = 3


def _issue_notices(app: PoliceApp, legal: UUID, summary: DemoSummary, public_url: str) -> None:
    """The tickets' avis were issued with them, in the street; the legal desk issues a few
    notices of every other kind, and some are contested."""
    issued: dict[NoticeKind, int] = dict.fromkeys(NoticeKind, 0)
    for case_id in summary.case_ids:
        case = app.get_case(case_id)
        for kind, rule in NOTICE_RULES.items():
            fits = case.workflow in rule.workflows and case.status in rule.statuses
            if not fits or issued[kind] >= NOTICES_PER_KIND:
                continue
            if kind is NoticeKind.AVIS_CONTRAVENTION:
                number = case.notices[0]["number"] if case.notices else None
            else:
                command = IssueNotice(case_id=case_id, kind=kind)
                number = app.issue_notice(command, legal, public_url=public_url).number
            if number is None:
                continue
            issued[kind] += 1
            if kind in (NoticeKind.AVIS_CONTRAVENTION, NoticeKind.MISE_EN_DEMEURE):
                _contest(app, legal, case_id, number, issued[kind])
            break
    summary.notices = sum(len(app.get_case(c).notices) for c in summary.case_ids)


def _contest(app: PoliceApp, legal: UUID, case_id: UUID, number: str, nth: int) -> None:
    """What follows a notice at the legal desk: served; then, for the first of its kind, an
    appeal upheld or cancelled, and for the second one still pending."""
    today = app.today()
    method = ServiceMethod.HAND if nth == 1 else ServiceMethod.REGISTERED_MAIL
    app.change_case(
        RecordService(
            case_id=case_id, number=number, method=method, served_on=today, served_to="M. Alami"
        ),
        legal,
    )
    if nth > 2:
        return
    app.change_case(
        FileAppeal(case_id=case_id, filed_on=today, grounds="Conteste le constat", against=number),
        legal,
    )
    if nth == 1:
        outcome = AppealOutcome.CANCELLED if app.get_case(case_id).ticket else AppealOutcome.UPHELD
        decision = DecideAppeal(case_id=case_id, outcome=outcome, decided_on=today)
        app.change_case(decision, legal)


def _uuid(rng: random.Random) -> UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _establishments(app: PoliceApp, rng: random.Random) -> list[tuple[SubjectInput, Location]]:
    places = []
    for name, activity in FOOD_PLACES + STREET_PLACES:
        code = rng.choice(sorted(STREETS))
        arrondissement = app.territory.arrondissement(code)
        ice = "".join(str(rng.randint(0, 9)) for _ in range(13)) + "01"
        subject = SubjectInput(kind="establishment", trade_name=name, ice=ice, activity=activity)
        places.append((subject, _location(rng, arrondissement, jitter=0.006)))
    return places


def _location(rng: random.Random, arrondissement: Arrondissement, *, jitter: float) -> Location:
    lat, lon = arrondissement.centre
    return Location(
        arrondissement=arrondissement.code,
        address=f"{rng.randint(1, 250)}, {rng.choice(STREETS[arrondissement.code])}",
        lat=round(lat + rng.uniform(-jitter, jitter), 6),
        lon=round(lon + rng.uniform(-jitter, jitter), 6),
        accuracy_m=float(rng.choice([5, 8, 12, 20, 35])),
    )


def _plate(rng: random.Random) -> str:
    if rng.random() < 0.03:
        return f"WW-{rng.randint(1000, 999999)}"
    region = (
        rng.choice(CASABLANCA_PREFECTURES) if rng.random() < 0.85 else rng.choice([1, 14, 26, 40])
    )
    return f"{rng.randint(1, 99999)}-{rng.choice(PLATE_LETTERS)}-{region}"


def _findings(
    app: PoliceApp, rng: random.Random, brigade: Brigade, at: datetime
) -> tuple[Finding, ...]:
    catalogue = app.catalogue.in_force_on(app.territory.local_date(at))
    chosen = rng.sample(
        catalogue.for_brigade(brigade), k=1 if brigade == Brigade.PARKING else rng.choice([1, 1, 2])
    )
    findings = []
    for infraction in chosen:
        quantity = None
        if infraction.measurement is Measurement.SQUARE_METRES:
            quantity = Decimal(rng.randint(2, 40)) / 2
        elif infraction.measurement is Measurement.COUNT:
            quantity = Decimal(rng.randint(1, 4))
        findings.append(Finding(infraction.code, quantity))
    return tuple(findings)


def _inspection_step(
    app: PoliceApp,
    rng: random.Random,
    users: dict[str, UUID],
    establishments: list[tuple[SubjectInput, Location]],
    at: datetime,
    later: Callable[[datetime, Callable[[], None]], None],
    summary: DemoSummary,
) -> Callable[[], None]:
    brigade = rng.choices(list(Brigade), weights=[25, 50, 25])[0]
    compliant = rng.random() < (0.1 if brigade == Brigade.PARKING else 0.3)
    findings = () if compliant else _findings(app, rng, brigade, at)
    measures: tuple[str, ...] = ()
    if brigade == Brigade.PARKING:
        officer = users[rng.choice(["agent.stationnement", "agent.stationnement2"])]
        arrondissement = app.territory.arrondissement(rng.choice(sorted(STREETS)))
        subject = SubjectInput(
            kind="vehicle", plate=_plate(rng), make=rng.choice(MAKES), colour=rng.choice(COLOURS)
        )
        location = _location(rng, arrondissement, jitter=0.01)
        if findings and rng.random() < 0.1:
            measures = (rng.choice(["clamp", "impound"]),)
    elif brigade == Brigade.HYGIENE:
        officer = users[rng.choice(["agent.hygiene", "agent.hygiene2"])]
        subject, location = rng.choice(establishments[: len(FOOD_PLACES)])
    else:
        officer = users["agent.odp"]
        if rng.random() < 0.2:
            arrondissement = app.territory.arrondissement(rng.choice(sorted(STREETS)))
            subject = SubjectInput(kind="person", full_name=rng.choice(VENDORS))
            location = _location(rng, arrondissement, jitter=0.004)
            findings = () if compliant else (Finding("ODP-06"),)
        else:
            subject, location = rng.choice(establishments[len(FOOD_PLACES) :])
    submission = InspectionSubmission(
        submission_id=_uuid(rng),
        brigade=brigade,
        observed_at=at - timedelta(minutes=rng.randint(1, 20)),
        location=location,
        subject=subject,
        findings=findings,
        measures=measures,
        observations=rng.choice(
            [
                "",
                "",
                "Constat effectué en présence du gérant.",
                "Le contrevenant a refusé de signer.",
                "Photos jointes.",
            ]
        ),
    )

    def run() -> None:
        receipt = app.record_inspection(submission, officer)
        summary.inspections += 1
        if receipt.case_opened and receipt.case_id:
            summary.cases += 1
            summary.case_ids.append(receipt.case_id)
            _follow_case(app, rng, users, brigade, receipt.case_id, at, later, summary)

    return run


def _follow_case(
    app: PoliceApp,
    rng: random.Random,
    users: dict[str, UUID],
    brigade: Brigade,
    case_id: UUID,
    at: datetime,
    later: Callable[[datetime, Callable[[], None]], None],
    summary: DemoSummary,
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
    visit = _working_hours(plan + timedelta(days=due_days), rng, app.territory.timezone)
    if rng.random() < 0.7:

        def follow_up() -> None:
            case = app.get_case(case_id)
            if case.status not in (CaseStatus.VALIDATED, CaseStatus.NOTIFIED):
                return
            inspection = app.get_inspection(case.inspection_ids[0])
            compliant = rng.random() < 0.7
            receipt = app.record_inspection(
                InspectionSubmission(
                    submission_id=_uuid(rng),
                    brigade=brigade,
                    observed_at=clock.now() - timedelta(minutes=5),
                    location=Location(
                        **{
                            k: inspection.location[k]
                            for k in ("arrondissement", "address", "lat", "lon", "accuracy_m")
                        }
                    ),
                    subject=_subject_input(inspection.subject),
                    findings=()
                    if compliant
                    else tuple(
                        Finding(f["code"], f["quantity"])
                        for f in inspection.findings
                        if not f["derived"]
                    ),
                    follow_up_case_id=case_id,
                    observations="Contrôle de suivi.",
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


def _working_hours(day: datetime, rng: random.Random, zone: tzinfo) -> datetime:
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


def _subject_input(recorded: dict[str, Any]) -> SubjectInput:
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
