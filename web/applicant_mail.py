"""What the applicant of an online application is written, in the language they applied in:
the tracking link on receipt, a request for documents, the decision (the fee to pay and its
reference, or the reasons of a refusal), a new tracking link, the renewal reminder. Each letter
carries the private tracking link and nothing about anyone else.

Sending is the mailer's (``web.mail``): SMTP when configured, the log otherwise. A letter that
cannot be sent never undoes what was recorded; the page says so and shows the link.
"""

from __future__ import annotations

import contextvars
import logging
from typing import Any

from police.aggregates.permit import Permit, PermitKind
from police.aggregates.permit_application import PermitApplication
from police.errors import N_
from police.outbox import Letter
from police.permit_terms import KIND_LABELS
from web import i18n

log = logging.getLogger(__name__)

_SUBJECTS = {
    "received": N_("Votre demande {number} est enregistrée"),
    "documents": N_("Demande {number} : documents à compléter"),
    "granted": N_("Demande {number} accordée : redevance à payer"),
    "refused": N_("Demande {number} : décision de refus"),
    "link": N_("Demande {number} : votre nouveau lien de suivi"),
    "reminder": N_("Autorisation {permit} : pensez à la renouveler"),
}
_BODIES = {
    "received": N_(
        "Bonjour,\n\nVotre demande {number} ({kind}) est enregistrée. Le service des "
        "autorisations l'instruit et décide au plus tard le {deadline}.\n\nSuivez-la, et répondez "
        "s'il le faut, à cette adresse personnelle (ne la partagez pas) :\n{link}"
    ),
    "documents": N_(
        "Bonjour,\n\nPour instruire votre demande {number}, le service des autorisations "
        "vous demande : {missing}\n\nAjoutez ces documents depuis votre page de suivi (le lien "
        "personnel reçu à l'envoi de la demande)."
    ),
    "granted": N_(
        "Bonjour,\n\nVotre demande {number} est accordée : autorisation {permit}. Elle entre "
        "en vigueur au paiement de la redevance de {fee}, référence {reference}, à la caisse "
        "de la commune. Votre arrêté sera alors disponible sur votre page de suivi (le lien "
        "personnel reçu à l'envoi de la demande)."
    ),
    "refused": N_(
        "Bonjour,\n\nVotre demande {number} est refusée, pour les motifs suivants :\n"
        "{reasons}\n\nLe détail est sur votre page de suivi (le lien personnel reçu à l'envoi "
        "de la demande)."
    ),
    "link": N_(
        "Bonjour,\n\nL'ancien lien de suivi de votre demande {number} ne fonctionne plus. "
        "Voici le nouveau (ne le partagez pas) :\n{link}"
    ),
    "reminder": N_(
        "Bonjour,\n\nVotre autorisation {permit} prend fin le {end}. Pour la renouveler, "
        "vérifiez et envoyez la demande déjà remplie :\n{link}"
    ),
}


def tracking_path(number: str, secret: str) -> str:
    return f"/demarches/suivi/{number}/{secret}"


def letter(
    kind: str,
    application: PermitApplication,
    link: str = "",
    permit: Permit | None = None,
    **extra: Any,
) -> Letter | None:
    """The letter of ``kind`` to the applicant, or None when they left no email. ``link``: a
    link that opens the file (its secret is known only when it is made: on receipt, a new link,
    a reminder); the letters of a decision send the applicant to the link they hold."""
    to = application.contact.get("email", "")
    if not to:
        return None
    context = contextvars.copy_context()  # the applicant's language, not the request's
    return context.run(_worded, kind, application, link, permit, to, extra)


def _worded(
    kind: str,
    application: PermitApplication,
    link: str,
    permit: Permit | None,
    to: str,
    extra: dict[str, Any],
) -> Letter:
    i18n.set_language(application.language)
    params = {
        "number": application.number,
        "kind": i18n.gettext_(KIND_LABELS[PermitKind(application.kind)]),
        "link": link,
        "deadline": i18n.day(application.deadline),
        "missing": application.missing,
        "reasons": application.refusal,
        "permit": application.permit_number or (permit.number if permit else ""),
        "fee": i18n.money(application.fee),
        "reference": application.payment_reference,
        "end": i18n.day(permit.valid_until) if permit else "",
        **extra,
    }
    return Letter(
        to=to,
        subject=i18n.gettext_(_SUBJECTS[kind]).format(**params),
        body=i18n.gettext_(_BODIES[kind]).format(**params),
        language=application.language,
    )
