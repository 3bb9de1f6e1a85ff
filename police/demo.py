"""Demo data: the staff of each role and a few hundred realistic inspections over past weeks.

Everything goes through the application's commands, as users would drive them; only the clock
is moved back so dashboards show history. Deterministic for a given seed.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from police import clock
from police.app import PoliceApp
from police.catalogue import Measurement
from police.commands import (
    DecideAppeal,
    FileAppeal,
    IssueNotice,
    RecordService,
)
from police.demo_applications import load_applications
from police.demo_cases import follow_case, location_in, random_id, working_hours
from police.demo_data import (
    CASABLANCA_PREFECTURES,
    COLOURS,
    FOOD_PLACES,
    LOGINS,
    MAKES,
    PLATE_LETTERS,
    STREET_PLACES,
    STREETS,
    VENDORS,
)
from police.demo_permit_checks import public_domain_visit, visit_fields
from police.demo_permits import schedule_registry
from police.demo_planning import load_planning, set_rosters
from police.demo_reports import load_reports
from police.identifiers import SubjectInput
from police.roles import SYSTEM, Brigade
from police.submission import Finding, InspectionSubmission, Location, Position
from police.workflow import NOTICE_RULES, AppealOutcome, NoticeKind, ServiceMethod


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
    follow_ups: int = 0
    notices: int = 0
    permits: int = 0
    arretes: int = 0
    applications: int = 0
    tracking_path: str = ""  # one online application's tracking page (/demarches/suivi/...)
    reports: int = 0
    campaigns: int = 0
    access_notice: tuple[str, str] = ("", "")  # a notice's number and its printed access code
    report_path: str = ""  # one resident's report's tracking page (/signaler/suivi/...)
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
    """Registers the demo staff; has the permits office grant the registry's permits over the
    past year (and renew, suspend, amend, revoke some); records ``inspections`` over the last
    ``days`` (the public-domain ones checked against the registry) and what supervisors did
    with the cases, then has the legal desk issue a few notices of every kind (today's parking
    tickets are left to the day's batch); last, today's online applications, in every status
    (``police.demo_applications``), the residents' reports of the last days
    (``police.demo_reports``), and the campaigns (``police.demo_planning``); the rosters are set
    first, so that the visits of the history were given by the rule."""
    users = create_demo_users(app)
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    now = clock.now()
    start = now - timedelta(days=days)
    with clock.frozen_at(start - timedelta(hours=1)):
        set_rosters(app, users)
    summary = DemoSummary()
    steps: list[_Step] = []
    counter = iter(range(1_000_000))

    def later(at: datetime, run: Callable[[], None]) -> None:
        if at < now:
            heapq.heappush(steps, _Step(at, next(counter), run))

    establishments = _establishments(app, rng)
    # The registry draws from its own generator: the rest of the demo stays as it was.
    permits_rng = random.Random(f"{seed}:permits")  # noqa: S311 - as above
    registry = schedule_registry(
        app, permits_rng, users["autorisations"], establishments, now, later
    )
    places = {subject.trade_name: (subject, place) for subject, place in establishments}

    def visit(compliant: bool) -> dict[str, Any]:
        found = public_domain_visit(app, permits_rng, registry, places, compliant=compliant)
        return visit_fields(found) | {"opened_position": _opened_near(permits_rng, found.location)}

    for i in range(inspections):
        at = start + timedelta(seconds=(days * 86400) * (i + rng.random()) / inspections)
        at = working_hours(at, rng, app.territory.timezone)
        later(at, _inspection_step(app, rng, users, establishments, at, later, summary, visit))
    while steps:
        step = heapq.heappop(steps)
        with clock.frozen_at(step.at):
            step.run()
    summary.permits, summary.arretes = registry.granted, registry.arretes
    _issue_notices(app, users["juriste"], summary, public_url)
    # Today, after the rest: a period asked for starts today at the earliest.
    applications_rng = random.Random(f"{seed}:applications")  # noqa: S311 - as above
    applied = load_applications(
        app, applications_rng, users, establishments, summary.case_ids, public_url
    )
    summary.applications, summary.tracking_path = len(applied.numbers), applied.tracking_path
    reported = load_reports(app, random.Random(f"{seed}:reports"), users)  # noqa: S311
    summary.reports, summary.report_path = len(reported.numbers), reported.tracking_path
    planning_rng = random.Random(f"{seed}:planning")  # noqa: S311 - as above
    summary.campaigns = len(load_planning(app, planning_rng, users, establishments, now))
    return summary


NOTICES_PER_KIND = 3


def _issue_notices(app: PoliceApp, legal: UUID, summary: DemoSummary, public_url: str) -> None:
    """The tickets' avis were issued with them, in the street; the legal desk issues a few
    notices of every other kind, and some are contested."""
    issued: dict[NoticeKind, int] = dict.fromkeys(NoticeKind, 0)
    for case_id in summary.case_ids:
        case = app.get_case(case_id)
        summary.notices += len(case.notices)  # the ticket's avis, issued with it
        for kind, rule in NOTICE_RULES.items():
            fits = case.workflow in rule.workflows and case.status in rule.statuses
            if not fits or issued[kind] >= NOTICES_PER_KIND:
                continue
            if kind is NoticeKind.AVIS_CONTRAVENTION:
                number = case.notices[0]["number"] if case.notices else None
            else:
                command = IssueNotice(case_id=case_id, kind=kind)
                notice = app.issue_notice(command, legal, public_url=public_url)
                number = notice.number
                summary.notices += 1
                if kind is NoticeKind.MISE_EN_DEMEURE and issued[kind] == 2:
                    # The third, only served (``_contest``): its recipient may contest it.
                    summary.access_notice = (notice.number, notice.access_code)
            if number is None:
                continue
            issued[kind] += 1
            if kind in (NoticeKind.AVIS_CONTRAVENTION, NoticeKind.MISE_EN_DEMEURE):
                _contest(app, legal, case_id, number, issued[kind])
            break


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


def _establishments(app: PoliceApp, rng: random.Random) -> list[tuple[SubjectInput, Location]]:
    places = []
    for name, activity in FOOD_PLACES + STREET_PLACES:
        code = rng.choice(sorted(STREETS))
        arrondissement = app.territory.arrondissement(code)
        ice = "".join(str(rng.randint(0, 9)) for _ in range(13)) + "01"
        subject = SubjectInput(kind="establishment", trade_name=name, ice=ice, activity=activity)
        places.append((subject, location_in(rng, arrondissement, jitter=0.006)))
    return places


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
    visit: Callable[[bool], dict[str, Any]],
) -> Callable[[], None]:
    brigade = rng.choices(list(Brigade), weights=[25, 50, 25])[0]
    compliant = rng.random() < (0.1 if brigade == Brigade.PARKING else 0.3)
    findings = () if compliant else _findings(app, rng, brigade, at)
    measures: tuple[str, ...] = ()
    checked = False  # a public-domain occupation, checked against the registry when it is met
    if brigade == Brigade.PARKING:
        officer = users[rng.choice(["agent.stationnement", "agent.stationnement2"])]
        arrondissement = app.territory.arrondissement(rng.choice(sorted(STREETS)))
        subject = SubjectInput(
            kind="vehicle", plate=_plate(rng), make=rng.choice(MAKES), colour=rng.choice(COLOURS)
        )
        location = location_in(rng, arrondissement, jitter=0.01)
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
            location = location_in(rng, arrondissement, jitter=0.004)
            findings = () if compliant else (Finding("ODP-06"),)
        else:
            subject, location = rng.choice(establishments[len(FOOD_PLACES) :])
            checked = True
    submission = InspectionSubmission(
        submission_id=random_id(rng),
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
        opened_position=_opened_near(rng, location),
        # Sent as it was made, by a phone on time; one in twenty runs eight minutes behind.
        sent_at=at - timedelta(minutes=8 if rng.random() < 0.05 else 0, seconds=rng.randint(0, 20)),
    )

    def run() -> None:
        recorded = submission
        if checked:  # what the officer finds there depends on the registry of that day
            recorded = replace(submission, **visit(not findings))
        receipt = app.record_inspection(recorded, officer)
        summary.inspections += 1
        if receipt.case_opened and receipt.case_id:
            summary.cases += 1
            summary.case_ids.append(receipt.case_id)
            follow_case(app, rng, users, brigade, receipt.case_id, at, later, summary)

    return run


def _opened_near(rng: random.Random, location: Location) -> Position | None:
    """Where the phone was when the form opened: a few metres from where it was sent."""
    if location.lat is None or location.lon is None:
        return None
    lat = round(location.lat + rng.uniform(-0.0002, 0.0002), 6)
    lon = round(location.lon + rng.uniform(-0.0002, 0.0002), 6)
    return Position(lat, lon, float(rng.choice([10, 15, 25])))
