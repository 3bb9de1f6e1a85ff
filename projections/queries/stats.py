"""The ``stats`` read model's questions: cases per status, the overview's figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from projections.queries.base import Queries
from projections.rows import CaseFilters, Kpi


class StatsQueries(Queries):
    def status_counts(self, filters: CaseFilters) -> dict[str, int]:
        """Counts per status under every filter but the status itself; from the maintained
        counters when only brigades and arrondissement filter."""
        plain = CaseFilters(brigades=filters.brigades, arrondissement=filters.arrondissement)
        if _without_status(filters) == plain:
            where, params = self._where(plain)
            rows = self._query(
                f"SELECT status, SUM(cases) AS n FROM rm_status_counts c WHERE {where} "
                "GROUP BY status",
                params,
            )
            return {r["status"]: int(r["n"]) for r in rows if int(r["n"])}
        where, params = self._where(_without_status(filters))
        rows = self._query(
            f"SELECT status, COUNT(*) AS n FROM rm_cases c WHERE {where} GROUP BY status",
            params,
        )
        return {r["status"]: int(r["n"]) for r in rows}

    def overview(self, brigades: Sequence[str] = ()) -> list[Kpi]:
        today = self.today()
        scope, params = self._where(CaseFilters(brigades=tuple(brigades)))
        params |= {"today": today.isoformat(), "month": today.replace(day=1).isoformat()}
        open_rows = self._query(
            "SELECT brigade, arrondissement, COUNT(*) AS open, "
            "SUM(CASE WHEN deadline < :today THEN 1 ELSE 0 END) AS overdue "
            f"FROM rm_cases c WHERE c.is_open = 1 AND {scope} "
            "GROUP BY brigade, arrondissement",
            params,
        )
        daily = self._query(
            "SELECT brigade, arrondissement, "
            "SUM(CASE WHEN day >= :month THEN resolved ELSE 0 END) AS resolved_month, "
            "SUM(resolved) AS resolved, SUM(resolution_days) AS days, "
            "SUM(fines_imposed_cents) AS imposed, SUM(fines_collected_cents) AS collected "
            f"FROM rm_daily c WHERE {scope} GROUP BY brigade, arrondissement",
            params,
        )
        keys = {(r["brigade"], r["arrondissement"]) for r in open_rows + daily}
        opened = {(r["brigade"], r["arrondissement"]): r for r in open_rows}
        done = {(r["brigade"], r["arrondissement"]): r for r in daily}
        kpis = []
        for key in sorted(keys):
            o, d = opened.get(key, {}), done.get(key, {})
            resolved = int(d.get("resolved") or 0)
            kpis.append(
                Kpi(
                    brigade=key[0],
                    arrondissement=key[1],
                    open=int(o.get("open") or 0),
                    overdue=int(o.get("overdue") or 0),
                    resolved_this_month=int(d.get("resolved_month") or 0),
                    average_days_to_resolution=(
                        round(int(d.get("days") or 0) / resolved, 1) if resolved else None
                    ),
                    fines_imposed=Decimal(int(d.get("imposed") or 0)) / 100,
                    fines_collected=Decimal(int(d.get("collected") or 0)) / 100,
                )
            )
        return kpis


def _without_status(f: CaseFilters) -> CaseFilters:
    return replace(f, status="")
