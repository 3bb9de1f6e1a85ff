"""The case list's filters, sort and page, read from the query string (so a filtered list can be
bookmarked and shared) and limited to the viewer's brigades."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode
from uuid import UUID

from starlette.datastructures import QueryParams

from police.roles import Actor, Brigade
from police.workflow import CaseStatus
from projections.queries import SORTS, CaseFilters
from web.form_parsing import search_text, whole_number

PER_PAGE = 25


@dataclass(frozen=True)
class ListQuery:
    filters: CaseFilters
    brigade: str
    sort: str
    direction: str
    page: int

    def url(self, **changes: object) -> str:
        """The list's query string with some values changed (sort links, pages)."""
        values: dict[str, object] = {
            "brigade": self.brigade,
            "status": self.filters.status,
            "arrondissement": self.filters.arrondissement,
            "assignee": self.filters.assignee,
            "overdue": "1" if self.filters.overdue else "",
            "flagged": "1" if self.filters.flagged else "",
            "declared": "1" if self.filters.declared else "",
            "from": self.filters.opened_from.isoformat() if self.filters.opened_from else "",
            "to": self.filters.opened_to.isoformat() if self.filters.opened_to else "",
            "q": self.filters.text,
            "sort": self.sort,
            "dir": self.direction,
            "page": self.page,
        } | changes
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def scope_of(actor: Actor) -> tuple[str, ...]:
    """Brigades the actor may see; every brigade for an admin."""
    return tuple(b.value for b in Brigade if actor.in_scope(b))


def parse_list_query(params: QueryParams, actor: Actor, arrondissements: set[str]) -> ListQuery:
    """Unknown or malformed values are dropped, never an error: the list stays usable."""
    scope = scope_of(actor)
    brigade = params.get("brigade", "")
    brigades = (brigade,) if brigade in scope else scope
    status = params.get("status", "")
    assignee = params.get("assignee", "")
    filters = CaseFilters(
        brigades=brigades,
        status=status if status in CaseStatus.__members__.values() else "",
        arrondissement=params.get("arrondissement", "")
        if params.get("arrondissement") in arrondissements
        else "",
        assignee=assignee if _is_uuid(assignee) else "",
        overdue=params.get("overdue") == "1",
        flagged=params.get("flagged") == "1",
        declared=params.get("declared") == "1",
        opened_from=_day(params.get("from", "")),
        opened_to=_day(params.get("to", "")),
        text=search_text(params.get("q", "")),
    )
    sort = params.get("sort", "opened")
    return ListQuery(
        filters=filters,
        brigade=brigade if brigade in scope else "",
        sort=sort if sort in SORTS else "opened",
        direction="asc" if params.get("dir") == "asc" else "desc",
        page=_page(params.get("page", "1")),
    )


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _page(value: str) -> int:
    page = whole_number(value)
    return page if page is not None and 0 < page < 100_000 else 1
