"""The admin's list of accounts, from the ``users`` read model: filtered by role, brigade,
state and a search on the name, username or badge."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from projections.queries.base import Queries


@dataclass(frozen=True)
class AccountRow:
    user_id: str
    username: str
    full_name: str
    badge: str
    roles: tuple[str, ...]
    brigades: tuple[str, ...]
    active: bool
    last_login_at: datetime | None
    failed_logins: tuple[datetime, ...]  # the last five in a row, oldest first
    two_factor: bool


class AccountQueries(Queries):
    def accounts(
        self, *, role: str = "", brigade: str = "", state: str = "", search: str = ""
    ) -> list[AccountRow]:
        clauses: list[str] = ["1 = 1"]
        params: dict[str, object] = {}
        for column, value in (("roles", role), ("brigades", brigade)):
            if value:  # the lists are sorted comma lists: match a whole item
                clauses.append(f"(',' || {column} || ',') LIKE :{column}")
                params[column] = f"%,{value},%"
        if state in ("active", "inactive"):
            clauses.append("active = :active")
            params["active"] = int(state == "active")
        if search:
            clauses.append(
                "(LOWER(username) LIKE :search OR LOWER(full_name) LIKE :search "
                "OR LOWER(badge) LIKE :search)"
            )
            params["search"] = f"%{search.lower()}%"
        rows = self._query(
            f"SELECT * FROM rm_users WHERE {' AND '.join(clauses)} ORDER BY username",
            params,
        )
        return [
            AccountRow(
                user_id=r["user_id"],
                username=r["username"],
                full_name=r["full_name"],
                badge=r["badge"],
                roles=tuple(filter(None, r["roles"].split(","))),
                brigades=tuple(filter(None, r["brigades"].split(","))),
                active=bool(r["active"]),
                last_login_at=datetime.fromisoformat(r["last_login_at"])
                if r["last_login_at"]
                else None,
                failed_logins=tuple(
                    datetime.fromisoformat(t) for t in json.loads(r["failed_logins"])
                ),
                two_factor=bool(r["two_factor"]),
            )
            for r in rows
        ]
