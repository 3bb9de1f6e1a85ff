"""The ``cases`` read model: one row per case for the lists, the case page and the exports
(``rm_cases``), the inspections that fed each case (``rm_case_inspections``: what the case row
takes from its opening inspection, and its photos), and the notices issued (``rm_notices``).

Rows are computed from the case itself, as the dispatcher replays it: statuses, balances,
deadlines and the held vehicle follow the domain's rules without restating them here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from police.aggregates.case import Case
from police.aggregates.inspection import Inspection
from projections.models import Applied, ReadModel, cents, iso

if TYPE_CHECKING:
    from projections.store import Writer


class Cases(ReadModel):
    name = "cases"
    version = 4  # 2: vehicle_held; 3: main_infraction; 4: declared_on
    needs_cases = True
    tables = {  # noqa: RUF012
        "rm_cases": """
            CREATE TABLE IF NOT EXISTS rm_cases (
                case_id TEXT PRIMARY KEY,
                reference TEXT NOT NULL,
                brigade TEXT NOT NULL,
                workflow TEXT NOT NULL,
                status TEXT NOT NULL,
                is_open INTEGER NOT NULL,
                subject_id TEXT NOT NULL,
                subject_kind TEXT NOT NULL,
                subject_label TEXT NOT NULL,
                subject_key TEXT NOT NULL,
                arrondissement TEXT NOT NULL,
                address TEXT NOT NULL,
                lat DOUBLE PRECISION,
                lon DOUBLE PRECISION,
                opened_at TEXT NOT NULL,
                opened_on TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                closed_at TEXT,
                opened_by TEXT NOT NULL,
                assignee_id TEXT,
                follow_up_on TEXT,
                deadline TEXT,
                ticket_number TEXT,
                fine_due_cents BIGINT NOT NULL,
                fine_paid_cents BIGINT NOT NULL,
                inspections INTEGER NOT NULL,
                photos INTEGER NOT NULL,
                notices INTEGER NOT NULL,
                vehicle_held INTEGER NOT NULL,
                main_infraction TEXT,
                declared_on TEXT,
                search TEXT NOT NULL
            )""",
        "rm_case_inspections": """
            CREATE TABLE IF NOT EXISTS rm_case_inspections (
                inspection_id TEXT PRIMARY KEY,
                case_id TEXT,
                subject_kind TEXT NOT NULL,
                subject_key TEXT NOT NULL,
                search TEXT NOT NULL,
                photos INTEGER NOT NULL
            )""",
        "rm_case_inspections_case": "CREATE INDEX IF NOT EXISTS rm_case_inspections_case "
        "ON rm_case_inspections (case_id)",
        "rm_notices": """
            CREATE TABLE IF NOT EXISTS rm_notices (
                number TEXT PRIMARY KEY,
                case_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                issued_on TEXT NOT NULL,
                deadline TEXT,
                object_key TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                size BIGINT NOT NULL,
                replaces TEXT,
                replaced_by TEXT,
                served_on TEXT
            )""",
        "rm_notices_case": "CREATE INDEX IF NOT EXISTS rm_notices_case ON rm_notices (case_id)",
        "rm_cases_brigade": "CREATE INDEX IF NOT EXISTS rm_cases_brigade "
        "ON rm_cases (brigade, opened_at, case_id)",
        "rm_cases_status": "CREATE INDEX IF NOT EXISTS rm_cases_status "
        "ON rm_cases (status, brigade, opened_at, case_id)",
        "rm_cases_arrondissement": "CREATE INDEX IF NOT EXISTS rm_cases_arrondissement "
        "ON rm_cases (arrondissement, brigade, opened_at, case_id)",
        "rm_cases_assignee": "CREATE INDEX IF NOT EXISTS rm_cases_assignee "
        "ON rm_cases (assignee_id, is_open)",
        "rm_cases_deadline": "CREATE INDEX IF NOT EXISTS rm_cases_deadline "
        "ON rm_cases (is_open, deadline)",
        "rm_cases_day": "CREATE INDEX IF NOT EXISTS rm_cases_day ON rm_cases (opened_on, workflow)",
        "rm_cases_opened": "CREATE INDEX IF NOT EXISTS rm_cases_opened "
        "ON rm_cases (opened_at, case_id)",
        "rm_cases_updated": "CREATE INDEX IF NOT EXISTS rm_cases_updated ON rm_cases (updated_at)",
        "rm_cases_reference": "CREATE INDEX IF NOT EXISTS rm_cases_reference "
        "ON rm_cases (reference)",
        "rm_cases_subject": "CREATE INDEX IF NOT EXISTS rm_cases_subject "
        "ON rm_cases (subject_id, opened_at)",
        "rm_cases_key": "CREATE INDEX IF NOT EXISTS rm_cases_key ON rm_cases (subject_key)",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Written once per batch (``flush``): a case touched by three events of a page is one
        # row write. Rows depend only on the events, never on where a batch ends, so live,
        # resumed and rebuilt tables are the same. The flag: the row is still to be inserted.
        self._dirty: dict[UUID, tuple[Case, datetime, bool]] = {}
        # Inspections seen in this batch: spares a query when their case row is written.
        self._seen: dict[str, dict[str, Any]] = {}

    def forget(self) -> None:
        self._dirty.clear()
        self._seen.clear()

    def flush(self, w: Writer) -> None:
        for case, at, new in self._dirty.values():
            self._case_row(w, case, at, new)
        self._dirty.clear()
        self._seen.clear()

    # --- handlers --------------------------------------------------------------------------

    def case_changed(self, w: Writer, event: Any, at: Applied) -> None:
        case = at.case
        assert case is not None
        if isinstance(event, Case.NoticeIssued):
            _notice_issued(w, case, event)
        elif isinstance(event, Case.ServiceRecorded):
            w.execute(
                "UPDATE rm_notices SET served_on = COALESCE(served_on, :on) WHERE number = :number",
                {"on": event.served_on.isoformat(), "number": event.number},
            )
        earlier = self._dirty.get(case.id)
        new = isinstance(event, Case.Opened) or (earlier is not None and earlier[2])
        self._dirty[case.id] = (case, event.timestamp, new)

    def inspection_recorded(self, w: Writer, event: Any, at: Applied) -> None:
        if event.case_id is None:
            return
        subject = event.subject
        identifiers = " ".join(v for v in subject.get("identifiers", {}).values() if v)
        seen = {
            "subject_kind": subject.get("kind", ""),
            "subject_key": subject.get("key", ""),
            "search": f"{subject.get('label', '')} {identifiers}",
            "photos": 0,
        }
        self._seen[str(event.originator_id)] = seen
        w.execute(
            "INSERT INTO rm_case_inspections (inspection_id, case_id, subject_kind, "
            "subject_key, search, photos) VALUES (:id, :case_id, :kind, :key, :search, 0) "
            "ON CONFLICT (inspection_id) DO NOTHING",
            {
                "id": str(event.originator_id),
                "case_id": str(event.case_id),
                "kind": seen["subject_kind"],
                "key": seen["subject_key"],
                "search": seen["search"],
            },
        )

    def evidence_attached(self, w: Writer, event: Any, at: Applied) -> None:
        params = {"id": str(event.originator_id)}
        if params["id"] in self._seen:
            self._seen[params["id"]]["photos"] += 1
        w.execute(
            "UPDATE rm_case_inspections SET photos = photos + 1 WHERE inspection_id = :id", params
        )
        # A case row still to be inserted (this batch) counts its photos when it is written.
        w.execute(
            "UPDATE rm_cases SET photos = photos + 1 WHERE case_id = "
            "(SELECT case_id FROM rm_case_inspections WHERE inspection_id = :id)",
            params,
        )

    handlers = {  # noqa: RUF012
        Case.Event: case_changed,
        Inspection.Recorded: inspection_recorded,
        Inspection.EvidenceAttached: evidence_attached,
    }

    # --- the case row ----------------------------------------------------------------------

    def _case_row(self, w: Writer, case: Case, at: datetime, new: bool) -> None:
        row = {
            "case_id": str(case.id),
            "reference": case.reference,
            "brigade": case.brigade,
            "workflow": str(case.workflow),
            "status": str(case.status),
            "is_open": int(case.is_open),
            "subject_id": str(case.subject_id),
            "subject_label": case.subject_label,
            "arrondissement": case.location.get("arrondissement", ""),
            "address": case.location.get("address", "") or "",
            "lat": case.location.get("lat"),
            "lon": case.location.get("lon"),
            "opened_at": iso(case.created_on),
            "opened_on": self.territory.local_date(case.created_on).isoformat(),
            "updated_at": iso(at),
            "closed_at": None if case.is_open else iso(at),
            "opened_by": str(case.opened_by),
            "assignee_id": str(case.assignee_id) if case.assignee_id else None,
            "follow_up_on": case.follow_up["due_on"].isoformat() if case.follow_up else None,
            "deadline": _deadline(case),
            "ticket_number": (case.ticket or {}).get("number"),
            "fine_due_cents": cents(case.amount_due),
            "fine_paid_cents": cents(case.amount_paid),
            "inspections": len(case.inspections),
            "notices": len(case.notices),
            # Any measure on a case is a clamp or an impound (the domain's release rule).
            "vehicle_held": int(bool(case.measures) and case.released is None),
            "main_infraction": _main_infraction(case),
            # The recipient declared compliance online: the follow-up visit is to schedule.
            "declared_on": (
                case.compliance_declared["on"].isoformat() if case.compliance_declared else None
            ),
        }
        if not new:
            assignments = ", ".join(f"{c} = :{c}" for c in row if c != "case_id")
            w.execute(f"UPDATE rm_cases SET {assignments} WHERE case_id = :case_id", row)
            return
        found = self._seen.get(str(case.inspection_ids[0]))
        if found is not None and len(case.inspections) == 1:
            photos = found["photos"]
        else:
            opening = w.query(
                "SELECT subject_kind, subject_key, search FROM rm_case_inspections "
                "WHERE inspection_id = :id",
                {"id": str(case.inspection_ids[0])},
            )
            found = opening[0] if opening else {"subject_kind": "", "subject_key": "", "search": ""}
            photos = w.query(
                "SELECT COALESCE(SUM(photos), 0) AS n FROM rm_case_inspections "
                "WHERE case_id = :case_id",
                {"case_id": row["case_id"]},
            )[0]["n"]
        terms = " ".join(
            [case.reference, case.subject_label, row["ticket_number"] or "", found["search"]]
        )
        row |= {
            "subject_kind": found["subject_kind"],
            "subject_key": found["subject_key"],
            "photos": int(photos),
            "search": terms.lower(),
        }
        columns = ", ".join(row)
        values = ", ".join(f":{c}" for c in row)
        w.execute(
            f"INSERT INTO rm_cases ({columns}) VALUES ({values}) ON CONFLICT (case_id) DO NOTHING",
            row,
        )


def _main_infraction(case: Case) -> str | None:
    """The code of the finding with the highest fine, the first of them when fines are equal."""
    if not case.findings:
        return None
    return str(max(case.findings, key=lambda f: f["amount"])["code"])


def _deadline(case: Case) -> str | None:
    """The next date something is due on an open case: follow-up, compliance, payment."""
    if not case.is_open:
        return None
    due: list[date] = []
    if case.follow_up:
        due.append(case.follow_up["due_on"])
    if case.compliance_due:
        due.append(case.compliance_due)
    if case.balance > 0:
        if case.ticket:
            due.append(case.ticket["payment_due"])
        due.extend(f["due_on"] for f in case.fines)
    return min(due).isoformat() if due else None


def _notice_issued(w: Writer, case: Case, event: Any) -> None:
    w.execute(
        "INSERT INTO rm_notices (number, case_id, kind, issued_on, deadline, object_key, sha256, "
        "size, replaces) VALUES (:number, :case_id, :kind, :issued_on, :deadline, :key, :sha256, "
        ":size, :replaces) ON CONFLICT (number) DO NOTHING",
        {
            "number": event.number,
            "case_id": str(case.id),
            "kind": str(event.kind),
            "issued_on": event.issued_on.isoformat(),
            "deadline": event.deadline.isoformat() if event.deadline else None,
            "key": event.key,
            "sha256": event.sha256,
            "size": event.size,
            "replaces": event.replaces,
        },
    )
    if event.replaces:
        w.execute(
            "UPDATE rm_notices SET replaced_by = :number WHERE number = :replaces",
            {"number": event.number, "replaces": event.replaces},
        )
