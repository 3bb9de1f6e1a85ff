"""What each event of the log does to the read-model tables.

Case rows are computed from the case itself: each case event is applied to an in-memory copy of
the ``Case`` aggregate (the domain's own ``mutate``), so statuses, balances and deadlines follow
the domain's rules without restating them here. Each table group writes only its own tables, so
any group can be dropped and rebuilt alone with the same result.

An event of a kind this module does not know stops the projection (``UnknownEvent``), naming it:
nothing is skipped silently.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from police.aggregates.access import AccessJournal
from police.aggregates.case import Case
from police.aggregates.counter import ReferenceCounter
from police.aggregates.inspection import Inspection
from police.aggregates.permit import Permit
from police.aggregates.subject import Subject
from police.aggregates.user import User
from police.territory import Territory
from police.workflow import ENDED, CaseStatus
from projections.schema import PROJECTIONS
from projections.store import ReadStore, Writer
from projections.timeline import describe, params_json

CaseLoader = Callable[[UUID, int], Case]
RESOLVED = frozenset({CaseStatus.RESOLVED, CaseStatus.CLOSED})
# Known events that no table needs: listed, so that a new kind stops the projection.
IGNORED: frozenset[type] = frozenset(
    {
        User.LoginFailed,
        User.LoggedIn,
        User.PasswordChanged,
        Permit.Granted,
        Permit.Revoked,
        ReferenceCounter.Started,
        ReferenceCounter.Allocated,
        AccessJournal.Opened,
        AccessJournal.Viewed,
    }
)


class UnknownEvent(Exception):
    def __init__(self, event: Any, position: int) -> None:
        topic = f"{type(event).__module__}:{type(event).__qualname__}"
        super().__init__(
            f"event n° {position} of kind {topic} (aggregate {event.originator_id}, version "
            f"{event.originator_version}) has no handler: projection stopped, nothing skipped"
        )


def cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def iso(moment: datetime) -> str:
    return moment.isoformat()


class ReadModelProjection(Projection[ReadStore]):
    name = "read_models"

    def __init__(
        self,
        view: ReadStore,
        *,
        territory: Territory,
        load_case: CaseLoader,
        groups: Iterable[str] = PROJECTIONS,
        cache_size: int = 20_000,
    ) -> None:
        super().__init__(view)
        self.territory = territory
        self.load_case = load_case
        self.groups = frozenset(groups)
        self.cases: OrderedDict[UUID, Case] = OrderedDict()
        # Each subject's brigades as its row holds them: a case linked to a subject it has
        # seen is one UPDATE, without reading the row back first.
        self.subject_brigades: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self.cache_size = cache_size
        self.writer: Writer | None = None
        # Written once per batch (``flush``): a case touched by three events of a page is one
        # row write, and counters add up in memory. Rows depend only on the events, never on
        # where a batch ends, so live, resumed and rebuilt tables are the same.
        self._dirty: dict[UUID, tuple[Case, datetime, bool]] = {}
        self._status: Counter[tuple[str, str, str]] = Counter()
        self._daily: dict[tuple[str, str, str], Counter[str]] = {}
        self._timeline: list[dict[str, Any]] = []
        # Inspections seen in this batch: spares a query when their case row is written.
        self._seen: dict[str, dict[str, Any]] = {}

    def forget(self) -> None:
        """After a rolled-back batch the cached cases are ahead of the tables: drop them."""
        self.cases.clear()
        self.subject_brigades.clear()
        self._dirty.clear()
        self._status.clear()
        self._daily.clear()
        self._timeline.clear()
        self._seen.clear()

    def flush(self) -> None:
        """Writes what the batch accumulated; call before the batch commits."""
        assert self.writer is not None
        w = self.writer
        for case, at, new in self._dirty.values():
            self._case_row(w, case, at, new)
        for (brigade, arrondissement, status), delta in self._status.items():
            if delta:
                w.execute(
                    "INSERT INTO rm_status_counts (brigade, arrondissement, status, cases) "
                    "VALUES (:brigade, :arrondissement, :status, :delta) "
                    "ON CONFLICT (brigade, arrondissement, status) "
                    "DO UPDATE SET cases = rm_status_counts.cases + excluded.cases",
                    {
                        "brigade": brigade,
                        "arrondissement": arrondissement,
                        "status": status,
                        "delta": delta,
                    },
                )
        if any(delta < 0 for delta in self._status.values()):
            # No zero rows: the table must not depend on where batches ended.
            w.execute("DELETE FROM rm_status_counts WHERE cases = 0")
        for (day, brigade, arrondissement), increments in self._daily.items():
            columns = ", ".join(increments)
            values = ", ".join(f":{c}" for c in increments)
            updates = ", ".join(f"{c} = rm_daily.{c} + excluded.{c}" for c in increments)
            w.execute(
                f"INSERT INTO rm_daily (day, brigade, arrondissement, {columns}) "
                f"VALUES (:day, :brigade, :arrondissement, {values}) "
                f"ON CONFLICT (day, brigade, arrondissement) DO UPDATE SET {updates}",
                {"day": day, "brigade": brigade, "arrondissement": arrondissement, **increments},
            )
        if self._timeline:
            w.execute_many(
                "INSERT INTO rm_timeline (case_id, position, version, at, actor_id, kind, "
                "params, text_fr) VALUES (:case_id, :position, :version, :at, :actor_id, :kind, "
                ":params, :text_fr) ON CONFLICT (case_id, position) DO NOTHING",
                self._timeline,
            )
        self._dirty.clear()
        self._status.clear()
        self._daily.clear()
        self._timeline.clear()
        self._seen.clear()

    def _add_daily(self, day: str, place: dict[str, str], **increments: int) -> None:
        key = (day, place["brigade"], place["arrondissement"])
        self._daily.setdefault(key, Counter()).update(increments)

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:  # type: ignore[override]
        assert self.writer is not None, "call inside a batch"
        w, position = self.writer, tracking.notification_id
        if isinstance(domain_event, Case.Event):
            self._case_event(w, domain_event, position)
        elif isinstance(domain_event, Inspection.Recorded):
            self._inspection_recorded(w, domain_event)
        elif isinstance(domain_event, Inspection.EvidenceAttached):
            self._evidence_attached(w, domain_event, position)
        elif isinstance(domain_event, Subject.Event):
            self._subject_event(w, domain_event)
        elif isinstance(domain_event, User.Registered):
            if "users" in self.groups:
                w.execute(
                    "INSERT INTO rm_users (user_id, username, full_name) "
                    "VALUES (:id, :username, :full_name) ON CONFLICT (user_id) DO UPDATE "
                    "SET username = excluded.username, full_name = excluded.full_name",
                    {
                        "id": str(domain_event.originator_id),
                        "username": domain_event.username,
                        "full_name": domain_event.full_name,
                    },
                )
        elif isinstance(domain_event, _USER_CHANGES):
            if "users" in self.groups:
                _change_user(w, domain_event)
        elif type(domain_event) not in IGNORED:
            raise UnknownEvent(domain_event, position)

    # --- cases -----------------------------------------------------------------------------

    def _case(self, event: Case.Event) -> tuple[Case, str | None]:
        """The case after ``event``, and its status before."""
        if isinstance(event, Case.Opened):
            case = event.mutate(None)
            before = None
        else:
            case = self.cases.pop(event.originator_id, None) or self.load_case(
                event.originator_id, event.originator_version - 1
            )
            before = str(case.status)
            event.mutate(case)
        assert case is not None
        self._keep(self.cases, case.id, case)
        return case, before

    def _keep(self, cache: OrderedDict[Any, Any], key: Any, value: Any) -> None:
        """Remembers the latest ``value`` (most recent last), the oldest forgotten past the size."""
        cache[key] = value
        if len(cache) > self.cache_size:
            cache.popitem(last=False)

    def _case_event(self, w: Writer, event: Case.Event, position: int) -> None:
        case, before = self._case(event)
        if not self.groups & {"cases", "timeline", "stats"}:
            return
        if "cases" in self.groups:
            if isinstance(event, Case.NoticeIssued | Case.ServiceRecorded):
                _notice_row(w, case, event)
            earlier = self._dirty.get(case.id)
            new = isinstance(event, Case.Opened) or (earlier is not None and earlier[2])
            self._dirty[case.id] = (case, event.timestamp, new)
        if "timeline" in self.groups:
            kind, params, text = describe(event, case)
            self._timeline.append(
                {
                    "case_id": str(case.id),
                    "position": position,
                    "version": event.originator_version,
                    "at": iso(event.timestamp),
                    "actor_id": str(getattr(event, "actor_id", "") or "") or None,
                    "kind": kind,
                    "params": params_json(params),
                    "text_fr": text,
                }
            )
        if "stats" in self.groups:
            self._case_stats(case, event, before)

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
        }
        if new:
            found = self._seen.get(str(case.inspection_ids[0]))
            if found is not None and len(case.inspections) == 1:
                photos = found["photos"]
            else:
                opening = w.query(
                    "SELECT subject_kind, subject_key, search FROM rm_case_inspections "
                    "WHERE inspection_id = :id",
                    {"id": str(case.inspection_ids[0])},
                )
                found = (
                    opening[0] if opening else {"subject_kind": "", "subject_key": "", "search": ""}
                )
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
                f"INSERT INTO rm_cases ({columns}) VALUES ({values}) "
                "ON CONFLICT (case_id) DO NOTHING",
                row,
            )
        else:
            assignments = ", ".join(f"{c} = :{c}" for c in row if c != "case_id")
            w.execute(f"UPDATE rm_cases SET {assignments} WHERE case_id = :case_id", row)

    def _case_stats(self, case: Case, event: Case.Event, before: str | None) -> None:
        place = {"brigade": case.brigade, "arrondissement": case.location.get("arrondissement", "")}
        after = str(case.status)
        if before != after:
            if before is not None:
                self._status[(place["brigade"], place["arrondissement"], before)] -= 1
            self._status[(place["brigade"], place["arrondissement"], after)] += 1
        day = self.territory.local_date(event.timestamp).isoformat()
        if isinstance(event, Case.Opened):
            self._add_daily(day, place, opened=1, fines_imposed_cents=cents(case.amount_due))
        if before is not None and CaseStatus(before) not in ENDED and case.status in RESOLVED:
            opened_on = self.territory.local_date(case.created_on)
            days = (date.fromisoformat(day) - opened_on).days
            self._add_daily(day, place, resolved=1, resolution_days=days)
        if isinstance(event, Case.FineImposed):
            self._add_daily(day, place, fines_imposed_cents=cents(event.amount))
        if isinstance(event, Case.PaymentRecorded):
            self._add_daily(day, place, fines_collected_cents=cents(event.amount))

    # --- inspections -----------------------------------------------------------------------

    def _inspection_recorded(self, w: Writer, event: Inspection.Recorded) -> None:
        subject, location = event.subject, event.location
        if "cases" in self.groups and event.case_id is not None:
            identifiers = " ".join(v for v in subject.get("identifiers", {}).values() if v)
            self._seen[str(event.originator_id)] = {
                "subject_kind": subject.get("kind", ""),
                "subject_key": subject.get("key", ""),
                "search": f"{subject.get('label', '')} {identifiers}",
                "photos": 0,
            }
            w.execute(
                "INSERT INTO rm_case_inspections (inspection_id, case_id, subject_kind, "
                "subject_key, search, photos) VALUES (:id, :case_id, :kind, :key, :search, 0) "
                "ON CONFLICT (inspection_id) DO NOTHING",
                {
                    "id": str(event.originator_id),
                    "case_id": str(event.case_id),
                    "kind": subject.get("kind", ""),
                    "key": subject.get("key", ""),
                    "search": f"{subject.get('label', '')} {identifiers}",
                },
            )
        if "inspections" in self.groups:
            w.execute(
                "INSERT INTO rm_inspections (inspection_id, officer_id, brigade, recorded_at, "
                "recorded_on, observed_at, case_id, subject_label, arrondissement, address, "
                "compliant, follow_up, photos) VALUES (:id, :officer, :brigade, :at, :on, "
                ":observed, :case_id, :label, :arrondissement, :address, :compliant, :follow_up, "
                "0) ON CONFLICT (inspection_id) DO NOTHING",
                {
                    "id": str(event.originator_id),
                    "officer": str(event.actor_id),
                    "brigade": event.brigade,
                    "at": iso(event.timestamp),
                    "on": self.territory.local_date(event.timestamp).isoformat(),
                    "observed": iso(event.observed_at),
                    "case_id": str(event.case_id) if event.case_id else None,
                    "label": subject.get("label", ""),
                    "arrondissement": location.get("arrondissement", ""),
                    "address": location.get("address", "") or "",
                    "compliant": int(event.compliant),
                    "follow_up": int(event.follow_up),
                },
            )
        if "stats" in self.groups:
            place = {"brigade": event.brigade, "arrondissement": location.get("arrondissement", "")}
            day = self.territory.local_date(event.timestamp).isoformat()
            self._add_daily(day, place, inspections=1)

    def _evidence_attached(
        self, w: Writer, event: Inspection.EvidenceAttached, position: int
    ) -> None:
        params = {"id": str(event.originator_id)}
        if params["id"] in self._seen:
            self._seen[params["id"]]["photos"] += 1
        if "cases" in self.groups:
            w.execute(
                "UPDATE rm_case_inspections SET photos = photos + 1 WHERE inspection_id = :id",
                params,
            )
            w.execute(
                "UPDATE rm_cases SET photos = photos + 1 WHERE case_id = "
                "(SELECT case_id FROM rm_case_inspections WHERE inspection_id = :id)",
                params,
            )
        if "inspections" in self.groups:
            w.execute(
                "UPDATE rm_inspections SET photos = photos + 1 WHERE inspection_id = :id", params
            )
            w.execute(
                "INSERT INTO rm_evidence (inspection_id, sha256, content_type, captured_at, "
                "position) VALUES (:id, :sha256, :content_type, :captured_at, :position) "
                "ON CONFLICT (inspection_id, sha256) DO NOTHING",
                params
                | {
                    "sha256": event.sha256,
                    "content_type": event.content_type,
                    "captured_at": iso(event.captured_at) if event.captured_at else None,
                    "position": position,
                },
            )

    # --- subjects --------------------------------------------------------------------------

    def _subject_event(self, w: Writer, event: Subject.Event) -> None:
        if "subjects" not in self.groups:
            return
        subject_id = str(event.originator_id)
        if isinstance(event, Subject.Registered):
            self._keep(self.subject_brigades, subject_id, ())
            w.execute(
                "INSERT INTO rm_subjects (subject_id, kind, subject_key, label, cases, brigades) "
                "VALUES (:id, :kind, :key, :label, 0, '') ON CONFLICT (subject_id) DO NOTHING",
                {"id": subject_id, "kind": event.kind, "key": event.key, "label": event.label},
            )
        elif isinstance(event, Subject.DetailsRecorded):
            w.execute(
                "UPDATE rm_subjects SET label = :label WHERE subject_id = :id",
                {"id": subject_id, "label": event.label},
            )
        elif isinstance(event, Subject.CaseLinked):
            known = self.subject_brigades.pop(subject_id, None)
            if known is None:
                [row] = w.query(
                    "SELECT brigades FROM rm_subjects WHERE subject_id = :id", {"id": subject_id}
                )
                known = tuple(filter(None, row["brigades"].split(",")))
            brigades = tuple(sorted({*known, event.brigade}))
            self._keep(self.subject_brigades, subject_id, brigades)
            w.execute(
                "UPDATE rm_subjects SET cases = cases + 1, brigades = :brigades, "
                "last_case_on = :on WHERE subject_id = :id",
                {
                    "id": subject_id,
                    "brigades": ",".join(brigades),
                    "on": event.opened_on.isoformat(),
                },
            )
        else:
            raise UnknownEvent(event, -1)


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


_USER_CHANGES = (
    User.RoleGranted,
    User.RoleRevoked,
    User.BrigadeGranted,
    User.BrigadeRevoked,
    User.Deactivated,
    User.Reactivated,
)


def _change_user(w: Writer, event: Any) -> None:
    """Roles, brigades and activity: what the assignment lists need."""
    params = {"id": str(event.originator_id)}
    if isinstance(event, User.Deactivated | User.Reactivated):
        active = int(isinstance(event, User.Reactivated))
        w.execute(
            "UPDATE rm_users SET active = :active WHERE user_id = :id", params | {"active": active}
        )
        return
    column = "roles" if isinstance(event, User.RoleGranted | User.RoleRevoked) else "brigades"
    value = event.role if column == "roles" else event.brigade
    [row] = w.query(f"SELECT {column} AS items FROM rm_users WHERE user_id = :id", params)
    items = set(filter(None, row["items"].split(",")))
    if isinstance(event, User.RoleGranted | User.BrigadeGranted):
        items.add(value)
    else:
        items.discard(value)
    w.execute(
        f"UPDATE rm_users SET {column} = :items WHERE user_id = :id",
        params | {"items": ",".join(sorted(items))},
    )


def _notice_row(w: Writer, case: Case, event: Any) -> None:
    if isinstance(event, Case.ServiceRecorded):
        w.execute(
            "UPDATE rm_notices SET served_on = COALESCE(served_on, :on) WHERE number = :number",
            {"on": event.served_on.isoformat(), "number": event.number},
        )
        return
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
