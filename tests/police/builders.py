"""Test data: inspection submissions as a phone would send them, and the staff of a city."""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any, BinaryIO
from uuid import UUID

from police import clock
from police.aggregates.campaign import Campaign
from police.aggregates.user import User
from police.app import CampaignPlan, PoliceApp
from police.identifiers import SubjectInput, derived_id, subject_id
from police.objects import ObjectWriter, Stored
from police.passwords import hash_password
from police.permit_terms import Billboard, Conditions, PermitTerms
from police.roles import SYSTEM, parse_brigade, parse_role
from police.submission import Evidence, Finding, InspectionSubmission, Location
from police.two_factor import recovery_digest
from police.workflow import NoticeKind
from storage import StoreUnavailable

PASSWORD = "mot-de-passe-solide"
CAFE_ICE = "001234567000089"
ZERKTOUNI = Location(
    arrondissement="maarif",
    address="112 boulevard Zerktouni",
    lat=33.5861,
    lon=-7.6329,
    accuracy_m=8,
)


def hygiene(**changes: Any) -> InspectionSubmission:
    base = InspectionSubmission(
        submission_id=uuid.uuid4(),
        brigade="hygiene",
        observed_at=datetime.now(UTC),
        location=ZERKTOUNI,
        subject=SubjectInput(
            kind="establishment", trade_name="Café Atlas", ice=CAFE_ICE, activity="Café"
        ),
        findings=(Finding("HYG-02"), Finding("HYG-05", Decimal("2"))),
        observations="Sols et plans de travail sales ; deux serveurs sans certificat médical.",
    )
    return replace(base, **changes)


def parking(plate: str = "12345-A-6", **changes: Any) -> InspectionSubmission:
    base = InspectionSubmission(
        submission_id=uuid.uuid4(),
        brigade="parking",
        observed_at=datetime.now(UTC),
        location=Location(
            arrondissement="sidi_belyout", address="Boulevard Mohammed V", lat=33.5975, lon=-7.6170
        ),
        subject=SubjectInput(kind="vehicle", plate=plate, make="Dacia Logan", colour="blanche"),
        findings=(Finding("STA-02"),),
    )
    return replace(base, **changes)


def public_domain(**changes: Any) -> InspectionSubmission:
    base = InspectionSubmission(
        submission_id=uuid.uuid4(),
        brigade="public_domain",
        observed_at=datetime.now(UTC),
        location=Location(
            arrondissement="anfa", address="Boulevard d'Anfa, terrasse", lat=33.5890, lon=-7.6420
        ),
        subject=SubjectInput(
            kind="establishment", trade_name="Café de Paris", ice="002233445000067"
        ),
        findings=(),
    )
    return replace(base, **changes)


def terrace(**changes: Any) -> PermitTerms:
    """A café terrace of 6 m x 2 m (12 m²) in front of Café de Paris, for the year 2026 on."""
    base = PermitTerms(
        kind="terrace",
        holder=public_domain().subject,
        location=public_domain().location,
        valid_from=date(2026, 1, 1),
        valid_until=date(2099, 12, 31),
        fee=Decimal("3600"),
        frontage_m=Decimal("6"),
        depth_m=Decimal("2"),
        conditions=Conditions(walking_path_m=Decimal("1.5"), hours="08:00-23:00"),
    )
    return replace(base, **changes)


def billboard(structure_id: str = "CAS-PUB-0042", **changes: Any) -> PermitTerms:
    """A lit two-face 12 m² billboard on boulevard Zerktouni."""
    base = PermitTerms(
        kind="billboard",
        holder=SubjectInput(
            kind="establishment", trade_name="Affichage Atlas", ice="003344556000078"
        ),
        location=Location(
            arrondissement="maarif", address="Boulevard Zerktouni", lat=33.5866, lon=-7.6335
        ),
        valid_from=date(2026, 1, 1),
        valid_until=date(2099, 12, 31),
        fee=Decimal("24000"),
        billboard=Billboard(
            structure_id=structure_id,
            faces=2,
            m2_per_face=Decimal("12"),
            lit=True,
            company="Affichage Atlas",
        ),
    )
    return replace(base, **changes)


def evidence(seed: str) -> Evidence:
    import hashlib

    digest = hashlib.sha256(seed.encode()).hexdigest()
    return Evidence(
        key=f"evidence/{digest}",
        sha256=digest,
        size=123_456,
        content_type="image/jpeg",
        captured_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        thumbnail_key=f"thumbnails/{digest}.webp",
    )


def opened_case(app: PoliceApp, submission: InspectionSubmission, officer: UUID) -> UUID:
    """Records ``submission`` by ``officer`` and returns the id of the case it opened."""
    receipt = app.record_inspection(submission, officer)
    assert receipt.case_opened, "the inspection opened a case"
    assert receipt.case_id is not None
    return receipt.case_id


def event_count(app: PoliceApp) -> int:
    """How many events the store holds: a refused command must leave it unchanged."""
    return app.recorder.max_notification_id() or 0


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


@dataclass(frozen=True)
class Staff:
    admin: UUID
    hygiene_chief: UUID
    parking_chief: UUID
    odp_chief: UUID
    hygiene_officer: UUID
    hygiene_officer_2: UUID
    parking_officer: UUID
    odp_officer: UUID
    legal: UUID
    permits_clerk: UUID


def totp_secret(username: str) -> str:
    """The test key of an account's second factor: fixed per username, made here, never shipped."""
    return base64.b32encode(hashlib.sha256(f"totp:{username}".encode()).digest()[:20]).decode()


RECOVERY_CODE = "TEST-CODE-SECO-URS1"  # each enrolled test account's one recovery code


def hire(
    app: PoliceApp, username: str, roles: list[str], brigades: list[str], badge: str = ""
) -> UUID:
    """Saves a user directly (one Argon2 hash for the whole session keeps the suite fast).
    Those whose role requires a second factor (admins, legal staff) are enrolled with the key
    ``totp_secret(username)`` and the recovery code ``RECOVERY_CODE``."""
    user = User(
        username=username,
        full_name=username.replace(".", " ").title(),
        badge=badge,
        password_hash=_password_hash(),
        actor_id=SYSTEM.id,
        must_change_password=False,
    )
    for role in roles:
        user.grant_role(SYSTEM, parse_role(role))
    for brigade in brigades:
        user.grant_brigade(SYSTEM, parse_brigade(brigade))
    if user.needs_two_factor:
        user.enrol_two_factor(
            SYSTEM,
            secret=totp_secret(username),
            recovery_digests=[recovery_digest(RECOVERY_CODE)],
            totp_step=0,
        )
    app.save(user)
    return user.id


def staff_of(app: PoliceApp) -> Staff:
    return Staff(
        admin=hire(app, "admin", ["admin"], []),
        hygiene_chief=hire(app, "chef.hygiene", ["supervisor"], ["hygiene"]),
        parking_chief=hire(app, "chef.stationnement", ["supervisor"], ["parking"]),
        odp_chief=hire(app, "chef.odp", ["supervisor"], ["public_domain"]),
        hygiene_officer=hire(app, "agent.hygiene", ["officer"], ["hygiene"], badge="H-1042"),
        hygiene_officer_2=hire(app, "agent.hygiene2", ["officer"], ["hygiene"]),
        parking_officer=hire(app, "agent.stationnement", ["officer"], ["parking"]),
        odp_officer=hire(app, "agent.odp", ["officer"], ["public_domain"]),
        legal=hire(app, "juriste", ["legal"], ["hygiene", "parking", "public_domain"]),
        permits_clerk=hire(app, "autorisations", ["permits"], []),
    )


def put_notice_on_record(
    app: PoliceApp,
    case_id: UUID,
    actor: UUID,
    kind: NoticeKind,
    number: str,
    replaces: str | None = None,
) -> None:
    """A notice as the issuing command records it (rendering and storage are tested apart)."""
    digest = hashlib.sha256(number.encode()).hexdigest()

    case = app.get_case(case_id)
    case.issue_notice(
        app.actor(actor),
        notice_id=derived_id(case_id, number),
        kind=kind,
        number=number,
        key=f"notices/{digest}",
        sha256=digest,
        size=1000,
        issued_on=app.today(),
        deadline=app.today() + timedelta(days=15),
        replaces=replaces,
    )

    app.save(case)


@contextmanager
def notices_refused(store: ObjectWriter) -> Iterator[None]:
    """Inside the block the object store takes photos but refuses notices, as if it went down
    between the two. A double: a real server cannot be made to fail for one kind of object."""
    real_put = store.put

    def put(prefix: str, source: BinaryIO, content_type: str) -> Stored:
        if prefix == "notices":
            raise StoreUnavailable("the object store is down")
        return real_put(prefix, source, content_type)

    store.put = put  # type: ignore[method-assign]  # the double, for the block only
    try:
        yield
    finally:
        store.put = real_put  # type: ignore[method-assign]


def target(subject: SubjectInput, place: Location) -> dict[str, Any]:
    """A campaign target as the register offers an establishment."""
    return {
        "key": f"subject:{subject_id(f'ice:{subject.ice}')}",
        "kind": "establishment",
        "label": subject.trade_name,
        "arrondissement": place.arrondissement,
        "address": place.address,
        "lat": place.lat,
        "lon": place.lon,
    }


def cold_chain(
    app: PoliceApp, chief: UUID, officers: list[UUID], targets: tuple[dict[str, Any], ...] = ()
) -> Campaign:
    """A hygiene campaign from today for ten days, planned by ``chief``."""
    return app.plan_campaign(
        chief,
        CampaignPlan(
            brigade="hygiene",
            theme="Chaîne du froid",
            starts_on=app.today(),
            ends_on=app.today() + timedelta(days=10),
            officer_ids=officers,
            arrondissements=sorted({t["arrondissement"] for t in targets}),
            targets=list(targets),
        ),
    )


def expired_token(app: PoliceApp, admin: UUID, user_id: UUID, **changes: Any) -> str:
    """A token issued to ``user_id`` a year and a month ago, valid for a month: expired since
    the day after its expiry, a year ago."""
    with clock.frozen_at(datetime.now(UTC) - timedelta(days=400)):
        expires_on = app.today() + timedelta(days=30)
        issued = app.issue_api_token(
            admin, user_id, label="Expiré", expires_on=expires_on, **changes
        )
    return issued.token


def topics_since(app: PoliceApp, position: int) -> list[str]:
    """The topics of the events recorded after ``position`` (an ``event_count`` taken before)."""
    return [n.topic for n in app.recorder.select_notifications(position + 1, 10_000)]
