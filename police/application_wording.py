"""How an online application's history reads (the permits office's file page): the sentence
of each of its events, from the parameters kept of it. Its sentences never carry the
applicant's contact (email, phone). Part of ``police.wording``, which gathers every history's."""

from __future__ import annotations

from police.aggregates.permit import PermitKind
from police.aggregates.permit_application import PermitApplication
from police.errors import N_
from police.permit_terms import KIND_LABELS
from police.sentences import Language, Names, Params, Wording, day_of, fill, money_of, noted


def _application_submitted(p: Params, lang: Language, names: Names) -> str:
    values = {
        "number": p["number"],
        "kind": lang.gettext_(KIND_LABELS[PermitKind(p["kind"])]),
        "holder": p["holder_label"],
        "day": day_of(lang, p["deadline"]),
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
        return fill(lang, text, renewal_of=p["renewal_of"], **values)
    text = N_("Demande {number} déposée en ligne : {kind} pour {holder}, réponse due le {day}")
    if by_office:
        text = N_(
            "Demande {number} enregistrée par le service : {kind} pour {holder}, réponse due le "
            "{day}"
        )
    return fill(lang, text, **values)


def _held(p: Params, lang: Language, names: Names) -> str:
    owed = [
        fill(
            lang,
            N_("amende impayée de {amount} (dossier {reference})"),
            amount=money_of(lang, reason["amount"]),
            reference=reason["reference"],
        )
        if reason["kind"] == "unpaid"
        else fill(
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
    return fill(lang, N_("Pièces demandées au demandeur : {missing}"), missing=p["missing"])


def _documents_added(p: Params, lang: Language, names: Names) -> str:
    count = str(len(p["documents"]))
    if p.get("note"):
        text = N_("Pièces ajoutées par le demandeur ({count} document(s)) : {text}")
        return fill(lang, text, count=count, text=p["note"])
    return fill(lang, N_("Pièces ajoutées par le demandeur ({count} document(s))"), count=count)


_OPINIONS = {
    "favourable": N_("Visite sur place : avis favorable. {observations}"),
    "unfavourable": N_("Visite sur place : avis défavorable. {observations}"),
}


def _site_visit_reported(p: Params, lang: Language, names: Names) -> str:
    return fill(lang, _OPINIONS[p["opinion"]], observations=p["observations"])


def _application_granted(p: Params, lang: Language, names: Names) -> str:
    return fill(
        lang,
        N_(
            "Autorisation {number} accordée : redevance de {amount} à payer (référence de "
            "paiement {reference})"
        ),
        number=p["permit_number"],
        amount=money_of(lang, p["fee"]),
        reference=p["payment_reference"],
    )


def _tracking_replaced(p: Params, lang: Language, names: Names) -> str:
    if p.get("token_digest"):
        return fill(lang, N_("Lien de suivi remplacé : {text}"), text=p["reason"])
    return fill(lang, N_("Lien de suivi révoqué : {text}"), text=p["reason"])


def _renewal_reminded(p: Params, lang: Language, names: Names) -> str:
    return fill(
        lang,
        N_("Rappel de renouvellement envoyé : l'autorisation {number} prend fin le {day}"),
        number=p["permit_number"],
        day=day_of(lang, p["valid_until"]),
    )


APPLICATION_WORDINGS: dict[type, Wording] = {
    PermitApplication.Submitted: _application_submitted,
    PermitApplication.Held: _held,
    PermitApplication.HoldLifted: _hold_lifted,
    PermitApplication.DocumentsRequested: _documents_requested,
    PermitApplication.DocumentsAdded: _documents_added,
    PermitApplication.SiteVisitRequested: noted(
        N_("Visite sur place demandée"), N_("Visite sur place demandée : {text}")
    ),
    PermitApplication.SiteVisitReported: _site_visit_reported,
    PermitApplication.Granted: _application_granted,
    PermitApplication.Refused: lambda p, lang, names: fill(
        lang, N_("Demande refusée : {text}"), text=p["reasons"]
    ),
    PermitApplication.TrackingReplaced: _tracking_replaced,
    PermitApplication.RenewalReminded: _renewal_reminded,
}
