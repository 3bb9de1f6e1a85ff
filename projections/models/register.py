"""The ``register`` read model: every establishment with its hygiene risk category, the reasons
for it, and the day its routine visit is due (``police.planning``), one row per establishment.

The row keeps the rule's inputs (activity, last hygiene inspection, cases, closure orders, a
supervisor's override) and is recomputed whenever one of them changes. An inspection or a
permit is saved before the subject it creates, so either may come first: an inspection names
its subject's kind and creates the row; a permit's place waits in ``rm_register_permit_places``
for its holder's registration.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from police.aggregates.case import Case
from police.aggregates.inspection import Inspection
from police.aggregates.permit import Permit
from police.aggregates.subject import Subject
from police.planning import EstablishmentRecord, PlanningRules, RiskCategory, routine_due
from police.workflow import NoticeKind
from projections.models import Applied, ReadModel, Recent, iso

if TYPE_CHECKING:
    from projections.store import Writer

ESTABLISHMENT = "establishment"
PLACED_BY = ("hygiene", "public_domain")  # the brigades whose inspections give the place
_INPUTS = (
    "activity, known_since, last_hygiene_on, last_compliant, hygiene_cases, closure_orders, "
    "override_category"
)


@dataclass(frozen=True)
class _Inputs:
    """What the rule reads of an establishment, as its row holds it."""

    activity: str
    known_since: str
    last_hygiene_on: str | None = None
    last_compliant: int | None = None
    hygiene_cases: int = 0
    closure_orders: int = 0
    override_category: str | None = None


class Register(ReadModel):
    name = "register"
    version = 2  # 2: no routine visit due for an activity outside hygiene
    needs_cases = True
    tables = {  # noqa: RUF012
        "rm_register": """
            CREATE TABLE IF NOT EXISTS rm_register (
                subject_id TEXT PRIMARY KEY,
                subject_key TEXT NOT NULL,
                label TEXT NOT NULL,
                activity TEXT NOT NULL,
                ice TEXT NOT NULL,
                address TEXT NOT NULL,
                arrondissement TEXT NOT NULL,
                lat REAL,
                lon REAL,
                placed_by TEXT NOT NULL,
                known_since TEXT NOT NULL,
                last_hygiene_on TEXT,
                last_compliant INTEGER,
                hygiene_cases INTEGER NOT NULL,
                closure_orders INTEGER NOT NULL,
                computed_category TEXT NOT NULL,
                reasons TEXT NOT NULL,
                override_category TEXT,
                override_reason TEXT NOT NULL,
                category TEXT NOT NULL,
                frequency_days INTEGER NOT NULL,
                due_on TEXT,
                updated_at TEXT NOT NULL,
                version INTEGER NOT NULL
            )""",
        # The place of a permit's holder, until (and after) the holder is registered.
        "rm_register_permit_places": """
            CREATE TABLE IF NOT EXISTS rm_register_permit_places (
                subject_id TEXT PRIMARY KEY,
                arrondissement TEXT NOT NULL,
                address TEXT NOT NULL,
                lat REAL NOT NULL,
                lon REAL NOT NULL
            )""",
        "rm_register_due": "CREATE INDEX IF NOT EXISTS rm_register_due ON rm_register (due_on)",
        "rm_register_area": "CREATE INDEX IF NOT EXISTS rm_register_area "
        "ON rm_register (arrondissement, due_on)",
        "rm_register_category": "CREATE INDEX IF NOT EXISTS rm_register_category "
        "ON rm_register (category)",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rules = PlanningRules.load()
        # Each establishment's inputs as its row holds them (None: not an establishment, or
        # not yet registered): an event changing one is one UPDATE, without a read first.
        self.inputs: Recent[str, _Inputs | None] = Recent(self.cache_size)

    def forget(self) -> None:
        self.inputs.clear()

    # --- the rule ---

    def _assessed(self, inputs: _Inputs) -> dict[str, Any]:
        """The columns the rule derives from ``inputs``."""
        compliant = inputs.last_compliant
        assessment = self.rules.assess(
            EstablishmentRecord(
                activity=inputs.activity,
                last_compliant=None if compliant is None else bool(compliant),
                hygiene_cases=inputs.hygiene_cases,
                closure_orders=inputs.closure_orders,
            )
        )
        category = RiskCategory(inputs.override_category or assessment.category)
        frequencies = self.territory.routine_visit_days
        last = date.fromisoformat(inputs.last_hygiene_on) if inputs.last_hygiene_on else None
        due = routine_due(category, last, date.fromisoformat(inputs.known_since), frequencies)
        # Outside hygiene (a billboard firm), unless inspected or given a category by hand.
        planned = assessment.routine or inputs.override_category is not None
        reasons = [
            {"text": r.text, "params": dict(r.params), "points": r.points}
            for r in assessment.reasons
        ]
        return {
            **asdict(inputs),
            "computed_category": assessment.category.value,
            "reasons": json.dumps(reasons, ensure_ascii=False),
            "category": category.value,
            "frequency_days": frequencies[category.value],
            "due_on": due.isoformat() if planned else None,
        }

    def _inputs(self, w: Writer, subject_id: str) -> _Inputs | None:
        if subject_id in self.inputs:
            return self.inputs[subject_id]
        rows = w.query(
            f"SELECT {_INPUTS} FROM rm_register WHERE subject_id = :id", {"id": subject_id}
        )
        found = _Inputs(**rows[0]) if rows else None
        self.inputs.keep(subject_id, found)
        return found

    def _change(
        self, w: Writer, subject_id: str, event: Any, columns: dict[str, Any], **inputs: Any
    ) -> None:
        """Sets ``columns`` and the changed ``inputs`` on an establishment's row, with the
        category and due date they give; nothing if the subject is no establishment here."""
        known = self._inputs(w, subject_id)
        if known is None:
            return
        changed = replace(known, **inputs)
        self.inputs.keep(subject_id, changed)
        values = columns | self._assessed(changed) | {"updated_at": iso(event.timestamp)}
        if isinstance(event, Subject.Event):
            values["version"] = event.originator_version
        assignments = ", ".join(f"{c} = :{c}" for c in values)
        w.execute(
            f"UPDATE rm_register SET {assignments} WHERE subject_id = :row_key",  # names are ours
            values | {"row_key": subject_id},
        )

    # --- the handlers ---

    def _insert(self, w: Writer, event: Any, row: dict[str, Any], inputs: _Inputs) -> None:
        self.inputs.keep(row["subject_id"], inputs)
        row |= self._assessed(inputs) | {
            "override_reason": "",
            "updated_at": iso(event.timestamp),
        }
        columns = ", ".join(row)
        values = ", ".join(f":{c}" for c in row)
        w.execute(
            f"INSERT INTO rm_register ({columns}) VALUES ({values}) "  # names are ours
            "ON CONFLICT (subject_id) DO NOTHING",
            row,
        )

    def registered(self, w: Writer, event: Any, at: Applied) -> None:
        subject_id = str(event.originator_id)
        if event.kind != ESTABLISHMENT:
            self.inputs.keep(subject_id, None)
            return
        known_since = self.territory.local_date(event.timestamp).isoformat()
        identity = {
            "subject_key": event.key,
            "label": event.label,
            "ice": event.identifiers.get("ice", ""),
            "version": event.originator_version,
        }
        if self._inputs(w, subject_id) is not None:  # its first inspection came first
            self._change(
                w,
                subject_id,
                event,
                identity,
                activity=event.details.get("activity", ""),
                known_since=known_since,
            )
            return
        place: dict[str, Any] = {
            "address": event.details.get("address", ""),
            "arrondissement": "",
            "lat": None,
            "lon": None,
            "placed_by": "",
        }
        for found in w.query(
            "SELECT arrondissement, address, lat, lon FROM rm_register_permit_places "
            "WHERE subject_id = :id",
            {"id": subject_id},
        ):
            place = found | {"address": found["address"] or place["address"], "placed_by": "permit"}
        self._insert(
            w,
            event,
            {"subject_id": subject_id, **identity, **place},
            _Inputs(activity=event.details.get("activity", ""), known_since=known_since),
        )

    def details_recorded(self, w: Writer, event: Any, at: Applied) -> None:
        self._change(
            w,
            str(event.originator_id),
            event,
            {"label": event.label, "ice": event.identifiers.get("ice", "")},
            activity=event.details.get("activity", ""),
        )

    def inspection_recorded(self, w: Writer, event: Any, at: Applied) -> None:
        subject = event.subject
        if subject.get("kind") != ESTABLISHMENT or event.brigade not in PLACED_BY:
            return
        subject_id = str(event.subject_id)
        place = event.location
        columns: dict[str, Any] = {
            "address": place.get("address") or "",
            "arrondissement": place.get("arrondissement", ""),
            "lat": place.get("lat"),
            "lon": place.get("lon"),
            "placed_by": "inspection",
        }
        day = self.territory.local_date(event.timestamp).isoformat()
        hygiene = event.brigade == "hygiene"
        inspected: dict[str, Any] = {"last_hygiene_on": day, "last_compliant": int(event.compliant)}
        if self._inputs(w, subject_id) is None:
            # Saved before the subject it creates: the row starts from what it names.
            identifiers, details = subject.get("identifiers", {}), subject.get("details", {})
            inputs = _Inputs(activity=details.get("activity", ""), known_since=day)
            self._insert(
                w,
                event,
                {
                    "subject_id": subject_id,
                    "subject_key": subject.get("key", ""),
                    "label": subject.get("label", ""),
                    "ice": identifiers.get("ice", ""),
                    **columns,
                    "version": 0,
                },
                replace(inputs, **inspected) if hygiene else inputs,
            )
            return
        self._change(w, subject_id, event, columns, **(inspected if hygiene else {}))

    def permit_granted(self, w: Writer, event: Any, at: Applied) -> None:
        subject_id = str(event.holder_subject_id)
        place = {
            "arrondissement": event.location["arrondissement"],
            "address": event.location.get("address") or "",
            "lat": event.location["lat"],
            "lon": event.location["lon"],
        }
        w.execute(
            "INSERT INTO rm_register_permit_places (subject_id, arrondissement, address, lat, "
            "lon) VALUES (:id, :arrondissement, :address, :lat, :lon) ON CONFLICT (subject_id) "
            "DO UPDATE SET arrondissement = excluded.arrondissement, "
            "address = excluded.address, lat = excluded.lat, lon = excluded.lon",
            {"id": subject_id, **place},
        )
        if self._inputs(w, subject_id) is None:
            return
        # The place of an establishment no inspection has located yet.
        w.execute(
            "UPDATE rm_register SET arrondissement = :arrondissement, address = :address, "
            "lat = :lat, lon = :lon, placed_by = 'permit' "
            "WHERE subject_id = :id AND placed_by <> 'inspection'",
            {"id": subject_id, **place},
        )

    def case_linked(self, w: Writer, event: Any, at: Applied) -> None:
        if event.brigade != "hygiene":
            return
        subject_id = str(event.originator_id)
        known = self._inputs(w, subject_id)
        if known is not None:
            self._change(w, subject_id, event, {}, hygiene_cases=known.hygiene_cases + 1)

    def notice_issued(self, w: Writer, event: Any, at: Applied) -> None:
        # A corrected notice replaces the order it corrects: still one order.
        if event.kind != NoticeKind.ORDRE_FERMETURE.value or event.replaces is not None:
            return
        assert at.case is not None
        subject_id = str(at.case.subject_id)
        known = self._inputs(w, subject_id)
        if known is not None:
            self._change(w, subject_id, event, {}, closure_orders=known.closure_orders + 1)

    def risk_overridden(self, w: Writer, event: Any, at: Applied) -> None:
        self._change(
            w,
            str(event.originator_id),
            event,
            {"override_reason": event.reason if event.category else ""},
            override_category=event.category or None,
        )

    handlers = {  # noqa: RUF012
        Subject.Registered: registered,
        Subject.DetailsRecorded: details_recorded,
        Subject.CaseLinked: case_linked,
        Subject.RiskOverridden: risk_overridden,
        Inspection.Recorded: inspection_recorded,
        Permit.Granted: permit_granted,
        Case.NoticeIssued: notice_issued,
    }
