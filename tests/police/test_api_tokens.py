"""API tokens for the city's GIS and apps: issued and revoked by an admin, on the user's record
as events that never hold the token itself; a token acts as its user as they are now, within
its scopes, until its expiry day, and its first use of each day is recorded."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from police import clock
from police.aggregates.user import User
from police.app import PoliceApp, TokenRefused
from police.app.tokens import token_digest
from police.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from police.roles import Brigade, Role
from police.token_terms import TokenScope
from tests.police.builders import Staff, event_count, staff_of

OGC, OPEN311 = TokenScope.OGC, TokenScope.OPEN311


def test_an_admin_issues_a_token_that_acts_as_its_user(app: PoliceApp, staff: Staff) -> None:
    issued = app.issue_api_token(staff.admin, staff.hygiene_chief, label="QGIS du SIG")
    assert issued.token.startswith(f"pat_{staff.hygiene_chief.hex}_{issued.key}_")
    actor = app.authenticate_token(issued.token, OGC)
    assert (actor.id, actor.roles, actor.brigades) == (
        staff.hygiene_chief,
        frozenset({Role.SUPERVISOR}),
        frozenset({Brigade.HYGIENE}),
    )
    [(user, token)] = app.list_api_tokens(staff.admin)
    assert (user.id, token.key, token.label, token.state(app.today())) == (
        staff.hygiene_chief,
        issued.key,
        "QGIS du SIG",
        "active",
    )
    [event] = [e for e in app.events.get(staff.hygiene_chief) if isinstance(e, User.ApiTokenIssued)]
    assert (event.key, event.label, event.actor_id) == (issued.key, "QGIS du SIG", staff.admin)


def test_the_token_acts_with_the_scope_its_user_holds_now(app: PoliceApp, staff: Staff) -> None:
    issued = app.issue_api_token(staff.admin, staff.hygiene_chief, label="QGIS")
    app.grant_brigade(staff.admin, staff.hygiene_chief, "parking")
    assert app.authenticate_token(issued.token, OGC).brigades == {Brigade.HYGIENE, Brigade.PARKING}


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
        app.authenticate_token(revoked.token, OGC)
    assert app.authenticate_token(kept.token, OGC).id == staff.legal
    listed = {t.key: t.state(app.today()) for _, t in app.list_api_tokens(staff.admin)}
    assert listed == {kept.key: "active", revoked.key: "revoked"}
    assert app.token_owner(revoked.key) == staff.legal


def test_a_deactivated_users_token_is_refused(app: PoliceApp, staff: Staff) -> None:
    issued = app.issue_api_token(staff.admin, staff.legal, label="QGIS")
    app.deactivate_user(staff.admin, staff.legal, reason="Mutation")
    with pytest.raises(TokenRefused) as refused:
        app.authenticate_token(issued.token, OGC)
    with pytest.raises(TokenRefused) as malformed:
        app.authenticate_token("pat_nimporte_quoi", OGC)
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
        app.authenticate_token(change(issued.token), OGC)


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
    assert app.authenticate_token(issued.token, OGC).id == staff.legal


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
        assert second.authenticate_token(issued.token, OGC).id == staff.legal
        first.revoke_api_token(staff.admin, staff.legal, issued.key)
        with pytest.raises(TokenRefused):
            second.authenticate_token(issued.token, OGC)
    finally:
        first.close()
        second.close()


# --- scopes, expiry and last use -----------------------------------------------------------

# Moments on the territory's wall clock (Casablanca), where a token's days are counted.
ISSUED_ON = date(2027, 3, 10)


def local(app: PoliceApp, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=app.territory.timezone)


def uses(app: PoliceApp, user_id: UUID) -> list[tuple[str, date]]:
    return [(e.key, e.on) for e in app.events.get(user_id) if isinstance(e, User.ApiTokenUsed)]


def test_a_token_issued_before_scopes_existed_may_do_both_for_ever(
    app: PoliceApp, staff: Staff
) -> None:
    """An ``ApiTokenIssued`` stored by the first version (no scopes, no expiry), written here
    as its JSON was: it reads as both scopes and no expiry, and the token works for both."""
    token = f"pat_{staff.legal.hex}_0123456789ab_{'A' * 43}"
    version = len(list(app.events.get(staff.legal)))
    state = (
        '{"timestamp": {"_type_": "datetime_iso", "_data_": "2026-11-20T09:30:00+00:00"}, '
        '"key": "0123456789ab", "label": "QGIS du SIG", '
        f'"digest": "{token_digest(token)}", '
        f'"actor_id": {{"_type_": "uuid_hex", "_data_": "{staff.admin.hex}"}}}}'
    )
    app.recorder.insert_events(
        [
            StoredEvent(
                originator_id=staff.legal,
                originator_version=version + 1,
                topic="police.aggregates.user:User.ApiTokenIssued",
                state=state.encode(),
            )
        ]
    )
    [event] = [e for e in app.events.get(staff.legal) if isinstance(e, User.ApiTokenIssued)]
    assert (event.key, event.scopes, event.expires_on) == ("0123456789ab", ["ogc", "open311"], None)
    [(_, listed)] = app.list_api_tokens(staff.admin)
    assert (listed.scopes, listed.expires_on, listed.state(app.today())) == (
        ("ogc", "open311"),
        None,
        "active",
    )
    assert app.authenticate_token(token, OGC).id == staff.legal
    assert app.authenticate_token(token, OPEN311).id == staff.legal


def test_a_token_given_no_scope_nor_expiry_may_do_both_for_a_year(
    app: PoliceApp, staff: Staff
) -> None:
    with clock.frozen_at(local(app, ISSUED_ON, 10)):
        issued = app.issue_api_token(staff.admin, staff.legal, label="QGIS")
    assert (issued.scopes, issued.expires_on) == (("ogc", "open311"), date(2028, 3, 10))
    [event] = [e for e in app.events.get(staff.legal) if isinstance(e, User.ApiTokenIssued)]
    assert (event.scopes, event.expires_on) == (["ogc", "open311"], date(2028, 3, 10))


def test_an_expired_token_is_refused_the_day_after_its_expiry_and_accepted_on_it(
    app: PoliceApp, staff: Staff
) -> None:
    with clock.frozen_at(local(app, ISSUED_ON, 10)):
        issued = app.issue_api_token(
            staff.admin, staff.legal, label="QGIS", expires_on=date(2027, 6, 30)
        )
    with clock.frozen_at(local(app, date(2027, 6, 30), 23, 30)):  # its last day, late
        assert app.authenticate_token(issued.token, OGC).id == staff.legal
        [(_, token)] = app.list_api_tokens(staff.admin)
        assert token.state(app.today()) == "active"
    with clock.frozen_at(local(app, date(2027, 7, 1), 0, 30)):  # the next day, early
        with pytest.raises(TokenRefused) as expired:
            app.authenticate_token(issued.token, OGC)
        [(_, token)] = app.list_api_tokens(staff.admin)
        assert token.state(app.today()) == "expired"
    with pytest.raises(TokenRefused) as malformed:
        app.authenticate_token("pat_nimporte_quoi", OGC)
    assert expired.value.template == malformed.value.template  # nothing tells the cases apart
    assert expired.value.message == (
        "Jeton d'accès invalide, expiré, révoqué, ou compte désactivé."
    )


def test_a_token_without_the_ogc_scope_is_refused_by_the_ogc_check(
    app: PoliceApp, staff: Staff
) -> None:
    app_only = app.issue_api_token(staff.admin, staff.legal, label="Appli", scopes=["open311"])
    gis_only = app.issue_api_token(staff.admin, staff.legal, label="QGIS", scopes=["ogc"])
    with pytest.raises(TokenRefused):
        app.authenticate_token(app_only.token, OGC)
    with pytest.raises(TokenRefused):
        app.authenticate_token(gis_only.token, OPEN311)
    assert app.authenticate_token(app_only.token, OPEN311).id == staff.legal
    assert app.authenticate_token(gis_only.token, OGC).id == staff.legal
    scopes = {t.label: t.scopes for _, t in app.list_api_tokens(staff.admin)}
    assert scopes == {"Appli": ("open311",), "QGIS": ("ogc",)}


def test_the_last_use_is_recorded_once_a_day(app: PoliceApp, staff: Staff) -> None:
    with clock.frozen_at(local(app, ISSUED_ON, 10)):
        issued = app.issue_api_token(staff.admin, staff.legal, label="QGIS")
        other = app.issue_api_token(staff.admin, staff.legal, label="Poste 2")
    assert uses(app, staff.legal) == []
    with clock.frozen_at(local(app, date(2027, 3, 11), 9)):
        app.authenticate_token(issued.token, OGC)
    with clock.frozen_at(local(app, date(2027, 3, 11), 17)):
        app.authenticate_token(issued.token, OPEN311)
    assert uses(app, staff.legal) == [(issued.key, date(2027, 3, 11))]
    with clock.frozen_at(local(app, date(2027, 3, 12), 8)):
        app.authenticate_token(issued.token, OGC)
        app.authenticate_token(issued.token, OGC)
        app.authenticate_token(other.token, OGC)
    assert uses(app, staff.legal) == [
        (issued.key, date(2027, 3, 11)),
        (issued.key, date(2027, 3, 12)),
        (other.key, date(2027, 3, 12)),
    ]
    last = {t.key: t.last_used_on for _, t in app.list_api_tokens(staff.admin)}
    assert last == {issued.key: date(2027, 3, 12), other.key: date(2027, 3, 12)}


def test_a_refused_token_records_no_use(app: PoliceApp, staff: Staff) -> None:
    issued = app.issue_api_token(staff.admin, staff.legal, label="Appli", scopes=["open311"])
    before = event_count(app)
    with pytest.raises(TokenRefused):
        app.authenticate_token(issued.token, OGC)
    assert event_count(app) == before


def test_the_same_day_recorded_meanwhile_by_another_request_is_no_error(
    app: PoliceApp, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests with the token at once, both first of the day: the second to save collides,
    reads the user again, finds the day recorded, and lets its request through."""
    issued = app.issue_api_token(staff.admin, staff.legal, label="QGIS")
    save = app.save
    raced: list[bool] = []

    def racing_save(*aggregates: Any, **kwargs: Any) -> Any:
        if not raced:  # the other request saves first, between this one's read and its save
            raced.append(True)
            assert app.authenticate_token(issued.token, OGC).id == staff.legal
        return save(*aggregates, **kwargs)

    monkeypatch.setattr(app, "save", racing_save)
    assert app.authenticate_token(issued.token, OGC).id == staff.legal
    assert raced == [True]
    assert uses(app, staff.legal) == [(issued.key, app.today())]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"scopes": ["ogc", "wfs"]}, "Portée de jeton inconnue : « wfs »"),
        ({"scopes": []}, "Choisissez au moins une portée"),
        ({"expires_on": ISSUED_ON}, "postérieure à aujourd'hui"),
        ({"expires_on": date(2027, 3, 9)}, "postérieure à aujourd'hui"),
        ({"expires_on": date(2029, 3, 11)}, "le 2029-03-10 au plus tard"),
    ],
    ids=["unknown-scope", "no-scope", "expiring-today", "expired", "beyond-two-years"],
)
def test_a_token_with_an_unknown_scope_or_an_expiry_out_of_range_is_refused(
    app: PoliceApp, staff: Staff, changes: dict[str, Any], message: str
) -> None:
    before = event_count(app)
    with clock.frozen_at(local(app, ISSUED_ON, 10)), pytest.raises(InvalidInput, match=message):
        app.issue_api_token(staff.admin, staff.legal, label="QGIS", **changes)
    assert event_count(app) == before
    with clock.frozen_at(local(app, ISSUED_ON, 10)):  # the last day allowed is allowed
        kept = app.issue_api_token(
            staff.admin, staff.legal, label="QGIS", expires_on=date(2029, 3, 10)
        )
    assert kept.expires_on == date(2029, 3, 10)
