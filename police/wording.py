"""How a case's, a permit's or an online application's history reads: the sentence of each kind
of event, in the reader's language, from the parameters kept of it (a case's timeline row, a
permit's or an application's event, its dates ISO strings and its amounts decimal strings).
An application's sentences never carry the applicant's contact (email, phone).
Pages, notices and exports word these events here and nowhere else.

The language is handed in (``Language``): the web request's is ``web.i18n`` itself. Each
message is its French sentence, marked with ``N_`` so that Babel extracts it for the Arabic
catalogue; the language translates it and formats the money and days it carries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from police.aggregates.case import Case
from police.aggregates.permit import Permit, PermitKind
from police.aggregates.permit_application import PermitApplication
from police.errors import N_
from police.permit_terms import KIND_LABELS
from police.workflow import (
    APPEAL_OUTCOME_LABELS,
    NOTICE_RULES,
    SERVICE_METHOD_LABELS,
    AppealOutcome,
    NoticeKind,
    ServiceMethod,
)


class Language(Protocol):
    def gettext_(self, message: str) -> str:
        """The message (its French sentence) in this language."""

    def money(self, amount: Decimal | None) -> str: ...

    def day(self, value: date | None) -> str: ...

    def isolate(self, value: str) -> str:
        """A value as it sits in a sentence: in right-to-left text, isolated, so that a plate
        or a reference keeps its own order."""


Params = Mapping[str, Any]
Names = Mapping[str, str]  # user id -> full name, for the officer a case was assigned to
Wording = Callable[[Params, Language, Names], str]


def sentence(kind: type, params: Params, language: Language, names: Names | None = None) -> str:
    """The sentence of an event of ``kind`` (a ``Case`` event class) with its ``params``;
    KeyError when the parameters lack one the sentence needs."""
    return WORDINGS[kind](params, language, names or {})


def _fill(language: Language, message: str, **values: str) -> str:
    isolated = {name: language.isolate(value) for name, value in values.items()}
    return language.gettext_(message).format(**isolated)


def _day(language: Language, value: str) -> str:
    return language.day(date.fromisoformat(value))


def _money(language: Language, value: str) -> str:
    return language.money(Decimal(value))


def _opened(p: Params, lang: Language, names: Names) -> str:
    if p.get("ticket"):
        return _fill(
            lang,
            N_("Dossier {reference} ouvert : {subject}, avis de contravention {ticket} ({amount})"),
            reference=p["reference"],
            subject=p["subject"],
            ticket=p["ticket"],
            amount=_money(lang, p["amount"]),
        )
    text = N_("Dossier {reference} ouvert : {subject}")
    return _fill(lang, text, reference=p["reference"], subject=p["subject"])


_INSPECTION_ADDED = {  # (follow-up, compliant)
    (False, True): N_("Contrôle ajouté : conforme"),
    (False, False): N_("Contrôle ajouté : non conforme"),
    (True, True): N_("Contrôle de suivi ajouté : conforme"),
    (True, False): N_("Contrôle de suivi ajouté : non conforme"),
}


def _inspection_added(p: Params, lang: Language, names: Names) -> str:
    return lang.gettext_(_INSPECTION_ADDED[(bool(p["follow_up"]), bool(p["compliant"]))])


def _assigned(p: Params, lang: Language, names: Names) -> str:
    officer = names.get(p["officer_id"])
    if officer is None:
        return lang.gettext_(N_("Dossier attribué à un agent"))
    return _fill(lang, N_("Dossier attribué à {officer}"), officer=officer)


def _follow_up_scheduled(p: Params, lang: Language, names: Names) -> str:
    return _fill(lang, N_("Contrôle de suivi prévu le {day}"), day=_day(lang, p["due_on"]))


def _notice_issued(p: Params, lang: Language, names: Names) -> str:
    notice = lang.gettext_(NOTICE_RULES[NoticeKind(p["kind"])].label)
    if p.get("replaces"):
        text = N_("Émission : {notice} n° {number}, qui remplace {replaces}")
        return _fill(lang, text, notice=notice, number=p["number"], replaces=p["replaces"])
    return _fill(lang, N_("Émission : {notice} n° {number}"), notice=notice, number=p["number"])


def _service_recorded(p: Params, lang: Language, names: Names) -> str:
    return _fill(
        lang,
        N_("Avis {number} notifié le {day} à {served_to} ({method})"),
        number=p["number"],
        day=_day(lang, p["served_on"]),
        served_to=p["served_to"],
        method=lang.gettext_(SERVICE_METHOD_LABELS[ServiceMethod(p["method"])]),
    )


def _fine_imposed(p: Params, lang: Language, names: Names) -> str:
    return _fill(
        lang,
        N_("Amende de {amount} infligée, à payer avant le {day}"),
        amount=_money(lang, p["amount"]),
        day=_day(lang, p["due_on"]),
    )


def _payment_recorded(p: Params, lang: Language, names: Names) -> str:
    text = N_("Paiement de {amount} reçu (quittance {receipt_number})")
    if p.get("settled"):
        text = N_("Paiement de {amount} reçu (quittance {receipt_number}) : dossier soldé")
    return _fill(lang, text, amount=_money(lang, p["amount"]), receipt_number=p["receipt_number"])


def _appeal_filed(p: Params, lang: Language, names: Names) -> str:
    return _fill(lang, N_("Recours déposé contre {against}"), against=p["against"])


def _appeal_decided(p: Params, lang: Language, names: Names) -> str:
    return lang.gettext_(APPEAL_OUTCOME_LABELS[AppealOutcome(p["outcome"])])


def _access_code_issued(p: Params, lang: Language, names: Names) -> str:
    return _fill(
        lang, N_("Code d'accès du destinataire imprimé sur {number}"), number=p["notice_number"]
    )


def _access_code_revoked(p: Params, lang: Language, names: Names) -> str:
    text = (
        N_("Code d'accès de {number} remplacé : {text}")
        if p["replaced"]
        else N_("Code d'accès de {number} révoqué : {text}")
    )
    return _fill(lang, text, number=p["notice_number"], text=p["reason"])


def _contestation_filed(p: Params, lang: Language, names: Names) -> str:
    return _fill(
        lang,
        N_("Contestation déposée en ligne par le destinataire contre {number} : {text}"),
        number=p["notice_number"],
        text=p["grounds"],
    )


def _compliance_declared(p: Params, lang: Language, names: Names) -> str:
    return _fill(
        lang,
        N_("Mise en conformité déclarée en ligne par le destinataire, visite demandée : {text}"),
        text=p["statement"],
    )


def _vehicle_released(p: Params, lang: Language, names: Names) -> str:
    return _fill(
        lang,
        N_("Véhicule restitué le {day} à {released_to}"),
        day=_day(lang, p["released_on"]),
        released_to=p["released_to"],
    )


def _noted(plain: str, explained: str) -> Wording:
    """A fixed sentence, with the note or reason the user typed when there is one."""

    def wording(p: Params, lang: Language, names: Names) -> str:
        typed = p.get("note") or p.get("reason") or ""
        return _fill(lang, explained, text=typed) if typed else lang.gettext_(plain)

    return wording


# What an amendment may change, as its sentence names it.
TERM_LABELS = {
    "location": N_("lieu"),
    "surface_m2": N_("surface"),
    "dimensions": N_("dimensions"),
    "outline": N_("contour"),
    "outline_m2": N_("contour"),
    "conditions": N_("conditions"),
    "valid_from": N_("début de validité"),
    "valid_until": N_("fin de validité"),
    "fee": N_("redevance"),
    "billboard": N_("panneau"),
}


def _permit_granted(p: Params, lang: Language, names: Names) -> str:
    return _fill(
        lang,
        N_("Autorisation {number} accordée à {holder} : {surface} m², du {start} au {end}"),
        number=p["number"],
        holder=p["holder_label"],
        surface=str(p["surface_m2"]).replace(".", ","),
        start=_day(lang, p["valid_from"]),
        end=_day(lang, p["valid_until"]),
    )


def _permit_amended(p: Params, lang: Language, names: Names) -> str:
    changed = ", ".join(dict.fromkeys(lang.gettext_(TERM_LABELS[k]) for k in p["changes"]))
    return _fill(
        lang,
        N_("Édition {edition} : {changed} modifié(s). Motif : {text}"),
        edition=str(p["edition"]),
        changed=changed,
        text=p["reason"],
    )


def _permit_renewed(p: Params, lang: Language, names: Names) -> str:
    return _fill(
        lang,
        N_("Édition {edition} : renouvelée jusqu'au {day}, redevance {amount}"),
        edition=str(p["edition"]),
        day=_day(lang, p["valid_until"]),
        amount=_money(lang, p["fee"]),
    )


def _arrete_issued(p: Params, lang: Language, names: Names) -> str:
    return _fill(lang, N_("Arrêté de l'édition {edition} imprimé"), edition=str(p["edition"]))


def _fee_paid(p: Params, lang: Language, names: Names) -> str:
    return _fill(
        lang,
        N_("Redevance de {amount} payée le {day} (quittance {receipt_number}) : en vigueur"),
        amount=_money(lang, p["amount"]),
        day=_day(lang, p["paid_on"]),
        receipt_number=p["receipt_number"],
    )


def _application_submitted(p: Params, lang: Language, names: Names) -> str:
    values = {
        "number": p["number"],
        "kind": lang.gettext_(KIND_LABELS[PermitKind(p["kind"])]),
        "holder": p["holder_label"],
        "day": _day(lang, p["deadline"]),
    }
    by_office = p.get("actor_id") not in (None, "", "None")
    if p.get("renewal_of"):
        text = N_(
            "Demande {number} déposée en ligne : renouvellement de {renewal_of} ({kind}) pour "
            "{holder}, réponse due le {day}"
        )
        if by_office:
            text = N_(
                "Demande {number} enregistrée par le service : renouvellement de {renewal_of} "
                "({kind}) pour {holder}, réponse due le {day}"
            )
        return _fill(lang, text, renewal_of=p["renewal_of"], **values)
    text = N_("Demande {number} déposée en ligne : {kind} pour {holder}, réponse due le {day}")
    if by_office:
        text = N_(
            "Demande {number} enregistrée par le service : {kind} pour {holder}, réponse due le "
            "{day}"
        )
    return _fill(lang, text, **values)


def _held(p: Params, lang: Language, names: Names) -> str:
    owed = [
        _fill(
            lang,
            N_("amende impayée de {amount} (dossier {reference})"),
            amount=_money(lang, reason["amount"]),
            reference=reason["reference"],
        )
        if reason["kind"] == "unpaid"
        else _fill(
            lang, N_("fermeture ordonnée (dossier {reference})"), reference=reason["reference"]
        )
        for reason in p["reasons"]
    ]
    # Each reason is already worded: joined as it is, not isolated like a value.
    return lang.gettext_(N_("Demande retenue jusqu'à régularisation : {owed}")).format(
        owed=" ; ".join(owed)
    )


def _hold_lifted(p: Params, lang: Language, names: Names) -> str:
    # The reason the command records is itself a marked sentence ("Réglé : ...").
    reason = p.get("reason") or ""
    text = lang.gettext_(reason) if reason else ""
    if not text:
        return lang.gettext_(N_("Retenue levée"))
    return lang.gettext_(N_("Retenue levée : {text}")).format(text=text)


def _documents_requested(p: Params, lang: Language, names: Names) -> str:
    return _fill(lang, N_("Pièces demandées au demandeur : {missing}"), missing=p["missing"])


def _documents_added(p: Params, lang: Language, names: Names) -> str:
    count = str(len(p["documents"]))
    if p.get("note"):
        text = N_("Pièces ajoutées par le demandeur ({count} document(s)) : {text}")
        return _fill(lang, text, count=count, text=p["note"])
    return _fill(lang, N_("Pièces ajoutées par le demandeur ({count} document(s))"), count=count)


_OPINIONS = {
    "favourable": N_("Visite sur place : avis favorable. {observations}"),
    "unfavourable": N_("Visite sur place : avis défavorable. {observations}"),
}


def _site_visit_reported(p: Params, lang: Language, names: Names) -> str:
    return _fill(lang, _OPINIONS[p["opinion"]], observations=p["observations"])


def _application_granted(p: Params, lang: Language, names: Names) -> str:
    return _fill(
        lang,
        N_(
            "Autorisation {number} accordée : redevance de {amount} à payer (référence de "
            "paiement {reference})"
        ),
        number=p["permit_number"],
        amount=_money(lang, p["fee"]),
        reference=p["payment_reference"],
    )


def _tracking_replaced(p: Params, lang: Language, names: Names) -> str:
    if p.get("token_digest"):
        return _fill(lang, N_("Lien de suivi remplacé : {text}"), text=p["reason"])
    return _fill(lang, N_("Lien de suivi révoqué : {text}"), text=p["reason"])


def _renewal_reminded(p: Params, lang: Language, names: Names) -> str:
    return _fill(
        lang,
        N_("Rappel de renouvellement envoyé : l'autorisation {number} prend fin le {day}"),
        number=p["permit_number"],
        day=_day(lang, p["valid_until"]),
    )


WORDINGS: dict[type, Wording] = {
    PermitApplication.Submitted: _application_submitted,
    PermitApplication.Held: _held,
    PermitApplication.HoldLifted: _hold_lifted,
    PermitApplication.DocumentsRequested: _documents_requested,
    PermitApplication.DocumentsAdded: _documents_added,
    PermitApplication.SiteVisitRequested: _noted(
        N_("Visite sur place demandée"), N_("Visite sur place demandée : {text}")
    ),
    PermitApplication.SiteVisitReported: _site_visit_reported,
    PermitApplication.Granted: _application_granted,
    PermitApplication.Refused: lambda p, lang, names: _fill(
        lang, N_("Demande refusée : {text}"), text=p["reasons"]
    ),
    PermitApplication.TrackingReplaced: _tracking_replaced,
    PermitApplication.RenewalReminded: _renewal_reminded,
    Permit.FeePaid: _fee_paid,
    Permit.Granted: _permit_granted,
    Permit.Amended: _permit_amended,
    Permit.Renewed: _permit_renewed,
    Permit.Suspended: _noted(N_("Autorisation suspendue"), N_("Autorisation suspendue : {text}")),
    Permit.Reinstated: _noted(N_("Suspension levée"), N_("Suspension levée : {text}")),
    Permit.Revoked: _noted(N_("Autorisation retirée"), N_("Autorisation retirée : {text}")),
    Permit.ArreteIssued: _arrete_issued,
    Case.Opened: _opened,
    Case.InspectionAdded: _inspection_added,
    Case.Validated: _noted(N_("Dossier validé"), N_("Dossier validé : {text}")),
    Case.Dismissed: _noted(N_("Classé sans suite"), N_("Classé sans suite : {text}")),
    Case.Assigned: _assigned,
    Case.FollowUpScheduled: _follow_up_scheduled,
    Case.ComplianceRecorded: _noted(
        N_("Régularisation constatée"), N_("Régularisation constatée : {text}")
    ),
    Case.Escalated: _noted(
        N_("Dossier transmis (escalade)"), N_("Dossier transmis (escalade) : {text}")
    ),
    Case.Closed: _noted(N_("Dossier clos"), N_("Dossier clos : {text}")),
    Case.Reopened: _noted(N_("Dossier rouvert"), N_("Dossier rouvert : {text}")),
    Case.NoticeIssued: _notice_issued,
    Case.ServiceRecorded: _service_recorded,
    Case.FineImposed: _fine_imposed,
    Case.PaymentRecorded: _payment_recorded,
    Case.AppealFiled: _appeal_filed,
    Case.AppealDecided: _appeal_decided,
    Case.VehicleReleased: _vehicle_released,
    Case.AccessCodeIssued: _access_code_issued,
    Case.AccessCodeRevoked: _access_code_revoked,
    Case.ContestationFiled: _contestation_filed,
    Case.ComplianceDeclared: _compliance_declared,
}
