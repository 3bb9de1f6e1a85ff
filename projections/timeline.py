"""The line each case event adds to the case's timeline: its kind, its parameters, and a French
sentence (the page words each line in the reader's language from its kind and parameters, see
``web.timeline``; the French text is kept for exports and audits).

Who did it is the event's ``actor_id``; the page joins it to the user's name.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from police.aggregates.case import Case


def _money(amount: Decimal) -> str:
    whole, _, cents = f"{amount:.2f}".partition(".")
    groups = f"{int(whole):,}".replace(",", "\u202f")
    return f"{groups},{cents} MAD"


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def describe(event: Any, case: Case) -> tuple[str, dict[str, Any], str]:
    kind = type(event).__name__
    p: dict[str, Any] = {}
    if isinstance(event, Case.Opened):
        p = {"reference": case.reference, "subject": case.subject_label}
        if case.measures:
            p["measures"] = [m["code"] for m in case.measures]
        text = f"Dossier {case.reference} ouvert : {case.subject_label}"
        if case.ticket:
            p["ticket"] = case.ticket.get("number", "")
            p["amount"] = str(case.amount_due)
            text += f", avis de contravention {p['ticket']} ({_money(case.amount_due)})"
    elif isinstance(event, Case.InspectionAdded):
        p = {"compliant": event.compliant, "follow_up": event.follow_up}
        state = "conforme" if event.compliant else "non conforme"
        text = f"Contrôle {'de suivi ' if event.follow_up else ''}ajouté : {state}"
    elif isinstance(event, Case.Validated):
        p = {"note": event.note}
        text = "Dossier validé" + (f" : {event.note}" if event.note else "")
    elif isinstance(event, Case.Dismissed):
        p = {"reason": event.reason}
        text = f"Classé sans suite : {event.reason}"
    elif isinstance(event, Case.Assigned):
        p = {"officer_id": str(event.officer_id)}
        text = "Dossier attribué à un agent"
    elif isinstance(event, Case.FollowUpScheduled):
        p = {"due_on": event.due_on.isoformat()}
        text = f"Contrôle de suivi prévu le {_day(event.due_on)}"
    elif isinstance(event, Case.ComplianceRecorded):
        p = {"note": event.note}
        text = "Régularisation constatée" + (f" : {event.note}" if event.note else "")
    elif isinstance(event, Case.Escalated):
        p = {"reason": event.reason}
        text = f"Dossier transmis (escalade) : {event.reason}"
    elif isinstance(event, Case.Closed):
        p = {"reason": event.reason}
        text = "Dossier clos" + (f" : {event.reason}" if event.reason else "")
    elif isinstance(event, Case.Reopened):
        p = {"reason": event.reason}
        text = f"Dossier rouvert : {event.reason}"
    elif isinstance(event, Case.NoticeIssued):
        p = {"kind": event.kind, "number": event.number, "replaces": event.replaces}
        text = f"Avis {event.number} émis"
        if event.replaces:
            text += f" (remplace {event.replaces})"
    elif isinstance(event, Case.ServiceRecorded):
        p = {
            "number": event.number,
            "method": event.method,
            "served_on": event.served_on.isoformat(),
            "served_to": event.served_to,
        }
        text = f"Avis {event.number} notifié le {_day(event.served_on)} à {event.served_to}"
    elif isinstance(event, Case.FineImposed):
        p = {"amount": str(event.amount), "due_on": event.due_on.isoformat()}
        text = f"Amende de {_money(event.amount)} infligée, à payer avant le {_day(event.due_on)}"
    elif isinstance(event, Case.PaymentRecorded):
        p = {"amount": str(event.amount), "receipt_number": event.receipt_number}
        text = f"Paiement de {_money(event.amount)} reçu (quittance {event.receipt_number})"
        if case.status == "closed" and case.balance <= 0:
            p["settled"] = True
            text += " : dossier soldé"
    elif isinstance(event, Case.AppealFiled):
        p = {"against": event.against, "filed_on": event.filed_on.isoformat()}
        text = f"Recours déposé contre {event.against}"
    elif isinstance(event, Case.AppealDecided):
        p = {"outcome": event.outcome}
        outcome = "sanction annulée" if event.outcome == "cancelled" else "sanction maintenue"
        text = f"Recours jugé : {outcome}"
    elif isinstance(event, Case.VehicleReleased):
        p = {"released_on": event.released_on.isoformat(), "released_to": event.released_to}
        text = f"Véhicule restitué le {_day(event.released_on)} à {event.released_to}"
    else:  # the caller only passes case events
        raise TypeError(kind)
    return kind, p, text


def params_json(params: dict[str, Any]) -> str:
    return json.dumps(params, ensure_ascii=False, sort_keys=True)
