"""Features for the city's GIS (OGC API - Features, ``web.pages.ogc``): pages of cases and
inspections as GeoJSON features, within a bounding box and a time interval, in the brigades a
reader may see; and one feature by its id.

Properties leave personal data out: no subject's name, plate, ICE/RC/CIN or address, no
officer, no free text typed in the street. What is left: references, brigade, status, dates,
arrondissement, infraction code, amounts (cases); brigade, times, compliance, photo count, GPS
accuracy, the case's reference (inspections).

Times are compared as the ISO text the read models keep (UTC, ``datetime.isoformat``): bounds
written the same way order the same as the moments.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from police.aggregates.permit import state_of
from projections.queries.base import Queries
from projections.store import Row

Feature = dict[str, Any]


@dataclass(frozen=True)
class FeatureWindow:
    """What a page of features is asked for: ``bbox`` is (west, south, east, north) in
    degrees (WGS 84); ``start``/``end`` bound the collection's time, either may be open."""

    bbox: tuple[float, float, float, float] | None = None
    start: datetime | None = None
    end: datetime | None = None
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True)
class FeaturePage:
    features: list[Feature]
    matched: int


@dataclass(frozen=True)
class FeatureSource:
    """One table as features: its select (the table aliased ``t``, with its joins), the table
    alone (counted without the joins), the id and time columns, and how a row becomes a
    feature. Filters apply to ``t``, which has ``lat`` and ``lon`` columns, and the brigade
    scope to its ``scope_column`` (None: a table not kept per brigade, read whole by whoever
    may read the collection)."""

    select: str
    table: str
    id_column: str
    time_column: str
    feature: Callable[[Row], Feature]
    scope_column: str | None = "brigade"
    condition: str = "1 = 1"  # what else keeps a row of ``t`` (SQL of our own, no input)
    # An index on (time_column, id_column): a page walks it and stops at ``limit``, rather
    # than gather every row of the box from the position index and sort them.
    time_index: bool = False


def _point(row: Row, properties: dict[str, Any], fid: str) -> Feature:
    return {
        "type": "Feature",
        "id": fid,
        "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
        "properties": properties,
    }


def _case_feature(r: Row) -> Feature:
    return _point(
        r,
        {
            "reference": r["reference"],
            "brigade": r["brigade"],
            "workflow": r["workflow"],
            "status": r["status"],
            "open": bool(r["is_open"]),
            "arrondissement": r["arrondissement"],
            "opened_at": r["opened_at"],
            "updated_at": r["updated_at"],
            "closed_at": r["closed_at"],
            "deadline": r["deadline"],
            "main_infraction": r["main_infraction"],
            "fine_due_mad": int(r["fine_due_cents"]) / 100,
            "fine_paid_mad": int(r["fine_paid_cents"]) / 100,
            "inspections": r["inspections"],
            "notices": r["notices"],
        },
        r["case_id"],
    )


def _inspection_feature(r: Row) -> Feature:
    return _point(
        r,
        {
            "brigade": r["brigade"],
            "observed_at": r["observed_at"],
            "recorded_at": r["recorded_at"],
            "arrondissement": r["arrondissement"],
            "compliant": bool(r["compliant"]),
            "follow_up": bool(r["follow_up"]),
            "photos": r["photos"],
            "accuracy_m": r["accuracy_m"],
            "case_reference": r["case_reference"],
        },
        r["inspection_id"],
    )


CASES = FeatureSource(
    select=(
        "SELECT t.case_id, t.reference, t.brigade, t.workflow, t.status, t.is_open, "
        "t.arrondissement, t.lat, t.lon, t.opened_at, t.updated_at, t.closed_at, t.deadline, "
        "t.main_infraction, t.fine_due_cents, t.fine_paid_cents, t.inspections, t.notices "
        "FROM rm_cases t"
    ),
    table="rm_cases t",
    id_column="case_id",
    time_column="opened_at",
    feature=_case_feature,
)
INSPECTIONS = FeatureSource(
    select=(
        "SELECT t.inspection_id, t.brigade, t.observed_at, t.recorded_at, t.arrondissement, "
        "t.compliant, t.follow_up, t.photos, t.lat, t.lon, t.accuracy_m, "
        "c.reference AS case_reference FROM rm_inspections t "
        "LEFT JOIN rm_cases c ON c.case_id = t.case_id"
    ),
    table="rm_inspections t",
    id_column="inspection_id",
    time_column="observed_at",
    feature=_inspection_feature,
)


_PERMIT_COLUMNS = (
    "SELECT t.number, t.kind, t.arrondissement, t.lat, t.lon, t.surface_m2, t.walking_path_m, "
    "t.hours, t.season, t.valid_from, t.valid_until, t.suspended, t.revoked, t.unpaid, t.edition, "
    "t.granted_at, t.structure_id, t.faces, t.m2_per_face, t.lit, t.company FROM rm_permits t"
)
# The registry as features: the holder left out (it may be a person), and the state on the
# day asked computed from the row, as the registry's own query does.
PERMITS = FeatureSource(
    select=_PERMIT_COLUMNS,
    table="rm_permits t",
    id_column="number",
    time_column="granted_at",
    feature=lambda r: _permit_feature(r, date.today()),  # the day asked: see _registry
    scope_column=None,
    condition="t.kind <> 'billboard'",
    time_index=True,
)
BILLBOARDS = replace(PERMITS, condition="t.kind = 'billboard'")


def _permit_state(r: Row, today: date) -> str:
    return state_of(
        revoked=bool(r["revoked"]),
        suspended=bool(r["suspended"]),
        unpaid=bool(r["unpaid"]),
        valid_from=date.fromisoformat(r["valid_from"]),
        valid_until=date.fromisoformat(r["valid_until"]),
        day=today,
    ).value


def _permit_feature(r: Row, today: date) -> Feature:
    properties: dict[str, Any] = {
        "number": r["number"],
        "kind": r["kind"],
        "state": _permit_state(r, today),
        "arrondissement": r["arrondissement"],
        "surface_m2": float(r["surface_m2"]),
        "walking_path_m": float(r["walking_path_m"]) if r["walking_path_m"] else None,
        "hours": r["hours"],
        "season": r["season"],
        "valid_from": r["valid_from"],
        "valid_until": r["valid_until"],
        "edition": r["edition"],
        "granted_at": r["granted_at"],
    }
    if r["kind"] == "billboard":
        properties |= {
            "structure_id": r["structure_id"],
            "faces": r["faces"],
            "m2_per_face": float(r["m2_per_face"]),
            "lit": bool(r["lit"]),
            "company": r["company"],
        }
    return _point(r, properties, r["number"])


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


class FeatureQueries(Queries):
    def case_features(self, window: FeatureWindow, brigades: Sequence[str]) -> FeaturePage:
        return self.features(CASES, window, brigades)

    def case_feature(self, case_id: str, brigades: Sequence[str]) -> Feature | None:
        return self.feature(CASES, case_id, brigades)

    def inspection_features(self, window: FeatureWindow, brigades: Sequence[str]) -> FeaturePage:
        return self.features(INSPECTIONS, window, brigades)

    def inspection_feature(self, inspection_id: str, brigades: Sequence[str]) -> Feature | None:
        return self.feature(INSPECTIONS, inspection_id, brigades)

    def permit_features(self, window: FeatureWindow, billboards: bool = False) -> FeaturePage:
        return self.features(self._registry(billboards), window, ())

    def permit_feature(self, number: str, billboards: bool = False) -> Feature | None:
        return self.feature(self._registry(billboards), number, ())

    def _registry(self, billboards: bool) -> FeatureSource:
        today = self.today()
        source = BILLBOARDS if billboards else PERMITS
        return replace(source, feature=lambda r: _permit_feature(r, today))

    def features(
        self, source: FeatureSource, window: FeatureWindow, brigades: Sequence[str]
    ) -> FeaturePage:
        count_sql, rows_sql, params = feature_statements(source, window, brigades)
        with self.store.reader() as reader:
            rows = reader.query(rows_sql, params)
            if window.offset == 0 and len(rows) < window.limit:
                matched = len(rows)  # the whole match is on this page: no count needed
            else:
                matched = int(reader.query(count_sql, params)[0]["n"])
        return FeaturePage([source.feature(r) for r in rows], matched)

    def feature(
        self, source: FeatureSource, feature_id: str, brigades: Sequence[str]
    ) -> Feature | None:
        where, params = _scope(source, brigades)
        rows = self._query(
            f"{source.select} WHERE t.{source.id_column} = :id AND t.lat IS NOT NULL "
            f"AND t.lon IS NOT NULL AND {source.condition} AND {where}",
            params | {"id": feature_id},
        )
        return source.feature(rows[0]) if rows else None


def _scope(source: FeatureSource, brigades: Sequence[str]) -> tuple[str, dict[str, Any]]:
    if source.scope_column is None:
        return "1 = 1", {}
    if not brigades:
        return "1 = 0", {}  # no brigade in scope: nothing
    names = {f"b{i}": b for i, b in enumerate(brigades)}
    return f"t.{source.scope_column} IN ({', '.join(':' + n for n in names)})", dict(names)


def feature_statements(
    source: FeatureSource, window: FeatureWindow, brigades: Sequence[str]
) -> tuple[str, str, dict[str, Any]]:
    """The count and the page of a window, for benchmarks to run bare."""
    scope, params = _scope(source, brigades)
    clauses = [scope, source.condition, "t.lat IS NOT NULL", "t.lon IS NOT NULL"]
    if window.bbox is not None:
        west, south, east, north = window.bbox
        clauses.append("{lat} BETWEEN :south AND :north")
        params |= {"south": south, "north": north}
        if west <= east:
            clauses.append("t.lon BETWEEN :west AND :east")
        else:  # a box across the antimeridian (OGC API - Features allows it)
            clauses.append("(t.lon >= :west OR t.lon <= :east)")
        params |= {"west": west, "east": east}
    column = f"t.{source.time_column}"
    if window.start is not None:
        clauses.append(f"{column} >= :start")
        params["start"] = _moment(window.start)
    if window.end is not None:
        clauses.append(f"{column} <= :end")
        params["end"] = _moment(window.end)
    where = " AND ".join(clauses)
    params |= {"limit": window.limit, "offset": window.offset}
    count_sql = f"SELECT COUNT(*) AS n FROM {source.table} WHERE {where.format(lat='t.lat')}"
    # A unary plus keeps the planner (SQLite's and PostgreSQL's) off the position index.
    lat = "+t.lat" if source.time_index else "t.lat"
    rows_sql = (
        f"{source.select} WHERE {where.format(lat=lat)} "
        f"ORDER BY {column}, t.{source.id_column} LIMIT :limit OFFSET :offset"
    )
    return count_sql, rows_sql, params
