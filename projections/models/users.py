"""The ``users`` read model: each account's name, badge, roles, brigades and whether it is
active, for the names shown beside events and inspections, and the assignment lists; and for
the admin's list of accounts, the last sign-in, the recent failed ones (a lock-out is read from
them by ``police.aggregates.user.locked_until``) and whether a second factor is enrolled."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from police.aggregates.user import User
from projections.models import Applied, ReadModel

if TYPE_CHECKING:
    from projections.store import Writer


class Users(ReadModel):
    name = "users"
    version = 3  # 2: the badge (matricule); 3: last sign-in, failures, second factor
    tables = {  # noqa: RUF012
        "rm_users": """
            CREATE TABLE IF NOT EXISTS rm_users (
                user_id TEXT PRIMARY KEY,
                username TEXT NOT NULL,
                full_name TEXT NOT NULL,
                badge TEXT NOT NULL DEFAULT '',
                roles TEXT NOT NULL DEFAULT '',
                brigades TEXT NOT NULL DEFAULT '',
                active INTEGER NOT NULL DEFAULT 1,
                last_login_at TEXT,
                failed_logins TEXT NOT NULL DEFAULT '[]',
                two_factor INTEGER NOT NULL DEFAULT 0
            )""",
    }

    def registered(self, w: Writer, event: Any, at: Applied) -> None:
        w.execute(
            "INSERT INTO rm_users (user_id, username, full_name, badge) "
            "VALUES (:id, :username, :full_name, :badge) ON CONFLICT (user_id) DO UPDATE "
            "SET username = excluded.username, full_name = excluded.full_name, "
            "badge = excluded.badge",
            {
                "id": str(event.originator_id),
                "username": event.username,
                "full_name": event.full_name,
                "badge": event.badge,
            },
        )

    def activity_changed(self, w: Writer, event: Any, at: Applied) -> None:
        w.execute(
            "UPDATE rm_users SET active = :active WHERE user_id = :id",
            {"id": str(event.originator_id), "active": int(isinstance(event, User.Reactivated))},
        )

    def role_changed(self, w: Writer, event: Any, at: Applied) -> None:
        granted = isinstance(event, User.RoleGranted)
        _change_list(w, event, "roles", event.role, granted)

    def brigade_changed(self, w: Writer, event: Any, at: Applied) -> None:
        granted = isinstance(event, User.BrigadeGranted)
        _change_list(w, event, "brigades", event.brigade, granted)

    def logged_in(self, w: Writer, event: Any, at: Applied) -> None:
        w.execute(
            "UPDATE rm_users SET last_login_at = :at, failed_logins = '[]' WHERE user_id = :id",
            {"id": str(event.originator_id), "at": event.timestamp.isoformat()},
        )

    def login_failed(self, w: Writer, event: Any, at: Applied) -> None:
        params = {"id": str(event.originator_id)}
        [row] = w.query("SELECT failed_logins FROM rm_users WHERE user_id = :id", params)
        failures = [*json.loads(row["failed_logins"])[-4:], event.at.isoformat()]
        w.execute(
            "UPDATE rm_users SET failed_logins = :failures WHERE user_id = :id",
            params | {"failures": json.dumps(failures)},
        )

    def failures_cleared(self, w: Writer, event: Any, at: Applied) -> None:
        w.execute(
            "UPDATE rm_users SET failed_logins = '[]' WHERE user_id = :id",
            {"id": str(event.originator_id)},
        )

    def two_factor_changed(self, w: Writer, event: Any, at: Applied) -> None:
        w.execute(
            "UPDATE rm_users SET two_factor = :on WHERE user_id = :id",
            {
                "id": str(event.originator_id),
                "on": int(isinstance(event, User.TwoFactorEnrolled)),
            },
        )

    handlers = {  # noqa: RUF012
        User.Registered: registered,
        User.RoleGranted: role_changed,
        User.RoleRevoked: role_changed,
        User.BrigadeGranted: brigade_changed,
        User.BrigadeRevoked: brigade_changed,
        User.Deactivated: activity_changed,
        User.Reactivated: activity_changed,
        User.LoggedIn: logged_in,
        User.LoginFailed: login_failed,
        User.Unlocked: failures_cleared,
        User.PasswordReset: failures_cleared,
        User.TwoFactorEnrolled: two_factor_changed,
        User.TwoFactorReset: two_factor_changed,
    }


def _change_list(w: Writer, event: Any, column: str, value: str, granted: bool) -> None:
    """Roles and brigades are kept as sorted comma-separated lists."""
    params = {"id": str(event.originator_id)}
    [row] = w.query(f"SELECT {column} AS items FROM rm_users WHERE user_id = :id", params)
    items = set(filter(None, row["items"].split(",")))
    if granted:
        items.add(value)
    else:
        items.discard(value)
    w.execute(
        f"UPDATE rm_users SET {column} = :items WHERE user_id = :id",
        params | {"items": ",".join(sorted(items))},
    )
