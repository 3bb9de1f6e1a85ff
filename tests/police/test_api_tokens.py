"""API tokens for the city's GIS: issued and revoked by an admin, on the user's record as
events that never hold the token itself; a token acts as its user as they are now."""

from __future__ import annotations

import pytest

from police.aggregates.user import User
from police.app import PoliceApp, TokenRefused
from police.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from police.roles import Brigade, Role
from tests.police.builders import Staff, event_count, staff_of


def test_an_admin_issues_a_token_that_acts_as_its_user(app: PoliceApp, staff: Staff) -> None:
    issued = app.issue_api_token(staff.admin, staff.hygiene_chief, label="QGIS du SIG")
    assert issued.token.startswith(f"pat_{staff.hygiene_chief.hex}_{issued.key}_")
    actor = app.authenticate_token(issued.token)
    assert (actor.id, actor.roles, actor.brigades) == (
        staff.hygiene_chief,
        frozenset({Role.SUPERVISOR}),
        frozenset({Brigade.HYGIENE}),
    )
    [(user, token)] = app.list_api_tokens(staff.admin)
    assert (user.id, token.key, token.label, token.active) == (
        staff.hygiene_chief,
        issued.key,
        "QGIS du SIG",
        True,
    )
    [event] = [e for e in app.events.get(staff.hygiene_chief) if isinstance(e, User.ApiTokenIssued)]
    assert (event.key, event.label, event.actor_id) == (issued.key, "QGIS du SIG", staff.admin)


def test_the_token_acts_with_the_scope_its_user_holds_now(app: PoliceApp, staff: Staff) -> None:
    issued = app.issue_api_token(staff.admin, staff.hygiene_chief, label="QGIS")
    app.grant_brigade(staff.admin, staff.hygiene_chief, "parking")
    assert app.authenticate_token(issued.token).brigades == {Brigade.HYGIENE, Brigade.PARKING}


def test_the_stored_events_never_hold_the_token(app: PoliceApp, staff: Staff) -> None:
    issued = app.issue_api_token(staff.admin, staff.legal, label="QGIS")
    app.revoke_api_token(staff.admin, staff.legal, issued.key)
    secret = issued.token.split("_", 3)[3]  # the random part may itself hold a "_"
    stored = app.recorder.select_notifications(start=1, limit=10_000)
    assert stored
    assert not any(secret.encode() in n.state for n in stored)
    assert not any(issued.token.encode() in n.state for n in stored)


def test_a_revoked_token_is_refused_and_listed_as_revoked(app: PoliceApp, staff: Staff) -> None:
    kept = app.issue_api_token(staff.admin, staff.legal, label="poste 1")
    revoked = app.issue_api_token(staff.admin, staff.legal, label="poste 2")
    app.revoke_api_token(staff.admin, staff.legal, revoked.key)
    with pytest.raises(TokenRefused):
        app.authenticate_token(revoked.token)
    assert app.authenticate_token(kept.token).id == staff.legal
    listed = {t.key: t.active for _, t in app.list_api_tokens(staff.admin)}
    assert listed == {kept.key: True, revoked.key: False}
    assert app.token_owner(revoked.key) == staff.legal


def test_a_deactivated_users_token_is_refused(app: PoliceApp, staff: Staff) -> None:
    issued = app.issue_api_token(staff.admin, staff.legal, label="QGIS")
    app.deactivate_user(staff.admin, staff.legal, reason="Mutation")
    with pytest.raises(TokenRefused) as refused:
        app.authenticate_token(issued.token)
    with pytest.raises(TokenRefused) as malformed:
        app.authenticate_token("pat_nimporte_quoi")
    assert refused.value.template == malformed.value.template  # nothing tells the cases apart


@pytest.mark.parametrize(
    "change",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # another secret
        lambda token: token.replace("pat_", "pa_", 1),
        lambda token: token + "x",
        lambda token: "",
        lambda token: token.split("_", 2)[0] + "_" + "0" * 32 + "_" + token.split("_", 2)[2],
    ],
    ids=["wrong-secret", "wrong-prefix", "too-long", "empty", "unknown-user"],
)
def test_a_malformed_or_altered_token_is_refused(
    app: PoliceApp, staff: Staff, change: object
) -> None:
    issued = app.issue_api_token(staff.admin, staff.legal, label="QGIS")
    assert callable(change)
    with pytest.raises(TokenRefused):
        app.authenticate_token(change(issued.token))


def test_only_an_admin_issues_lists_or_revokes_tokens(app: PoliceApp, staff: Staff) -> None:
    issued = app.issue_api_token(staff.admin, staff.legal, label="QGIS")
    before = event_count(app)
    with pytest.raises(NotAllowed):
        app.issue_api_token(staff.hygiene_chief, staff.hygiene_chief, label="le mien")
    with pytest.raises(NotAllowed):
        app.revoke_api_token(staff.legal, staff.legal, issued.key)
    with pytest.raises(NotAllowed):
        app.list_api_tokens(staff.hygiene_chief)
    assert event_count(app) == before
    assert app.authenticate_token(issued.token).id == staff.legal


def test_refusals_record_nothing(app: PoliceApp, staff: Staff) -> None:
    issued = app.issue_api_token(staff.admin, staff.legal, label="QGIS")
    app.revoke_api_token(staff.admin, staff.legal, issued.key)
    app.deactivate_user(staff.admin, staff.hygiene_chief, reason="Départ")
    before = event_count(app)
    with pytest.raises(NotFound):
        app.issue_api_token(staff.admin, User.create_id("personne"), label="QGIS")
    with pytest.raises(InvalidInput):
        app.issue_api_token(staff.admin, staff.legal, label="  ")
    with pytest.raises(InvalidTransition, match="déjà révoqué"):
        app.revoke_api_token(staff.admin, staff.legal, issued.key)
    with pytest.raises(InvalidTransition):
        app.revoke_api_token(staff.admin, staff.legal, "0123456789ab")
    with pytest.raises(InvalidTransition, match="désactivé"):
        app.issue_api_token(staff.admin, staff.hygiene_chief, label="QGIS")
    with pytest.raises(NotFound):
        app.token_owner("0123456789ab")
    assert event_count(app) == before


@pytest.mark.stores
def test_a_revocation_counts_at_once_for_another_process(store_env: dict[str, str]) -> None:
    """Two applications on one store (two web workers): a token revoked through one is refused
    by the other at its next request, though the other had the user cached."""
    first, second = PoliceApp(env=store_env), PoliceApp(env=store_env)
    try:
        staff = staff_of(first)
        issued = first.issue_api_token(staff.admin, staff.legal, label="QGIS")
        assert second.authenticate_token(issued.token).id == staff.legal
        first.revoke_api_token(staff.admin, staff.legal, issued.key)
        with pytest.raises(TokenRefused):
            second.authenticate_token(issued.token)
    finally:
        first.close()
        second.close()
