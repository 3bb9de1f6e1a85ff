"""User accounts: only admins manage them; roles and brigades are events; passwords hashed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from police import clock
from police.aggregates.user import User
from police.app import PoliceApp
from police.app.users import LoginRefused
from police.errors import InvalidInput, InvalidTransition, NotAllowed
from police.roles import SYSTEM, Brigade, Role
from tests.police.builders import PASSWORD, Staff, event_count


def test_the_system_bootstraps_the_first_admin_who_registers_others(app: PoliceApp) -> None:
    admin = app.register_user(
        SYSTEM.id,
        username="Admin.Ville",
        full_name="Admin Ville",
        password="un-mot-de-passe",
        roles=["admin"],
    )
    officer = app.register_user(
        admin,
        username="agent.karim",
        full_name="Karim Benali",
        password="un-autre-mot-de-passe",
        badge="PA-0142",
        roles=["officer"],
        brigades=["parking"],
    )
    user = app.get_user(officer)
    assert (user.username, user.badge, user.roles, user.brigades) == (
        "agent.karim",
        "PA-0142",
        ["officer"],
        ["parking"],
    )
    found = app.find_user("ADMIN.VILLE")
    assert found is not None
    assert found.id == admin
    assert [type(e).__name__ for e in app.events.get(officer)] == [
        "Registered",
        "RoleGranted",
        "BrigadeGranted",
    ]
    assert all(
        isinstance(e, User.Registered | User.RoleGranted | User.BrigadeGranted)
        and e.actor_id == admin
        for e in app.events.get(officer)
    )
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith("$argon2id$")


def test_registration_refusals(app: PoliceApp, staff: Staff) -> None:
    before = event_count(app)
    with pytest.raises(NotAllowed):
        app.register_user(staff.hygiene_chief, username="x.y.z", full_name="X", password=PASSWORD)
    with pytest.raises(InvalidInput, match="déjà pris"):
        app.register_user(staff.admin, username="agent.hygiene", full_name="X", password=PASSWORD)
    with pytest.raises(InvalidInput, match="Identifiant"):
        app.register_user(staff.admin, username="a b", full_name="X", password=PASSWORD)
    with pytest.raises(InvalidInput, match="trop court"):
        app.register_user(staff.admin, username="nouveau", full_name="X", password="court")
    with pytest.raises(InvalidInput, match="Rôle inconnu"):
        app.register_user(
            staff.admin, username="nouveau", full_name="X", password=PASSWORD, roles=["chief"]
        )
    assert event_count(app) == before


def test_roles_and_brigades_are_granted_and_revoked_by_admins(app: PoliceApp, staff: Staff) -> None:
    app.grant_brigade(staff.admin, staff.hygiene_officer, "public_domain")
    app.grant_role(staff.admin, staff.hygiene_officer, "supervisor")
    app.revoke_brigade(staff.admin, staff.hygiene_officer, "hygiene")
    actor = app.actor(staff.hygiene_officer)
    assert actor.roles == {Role.OFFICER, Role.SUPERVISOR}
    assert actor.brigades == {Brigade.PUBLIC_DOMAIN}
    with pytest.raises(InvalidTransition, match="déjà le rôle"):
        app.grant_role(staff.admin, staff.hygiene_officer, "officer")
    with pytest.raises(InvalidTransition, match="n'est pas habilité"):
        app.revoke_brigade(staff.admin, staff.hygiene_officer, "parking")
    with pytest.raises(NotAllowed):
        app.grant_role(staff.hygiene_chief, staff.hygiene_officer, "admin")
    with pytest.raises(InvalidTransition, match="lui-même"):
        app.revoke_role(staff.admin, staff.admin, "admin")


def test_logging_in(app: PoliceApp, staff: Staff) -> None:
    actor = app.log_in("Agent.Hygiene", PASSWORD, source="10.0.0.7")
    assert actor.user_id == staff.hygiene_officer
    assert type(list(app.events.get(staff.hygiene_officer))[-1]).__name__ == "LoggedIn"
    for username, password in [
        ("agent.hygiene", "wrong-password"),
        ("nobody", PASSWORD),
        ("<script>", PASSWORD),
    ]:
        with pytest.raises(LoginRefused, match="Identifiant ou mot de passe incorrect"):
            app.log_in(username, password, source="10.0.0.7")
    app.deactivate_user(staff.admin, staff.hygiene_officer, reason="Départ")
    with pytest.raises(LoginRefused, match="désactivé"):
        app.log_in("agent.hygiene", PASSWORD, source="10.0.0.7")
    app.reactivate_user(staff.admin, staff.hygiene_officer)
    assert app.log_in("agent.hygiene", PASSWORD, source="10.0.0.7").user_id == staff.hygiene_officer


def test_five_failures_in_a_row_lock_the_account_for_fifteen_minutes(
    app: PoliceApp, staff: Staff
) -> None:
    start = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    with clock.frozen_at(start):
        for _ in range(4):
            with pytest.raises(LoginRefused, match="incorrect"):
                app.log_in("agent.hygiene", "devine", source="10.0.0.9")
        with pytest.raises(LoginRefused, match="verrouillé"):
            app.log_in("agent.hygiene", "devine", source="10.0.0.9")
        with pytest.raises(LoginRefused, match="réessayez dans 15 min"):
            app.log_in("agent.hygiene", PASSWORD, source="10.0.0.9")  # even the right password
    with clock.frozen_at(start + timedelta(minutes=16)):
        assert (
            app.log_in("agent.hygiene", PASSWORD, source="10.0.0.9").user_id
            == staff.hygiene_officer
        )
        with pytest.raises(LoginRefused, match="incorrect"):
            app.log_in("agent.hygiene", "devine", source="10.0.0.9")  # the count starts again
    failures = [e for e in app.events.get(staff.hygiene_officer) if isinstance(e, User.LoginFailed)]
    assert len(failures) == 6
    assert {e.source for e in failures} == {"10.0.0.9"}


def test_passwords_are_changed_by_their_owner_or_reset_by_an_admin(
    app: PoliceApp, staff: Staff
) -> None:
    with pytest.raises(InvalidInput, match="actuel incorrect"):
        app.change_password(
            staff.hygiene_officer,
            staff.hygiene_officer,
            new_password="nouveau-secret-1",
            current_password="faux",
        )
    app.change_password(
        staff.hygiene_officer,
        staff.hygiene_officer,
        new_password="nouveau-secret-1",
        current_password=PASSWORD,
    )
    assert (
        app.log_in("agent.hygiene", "nouveau-secret-1", source="t").user_id == staff.hygiene_officer
    )
    with pytest.raises(NotAllowed):
        app.change_password(
            staff.hygiene_chief, staff.hygiene_officer, new_password="vole-le-compte-1"
        )
    app.change_password(staff.admin, staff.hygiene_officer, new_password="reinitialise-1")
    assert (
        app.log_in("agent.hygiene", "reinitialise-1", source="t").user_id == staff.hygiene_officer
    )


def test_deactivation_is_refused_on_oneself_and_twice(app: PoliceApp, staff: Staff) -> None:
    with pytest.raises(InvalidTransition, match="propre compte"):
        app.deactivate_user(staff.admin, staff.admin, reason="x")
    app.deactivate_user(staff.admin, staff.legal, reason="Fin de contrat")
    with pytest.raises(InvalidTransition, match="déjà désactivé"):
        app.deactivate_user(staff.admin, staff.legal, reason="x")
    with pytest.raises(NotAllowed, match="désactivé"):
        app.actor(staff.legal)


def test_users_are_listed_from_the_log(app: PoliceApp, staff: Staff) -> None:
    users = app.list_users()
    assert all(isinstance(u, User) for u in users)
    assert [u.username for u in users][:3] == ["admin", "agent.hygiene", "agent.hygiene2"]
    assert len(users) == 10
