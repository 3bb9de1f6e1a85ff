"""What the people who follow a report are written, each in their own language: the private
link on receipt (to the reporter only), then each change of status, to every follower who left
an email (a duplicate's followers are written with its original's). A letter carries no one
else's contact and no photo.

Sending is the mailer's (``web.mail``); a letter that cannot be sent never undoes what was
recorded."""

from __future__ import annotations

import contextvars
from collections.abc import Callable

from police.aggregates.report import Report
from police.errors import N_
from police.outbox import Letter
from police.report_wording import EXPLANATIONS, TITLES
from web import i18n
from web.mail import send_quietly

_RECEIVED_SUBJECT = N_("Votre signalement {number} est enregistré")
_RECEIVED_BODY = N_(
    "Bonjour,\n\nVotre signalement {number} est enregistré. Suivez ce qu'il devient à cette "
    "adresse personnelle (ne la partagez pas) :\n{link}\n\nCe service n'est pas fait pour les "
    "urgences : en cas de danger, appelez le 19 (police) ou le 15 (protection civile)."
)
_UPDATE_SUBJECT = N_("Signalement {number} : {title}")
_UPDATE_BODY = N_(
    "Bonjour,\n\nDu nouveau sur le signalement {number} : {title}.\n{explanation}\n\nLe "
    "détail est sur votre page de suivi (le lien personnel reçu à l'envoi)."
)


def received_letter(report: Report, link: str) -> Letter | None:
    """The reporter's letter with their private link, or None when they left no email."""
    if not report.contacts or not report.contacts[0].get("email"):
        return None
    contact = report.contacts[0]
    return contextvars.copy_context().run(
        _worded, _RECEIVED_SUBJECT, _RECEIVED_BODY, contact, {"number": report.number, "link": link}
    )


def update_letters(report: Report, followers_of: list[Report]) -> list[Letter]:
    """The letters telling ``report``'s new status to its followers and to those of the
    duplicates merged into it (``followers_of``)."""
    letters = []
    for source in [report, *followers_of]:
        for contact in source.contacts:
            if contact.get("email"):
                letters.append(contextvars.copy_context().run(_update, report, source, contact))
    return letters


def send_all(send: Callable[[Letter], None], letters: list[Letter]) -> int:
    """Sends each; returns how many went (the others are in the log)."""
    return sum(1 for letter in letters if send_quietly(send, letter))


def _update(report: Report, source: Report, contact: dict[str, str]) -> Letter:
    i18n.set_language(contact.get("language", "fr"))
    title = i18n.gettext_(TITLES[report.status])
    explanation = i18n.gettext_(EXPLANATIONS[report.status]).format(
        due=i18n.day(report.triage_due),
        day=i18n.day(report.inspection["on"]) if report.inspection else "",
        original=report.original or report.number,
        reason=report.refusal,
    )
    params = {"number": source.number, "title": title, "explanation": explanation}
    return _worded(_UPDATE_SUBJECT, _UPDATE_BODY, contact, params)


def _worded(subject: str, body: str, contact: dict[str, str], params: dict[str, str]) -> Letter:
    language = contact.get("language", "fr")
    i18n.set_language(language)
    return Letter(
        to=contact["email"],
        subject=i18n.gettext_(subject).format(**params),
        body=i18n.gettext_(body).format(**params),
        language=language,
    )
