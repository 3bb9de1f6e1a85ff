"""An online application's history in the reader's language: every kind of application event,
and the permit's fee paid, worded in French and in Arabic (``police.wording``) from the event's
parameters as a page keeps them (dates ISO, amounts decimal strings); what was missing, the
visit's opinion and observations, the refusal's reasons, the permit's number and fee are in the
sentence, the applicant's email and phone never."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from police import clock, wording
from police.aggregates.permit import Permit
from police.aggregates.permit_application import PermitApplication
from police.app import PoliceApp
from police.application_terms import ApplicationInput
from police.commands import ImposeFine, RecordPayment, ValidateCase
from police.evidence import Photo
from police.identifiers import SubjectInput
from police.submission import Location
from police.workflow import NoticeKind
from tests.police import builders
from tests.police.builders import CAFE_ICE, Staff, put_notice_on_record
from tests.storage.photos import jpeg_with_exif
from web import i18n

MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
EMAIL, PHONE = "gerant@cafe-atlas.ma", "06 61 23 45 67"


def asked(app: PoliceApp, **changes: Any) -> ApplicationInput:
    start = app.today() + timedelta(days=7)
    form = ApplicationInput(
        kind="terrace",
        holder=SubjectInput(
            kind="establishment",
            trade_name="Café Atlas",
            ice=CAFE_ICE,
            rc="123456",
            activity="Café",
            address="112 boulevard Zerktouni",
        ),
        email=EMAIL,
        phone=PHONE,
        location=Location(
            arrondissement="maarif", address="112 boulevard Zerktouni", lat=33.5861, lon=-7.6329
        ),
        valid_from=start,
        valid_until=start + timedelta(days=20),
        frontage_m=Decimal("5"),
        depth_m=Decimal("2"),
    )
    return replace(form, **changes)


def photo() -> Photo:
    return Photo(name="plan.jpg", file=io.BytesIO(jpeg_with_exif()))


def every_kind_of_application_event(app: PoliceApp, staff: Staff) -> tuple[str, str]:
    """Café Atlas, fined and unpaid, applies; pays and is let through; is asked for a plan and
    adds it; is visited; is granted, pays the fee and is reminded of the renewal; its link is
    replaced; then its renewal is refused. Returns the two files' numbers."""
    clerk, legal = staff.permits_clerk, staff.legal
    case_id = builders.opened_case(
        app, builders.hygiene(observed_at=MONDAY - timedelta(hours=1)), staff.hygiene_officer
    )
    app.change_case(ValidateCase(case_id=case_id), staff.hygiene_chief)
    put_notice_on_record(app, case_id, legal, NoticeKind.MISE_EN_DEMEURE, "MD-2026-000001")
    app.change_case(ImposeFine(case_id=case_id, reason="Ignorée", due_on=app.today()), legal)
    first = app.submit_application(asked(app))
    app.change_case(
        RecordPayment(
            case_id=case_id, amount=Decimal("4000"), receipt_number="Q-9", paid_on=app.today()
        ),
        legal,
    )
    app.lift_hold(clerk, first.number)
    app.request_documents(clerk, first.number, missing="Plan coté de la terrasse")
    app.add_documents(first.number, first.secret, photos=[photo()], note="Voici le plan")
    app.request_site_visit(clerk, first.number, note="Mesurer le trottoir")
    app.report_site_visit(
        staff.odp_officer,
        first.number,
        opinion="favourable",
        observations="Passage de 2 m laissé aux piétons.",
    )
    permit = app.grant_application(clerk, first.number, fee=Decimal("3000"))
    app.record_permit_payment(
        legal, permit, receipt_number="Q-2026-0042", amount_paid=Decimal(3000)
    )
    assert app.remind_renewal(first.number, lambda application, permit, secret: None)
    app.replace_tracking(clerk, first.number, reason="Lien partagé")
    renewal = app.submit_application(asked(app, renewal_of=permit), actor_id=clerk)
    app.request_site_visit(clerk, renewal.number, note="")
    app.report_site_visit(
        staff.odp_officer,
        renewal.number,
        opinion="unfavourable",
        observations="Terrasse débordant sur la chaussée.",
    )
    app.refuse_application(clerk, renewal.number, reasons="Débordement constaté sur la chaussée.")
    return first.number, renewal.number


def params(event: Any) -> dict[str, Any]:
    """The event's parameters as a page keeps them: dates ISO, amounts decimal strings."""
    values = {k: v.isoformat() if isinstance(v, date) else v for k, v in vars(event).items()}
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in values.items()}


def worded(app: PoliceApp, numbers: tuple[str, ...], language: str) -> list[tuple[type, str]]:
    events: list[Any] = []
    for number in numbers:
        application = app.find_application(number)
        assert application is not None
        events += app.events.get(application.id)
        if application.permit_number:
            events += app.events.get(Permit.create_id(application.permit_number))
    i18n.set_language(language)
    try:
        return [
            (type(e), wording.sentence(type(e), params(e), i18n))
            for e in events
            if type(e) in wording.WORDINGS
        ]
    finally:
        i18n.set_language("fr")


def test_every_kind_of_application_event_is_worded_in_french_and_in_arabic(
    app: PoliceApp, staff: Staff
) -> None:
    with clock.frozen_at(MONDAY):
        numbers = every_kind_of_application_event(app, staff)
        french = worded(app, numbers, "fr")
        arabic = worded(app, numbers, "ar")
    application_events = {
        cls
        for cls in vars(PermitApplication).values()
        if isinstance(cls, type)
        and issubclass(cls, PermitApplication.Event)
        and cls not in (PermitApplication.Event, PermitApplication.Created)
    }
    assert {kind for kind, _ in french} >= application_events | {Permit.FeePaid}
    assert {k for k in wording.WORDINGS if issubclass(k, PermitApplication.Event)} == (
        application_events
    )
    for (kind, fr), (_, ar) in zip(french, arabic, strict=True):
        assert fr.strip(), kind
        assert ar.strip(), kind
        assert ar != fr, kind
        for contact in (EMAIL, "gerant@", "+212661234567", "0661234567", "61 23 45 67"):
            assert contact not in fr, kind
            assert contact not in ar, kind
    sentences = {kind: [fr for k, fr in french if k is kind] for kind, _ in french}
    assert sentences[PermitApplication.Submitted] == [
        "Demande DEM-2026-000001 déposée en ligne : Terrasse de café ou de restaurant pour "
        "Café Atlas, réponse due le 23 décembre 2026",
        "Demande DEM-2026-000002 enregistrée par le service : renouvellement de "
        "AOT-TER-2026-000001 (Terrasse de café ou de restaurant) pour Café Atlas, réponse due "
        "le 23 décembre 2026",
    ]
    assert sentences[PermitApplication.Held] == [
        "Demande retenue jusqu'à régularisation : amende impayée de 4\u202f000,00 MAD "
        "(dossier HYG-2026-000001)"
    ]
    assert sentences[PermitApplication.DocumentsRequested] == [
        "Pièces demandées au demandeur : Plan coté de la terrasse"
    ]
    assert sentences[PermitApplication.DocumentsAdded] == [
        "Pièces ajoutées par le demandeur (1 document(s)) : Voici le plan"
    ]
    assert sentences[PermitApplication.SiteVisitRequested] == [
        "Visite sur place demandée : Mesurer le trottoir",
        "Visite sur place demandée",
    ]
    assert sentences[PermitApplication.SiteVisitReported] == [
        "Visite sur place : avis favorable. Passage de 2 m laissé aux piétons.",
        "Visite sur place : avis défavorable. Terrasse débordant sur la chaussée.",
    ]
    [granted] = sentences[PermitApplication.Granted]
    assert granted.startswith(
        "Autorisation AOT-TER-2026-000001 accordée : redevance de 3\u202f000,00 MAD à payer "
        "(référence de paiement AOT-TER-2026-000001-"
    )
    assert sentences[Permit.FeePaid] == [
        "Redevance de 3\u202f000,00 MAD payée le 23 novembre 2026 (quittance Q-2026-0042) : "
        "en vigueur"
    ]
    assert sentences[PermitApplication.RenewalReminded] == [
        "Rappel de renouvellement envoyé : l'autorisation AOT-TER-2026-000001 prend fin le "
        "20 décembre 2026"
    ]
    assert sentences[PermitApplication.TrackingReplaced] == [
        "Lien de suivi remplacé : Lien partagé"
    ]
    assert sentences[PermitApplication.Refused] == [
        "Demande refusée : Débordement constaté sur la chaussée."
    ]
    arabic_of = dict(zip([fr for _, fr in french], [ar for _, ar in arabic], strict=True))
    assert arabic_of[sentences[PermitApplication.Refused][0]] == (
        "رُفض الطلب: \u2068Débordement constaté sur la chaussée.\u2069"
    )


def test_a_closure_order_and_a_revoked_link_are_worded_too() -> None:
    held = {"reasons": [{"kind": "closure", "reference": "HYG-2026-000007"}]}
    revoked = {"reason": "Demande du titulaire", "token_digest": None}
    lifted = {"reason": "", "actor_id": "x"}
    assert wording.sentence(PermitApplication.Held, held, i18n) == (
        "Demande retenue jusqu'à régularisation : fermeture ordonnée (dossier HYG-2026-000007)"
    )
    assert wording.sentence(PermitApplication.TrackingReplaced, revoked, i18n) == (
        "Lien de suivi révoqué : Demande du titulaire"
    )
    assert wording.sentence(PermitApplication.HoldLifted, lifted, i18n) == "Retenue levée"
