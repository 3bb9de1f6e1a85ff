"""The case timeline in the reader's language: each line worded again from its kind and
parameters, naming the officer a case was assigned to. The French sentence the read model keeps
is the fallback for a line whose parameters predate a wording (rebuild ``timeline`` to refresh).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from police.aggregates.case import APPEAL_OUTCOMES, SERVICE_METHODS
from police.errors import N_
from police.workflow import NOTICE_RULES, NoticeKind
from projections.queries import TimelineLine
from web import i18n

_ = i18n.gettext_
SYSTEM_NAME = N_("Système")


def assigned_officers(lines: list[TimelineLine]) -> list[str]:
    """The ids of the officers named by the lines, for one lookup of their names."""
    return sorted({line.values["officer_id"] for line in lines if line.kind == "Assigned"})


def actor_name(line: TimelineLine) -> str:
    return line.actor_name if line.actor_id else _(SYSTEM_NAME)


def sentence(line: TimelineLine, names: Mapping[str, str]) -> str:
    try:
        return worded(line.kind, line.values, names)
    except (KeyError, ValueError):
        return line.text_fr


def worded(kind: str, p: dict[str, Any], names: Mapping[str, str]) -> str:
    """The line in the current language; KeyError when ``p`` lacks a parameter it needs."""
    if kind == "Opened":
        if p.get("ticket"):
            text = N_(
                "Dossier {reference} ouvert : {subject}, avis de contravention {ticket} ({amount})"
            )
            return _fill(
                text,
                reference=p["reference"],
                subject=p["subject"],
                ticket=p["ticket"],
                amount=i18n.money(Decimal(p["amount"])),
            )
        text = N_("Dossier {reference} ouvert : {subject}")
        return _fill(text, reference=p["reference"], subject=p["subject"])
    if kind == "InspectionAdded":
        return _(
            {
                (False, True): N_("Contrôle ajouté : conforme"),
                (False, False): N_("Contrôle ajouté : non conforme"),
                (True, True): N_("Contrôle de suivi ajouté : conforme"),
                (True, False): N_("Contrôle de suivi ajouté : non conforme"),
            }[(bool(p["follow_up"]), bool(p["compliant"]))]
        )
    if kind == "Assigned":
        officer = names.get(p["officer_id"])
        if officer is None:
            return _(N_("Dossier attribué à un agent"))
        return _fill(N_("Dossier attribué à {officer}"), officer=officer)
    if kind == "FollowUpScheduled":
        due = i18n.day(date.fromisoformat(p["due_on"]))
        return _fill(N_("Contrôle de suivi prévu le {day}"), day=due)
    if kind == "NoticeIssued":
        notice = _(NOTICE_RULES[NoticeKind(p["kind"])].label)
        if p.get("replaces"):
            text = N_("Émission : {notice} n° {number}, qui remplace {replaces}")
            return _fill(text, notice=notice, number=p["number"], replaces=p["replaces"])
        return _fill(N_("Émission : {notice} n° {number}"), notice=notice, number=p["number"])
    if kind == "ServiceRecorded":
        method = SERVICE_METHODS[p["method"]]
        return _fill(
            N_("Avis {number} notifié le {day} à {served_to} ({method})"),
            number=p["number"],
            day=i18n.day(date.fromisoformat(p["served_on"])),
            served_to=p["served_to"],
            method=_(method),
        )
    if kind == "FineImposed":
        return _fill(
            N_("Amende de {amount} infligée, à payer avant le {day}"),
            amount=i18n.money(Decimal(p["amount"])),
            day=i18n.day(date.fromisoformat(p["due_on"])),
        )
    if kind == "PaymentRecorded":
        text = N_("Paiement de {amount} reçu (quittance {receipt_number})")
        if p.get("settled"):
            text = N_("Paiement de {amount} reçu (quittance {receipt_number}) : dossier soldé")
        return _fill(
            text, amount=i18n.money(Decimal(p["amount"])), receipt_number=p["receipt_number"]
        )
    if kind == "AppealFiled":
        return _fill(N_("Recours déposé contre {against}"), against=p["against"])
    if kind == "VehicleReleased":
        return _fill(
            N_("Véhicule restitué le {day} à {released_to}"),
            day=i18n.day(date.fromisoformat(p["released_on"])),
            released_to=p["released_to"],
        )
    if kind == "AppealDecided":
        outcome = APPEAL_OUTCOMES[p["outcome"]]
        return _(outcome)
    # The rest: a fixed sentence, with the note or reason typed by the user when there is one.
    plain, explained = _NOTED[kind]
    typed = p.get("note") or p.get("reason") or ""
    return _fill(explained, text=typed) if typed else _(plain)


def _fill(message: str, **values: str) -> str:
    """The translated message with its values; on a right-to-left page each value is isolated
    (U+2068 … U+2069), so a plate or a reference keeps its own order inside Arabic text."""
    if i18n.direction() == "rtl":
        values = {name: f"\u2068{value}\u2069" for name, value in values.items()}
    return _(message).format(**values)


_NOTED: dict[str, tuple[str, str]] = {
    "Validated": (N_("Dossier validé"), N_("Dossier validé : {text}")),
    "Dismissed": (N_("Classé sans suite"), N_("Classé sans suite : {text}")),
    "ComplianceRecorded": (N_("Régularisation constatée"), N_("Régularisation constatée : {text}")),
    "Escalated": (N_("Dossier transmis (escalade)"), N_("Dossier transmis (escalade) : {text}")),
    "Closed": (N_("Dossier clos"), N_("Dossier clos : {text}")),
    "Reopened": (N_("Dossier rouvert"), N_("Dossier rouvert : {text}")),
}
