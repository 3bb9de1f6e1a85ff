"""How a case's, a permit's, an online application's or the installation's upkeep history
reads: the sentence of each kind of event, in the reader's language, from the parameters kept of
it (a case's timeline row, a permit's or an application's event, its dates ISO strings and its
amounts decimal strings). Pages, notices and exports word these events here and nowhere else (an
application's own sentences are in ``police.application_wording``, what all of them share in
``police.sentences``).

The language is handed in (``Language``): the web request's is ``web.i18n`` itself. Each
message is its French sentence, marked with ``N_`` so that Babel extracts it for the Arabic
catalogue; the language translates it and formats the money and days it carries.
"""

from __future__ import annotations

from police.account_wording import ACCOUNT_WORDINGS
from police.aggregates.case import Case
from police.aggregates.permit import Permit
from police.aggregates.upkeep import Upkeep
from police.application_wording import APPLICATION_WORDINGS
from police.errors import N_
from police.sentences import Language, Names, Params, Wording, day_of, fill, money_of, noted
from police.workflow import (
    APPEAL_OUTCOME_LABELS,
    NOTICE_RULES,
    SERVICE_METHOD_LABELS,
    AppealOutcome,
    NoticeKind,
    ServiceMethod,
)


def sentence(kind: type, params: Params, language: Language, names: Names | None = None) -> str:
    """The sentence of an event of ``kind`` (a ``Case`` event class) with its ``params``;
    KeyError when the parameters lack one the sentence needs."""
    return WORDINGS[kind](params, language, names or {})


def _opened(p: Params, lang: Language, names: Names) -> str:
    if p.get("ticket"):
        return fill(
            lang,
            N_("Dossier {reference} ouvert : {subject}, avis de contravention {ticket} ({amount})"),
            reference=p["reference"],
            subject=p["subject"],
            ticket=p["ticket"],
            amount=money_of(lang, p["amount"]),
        )
    text = N_("Dossier {reference} ouvert : {subject}")
    return fill(lang, text, reference=p["reference"], subject=p["subject"])


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
    return fill(lang, N_("Dossier attribué à {officer}"), officer=officer)


def _follow_up_scheduled(p: Params, lang: Language, names: Names) -> str:
    return fill(lang, N_("Contrôle de suivi prévu le {day}"), day=day_of(lang, p["due_on"]))


def _notice_issued(p: Params, lang: Language, names: Names) -> str:
    notice = lang.gettext_(NOTICE_RULES[NoticeKind(p["kind"])].label)
    if p.get("replaces"):
        text = N_("Émission : {notice} n° {number}, qui remplace {replaces}")
        return fill(lang, text, notice=notice, number=p["number"], replaces=p["replaces"])
    return fill(lang, N_("Émission : {notice} n° {number}"), notice=notice, number=p["number"])


def _service_recorded(p: Params, lang: Language, names: Names) -> str:
    return fill(
        lang,
        N_("Avis {number} notifié le {day} à {served_to} ({method})"),
        number=p["number"],
        day=day_of(lang, p["served_on"]),
        served_to=p["served_to"],
        method=lang.gettext_(SERVICE_METHOD_LABELS[ServiceMethod(p["method"])]),
    )


def _fine_imposed(p: Params, lang: Language, names: Names) -> str:
    return fill(
        lang,
        N_("Amende de {amount} infligée, à payer avant le {day}"),
        amount=money_of(lang, p["amount"]),
        day=day_of(lang, p["due_on"]),
    )


def _payment_recorded(p: Params, lang: Language, names: Names) -> str:
    text = N_("Paiement de {amount} reçu (quittance {receipt_number})")
    if p.get("settled"):
        text = N_("Paiement de {amount} reçu (quittance {receipt_number}) : dossier soldé")
    return fill(lang, text, amount=money_of(lang, p["amount"]), receipt_number=p["receipt_number"])


def _appeal_filed(p: Params, lang: Language, names: Names) -> str:
    return fill(lang, N_("Recours déposé contre {against}"), against=p["against"])


def _appeal_decided(p: Params, lang: Language, names: Names) -> str:
    return lang.gettext_(APPEAL_OUTCOME_LABELS[AppealOutcome(p["outcome"])])


def _access_code_issued(p: Params, lang: Language, names: Names) -> str:
    return fill(
        lang, N_("Code d'accès du destinataire imprimé sur {number}"), number=p["notice_number"]
    )


def _access_code_revoked(p: Params, lang: Language, names: Names) -> str:
    text = (
        N_("Code d'accès de {number} remplacé : {text}")
        if p["replaced"]
        else N_("Code d'accès de {number} révoqué : {text}")
    )
    return fill(lang, text, number=p["notice_number"], text=p["reason"])


def _contestation_filed(p: Params, lang: Language, names: Names) -> str:
    return fill(
        lang,
        N_("Contestation déposée en ligne par le destinataire contre {number} : {text}"),
        number=p["notice_number"],
        text=p["grounds"],
    )


def _compliance_declared(p: Params, lang: Language, names: Names) -> str:
    return fill(
        lang,
        N_("Mise en conformité déclarée en ligne par le destinataire, visite demandée : {text}"),
        text=p["statement"],
    )


def _vehicle_released(p: Params, lang: Language, names: Names) -> str:
    return fill(
        lang,
        N_("Véhicule restitué le {day} à {released_to}"),
        day=day_of(lang, p["released_on"]),
        released_to=p["released_to"],
    )


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
    return fill(
        lang,
        N_("Autorisation {number} accordée à {holder} : {surface} m², du {start} au {end}"),
        number=p["number"],
        holder=p["holder_label"],
        surface=str(p["surface_m2"]).replace(".", ","),
        start=day_of(lang, p["valid_from"]),
        end=day_of(lang, p["valid_until"]),
    )


def _permit_amended(p: Params, lang: Language, names: Names) -> str:
    changed = ", ".join(dict.fromkeys(lang.gettext_(TERM_LABELS[k]) for k in p["changes"]))
    return fill(
        lang,
        N_("Édition {edition} : {changed} modifié(s). Motif : {text}"),
        edition=str(p["edition"]),
        changed=changed,
        text=p["reason"],
    )


def _permit_renewed(p: Params, lang: Language, names: Names) -> str:
    return fill(
        lang,
        N_("Édition {edition} : renouvelée jusqu'au {day}, redevance {amount}"),
        edition=str(p["edition"]),
        day=day_of(lang, p["valid_until"]),
        amount=money_of(lang, p["fee"]),
    )


def _arrete_issued(p: Params, lang: Language, names: Names) -> str:
    return fill(lang, N_("Arrêté de l'édition {edition} imprimé"), edition=str(p["edition"]))


def _fee_paid(p: Params, lang: Language, names: Names) -> str:
    return fill(
        lang,
        N_("Redevance de {amount} payée le {day} (quittance {receipt_number}) : en vigueur"),
        amount=money_of(lang, p["amount"]),
        day=day_of(lang, p["paid_on"]),
        receipt_number=p["receipt_number"],
    )


def _backup_made(p: Params, lang: Language, names: Names) -> str:
    if not p["ok"]:
        return fill(lang, N_("Sauvegarde échouée : {text}"), text=p["detail"])
    return fill(
        lang,
        N_("Sauvegarde faite : {events} événements, {objects} objets, dans {target}"),
        events=str(p["events"]),
        objects=str(p["objects"]),
        target=p["target"],
    )


def _objects_verified(p: Params, lang: Language, names: Names) -> str:
    if p["detail"]:
        return fill(lang, N_("Vérification impossible : {text}"), text=p["detail"])
    if p["ok"]:
        text = N_("Vérification : {checked} objets relus, tous intacts")
        return fill(lang, text, checked=str(p["checked"]))
    return fill(
        lang,
        N_("Vérification échouée : {checked} objets relus, {missing} manquants, {altered} altérés"),
        checked=str(p["checked"]),
        missing=str(p["missing"]),
        altered=str(p["altered"]),
    )


WORDINGS: dict[type, Wording] = {
    **APPLICATION_WORDINGS,
    **ACCOUNT_WORDINGS,
    Permit.FeePaid: _fee_paid,
    Permit.Granted: _permit_granted,
    Permit.Amended: _permit_amended,
    Permit.Renewed: _permit_renewed,
    Permit.Suspended: noted(N_("Autorisation suspendue"), N_("Autorisation suspendue : {text}")),
    Permit.Reinstated: noted(N_("Suspension levée"), N_("Suspension levée : {text}")),
    Permit.Revoked: noted(N_("Autorisation retirée"), N_("Autorisation retirée : {text}")),
    Permit.ArreteIssued: _arrete_issued,
    Case.Opened: _opened,
    Case.InspectionAdded: _inspection_added,
    Case.Validated: noted(N_("Dossier validé"), N_("Dossier validé : {text}")),
    Case.Dismissed: noted(N_("Classé sans suite"), N_("Classé sans suite : {text}")),
    Case.Assigned: _assigned,
    Case.FollowUpScheduled: _follow_up_scheduled,
    Case.ComplianceRecorded: noted(
        N_("Régularisation constatée"), N_("Régularisation constatée : {text}")
    ),
    Case.Escalated: noted(
        N_("Dossier transmis (escalade)"), N_("Dossier transmis (escalade) : {text}")
    ),
    Case.Closed: noted(N_("Dossier clos"), N_("Dossier clos : {text}")),
    Case.Reopened: noted(N_("Dossier rouvert"), N_("Dossier rouvert : {text}")),
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
    Upkeep.BackupMade: _backup_made,
    Upkeep.ObjectsVerified: _objects_verified,
}
