"""The ``timeline`` read model: one line per case event, its kind and its parameters, for the
case's history. The line keeps no sentence: ``police.wording`` words each kind in the reader's
language from these parameters. Who did it is the event's ``actor_id``; the page joins it to
the user's name.

Change the parameters of a kind and bump ``version``: the lines are then rebuilt from the log,
so every line carries what its wording needs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from police.aggregates.case import Case
from police.workflow import CaseStatus
from projections.models import Applied, ReadModel, UnknownEvent, iso

if TYPE_CHECKING:
    from projections.store import Writer

Parameters = Callable[[Any, Case], dict[str, Any]]


def _opened(event: Any, case: Case) -> dict[str, Any]:
    p: dict[str, Any] = {"reference": case.reference, "subject": case.subject_label}
    if case.measures:
        p["measures"] = [m["code"] for m in case.measures]
    if case.ticket:
        p["ticket"] = case.ticket.get("number", "")
        p["amount"] = str(case.amount_due)
    return p


def _payment(event: Any, case: Case) -> dict[str, Any]:
    p: dict[str, Any] = {"amount": str(event.amount), "receipt_number": event.receipt_number}
    if case.status == CaseStatus.CLOSED and case.balance <= 0:
        p["settled"] = True
    return p


# What each kind of case event keeps: every case event has its entry, or the projection stops.
PARAMETERS: dict[type, Parameters] = {
    Case.Opened: _opened,
    Case.InspectionAdded: lambda e, _: {"compliant": e.compliant, "follow_up": e.follow_up},
    Case.Validated: lambda e, _: {"note": e.note},
    Case.Dismissed: lambda e, _: {"reason": e.reason},
    Case.Assigned: lambda e, _: {"officer_id": str(e.officer_id)},
    Case.FollowUpScheduled: lambda e, _: {"due_on": e.due_on.isoformat()},
    Case.ComplianceRecorded: lambda e, _: {"note": e.note},
    Case.Escalated: lambda e, _: {"reason": e.reason},
    Case.Closed: lambda e, _: {"reason": e.reason},
    Case.Reopened: lambda e, _: {"reason": e.reason},
    Case.NoticeIssued: lambda e, _: {
        "kind": str(e.kind),
        "number": e.number,
        "replaces": e.replaces,
    },
    Case.ServiceRecorded: lambda e, _: {
        "number": e.number,
        "method": str(e.method),
        "served_on": e.served_on.isoformat(),
        "served_to": e.served_to,
    },
    Case.FineImposed: lambda e, _: {"amount": str(e.amount), "due_on": e.due_on.isoformat()},
    Case.PaymentRecorded: _payment,
    Case.AppealFiled: lambda e, _: {"against": e.against, "filed_on": e.filed_on.isoformat()},
    Case.AppealDecided: lambda e, _: {"outcome": str(e.outcome)},
    # The recipient's access: never the code's digest, which stays on the case's events.
    Case.AccessCodeIssued: lambda e, _: {"notice_number": e.notice_number},
    Case.AccessCodeRevoked: lambda e, _: {
        "notice_number": e.notice_number,
        "reason": e.reason,
        "replaced": e.digest is not None,
    },
    Case.ContestationFiled: lambda e, _: {
        "notice_number": e.notice_number,
        "grounds": e.grounds,
        "documents": len(e.documents),
    },
    Case.ComplianceDeclared: lambda e, _: {
        "notice_number": e.notice_number,
        "statement": e.statement,
        "photos": len(e.photos),
    },
    Case.VehicleReleased: lambda e, _: {
        "released_on": e.released_on.isoformat(),
        "released_to": e.released_to,
    },
}
# A stored kind (the event class's name) back to its class.
KINDS: dict[str, type] = {kind.__name__: kind for kind in PARAMETERS}


def kind_of(name: str) -> type:
    """The event class of a line's stored ``kind``."""
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"timeline kind {name!r} is no case event this code knows") from None


class Timeline(ReadModel):
    name = "timeline"
    version = 2  # 2: no stored French sentence (text_fr)
    needs_cases = True
    tables = {  # noqa: RUF012
        "rm_timeline": """
            CREATE TABLE IF NOT EXISTS rm_timeline (
                case_id TEXT NOT NULL,
                position BIGINT NOT NULL,
                version INTEGER NOT NULL,
                at TEXT NOT NULL,
                actor_id TEXT,
                kind TEXT NOT NULL,
                params TEXT NOT NULL,
                PRIMARY KEY (case_id, position)
            )""",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lines: list[dict[str, Any]] = []

    def forget(self) -> None:
        self._lines.clear()

    def flush(self, w: Writer) -> None:
        if self._lines:
            w.execute_many(
                "INSERT INTO rm_timeline (case_id, position, version, at, actor_id, kind, "
                "params) VALUES (:case_id, :position, :version, :at, :actor_id, :kind, :params) "
                "ON CONFLICT (case_id, position) DO NOTHING",
                self._lines,
            )
        self._lines.clear()

    def case_changed(self, w: Writer, event: Any, at: Applied) -> None:
        case = at.case
        assert case is not None
        parameters = PARAMETERS.get(type(event))
        if parameters is None:
            raise UnknownEvent(event, at.position)
        self._lines.append(
            {
                "case_id": str(case.id),
                "position": at.position,
                "version": event.originator_version,
                "at": iso(event.timestamp),
                "actor_id": str(getattr(event, "actor_id", "") or "") or None,
                "kind": type(event).__name__,
                "params": json.dumps(parameters(event, case), ensure_ascii=False, sort_keys=True),
            }
        )

    handlers = {Case.Event: case_changed}  # noqa: RUF012
