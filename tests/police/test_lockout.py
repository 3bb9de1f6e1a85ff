"""The account lock-out to the minute: fifteen minutes from the fifth failure in a row, however
the failures were spread, and what each failure records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from police import clock
from police.aggregates.user import User
from police.app import PoliceApp
from police.app.users import LoginRefused
from tests.police.builders import PASSWORD, Staff

START = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def fail(app: PoliceApp, minute: float) -> None:
    with clock.frozen_at(START + timedelta(minutes=minute)), pytest.raises(LoginRefused):
        app.log_in("agent.hygiene", "devine", source="10.0.0.9")


def test_the_lock_ends_exactly_fifteen_minutes_after_the_fifth_failure(
    app: PoliceApp, staff: Staff
) -> None:
    for _ in range(5):
        fail(app, 0)
    with clock.frozen_at(START + timedelta(minutes=15)):
        assert (
            app.log_in("agent.hygiene", PASSWORD, source="10.0.0.9").user_id
            == staff.hygiene_officer
        )


def test_failures_spread_over_minutes_lock_from_the_last_one(app: PoliceApp, staff: Staff) -> None:
    for minute in range(4):
        fail(app, minute)
    with (
        clock.frozen_at(START + timedelta(minutes=4)),
        pytest.raises(LoginRefused, match="réessayez dans 15 min"),
    ):
        app.log_in("agent.hygiene", "devine", source="10.0.0.9")
    with (
        clock.frozen_at(START + timedelta(minutes=16)),
        pytest.raises(LoginRefused, match="réessayez dans 3 min"),
    ):
        app.log_in("agent.hygiene", PASSWORD, source="10.0.0.9")


def test_five_failures_spanning_fifteen_minutes_or_more_do_not_lock(
    app: PoliceApp, staff: Staff
) -> None:
    for minute in (0, 5, 10, 14):
        fail(app, minute)
    with (
        clock.frozen_at(START + timedelta(minutes=15)),
        pytest.raises(LoginRefused, match="incorrect"),
    ):
        app.log_in("agent.hygiene", "devine", source="10.0.0.9")


def test_failures_older_than_fifteen_minutes_before_the_last_do_not_count(
    app: PoliceApp, staff: Staff
) -> None:
    for minute in (0, 20, 21, 22):
        fail(app, minute)
    with (
        clock.frozen_at(START + timedelta(minutes=23)),
        pytest.raises(LoginRefused, match="incorrect"),  # the fifth failure, but four in the burst
    ):
        app.log_in("agent.hygiene", "devine", source="10.0.0.9")
    with clock.frozen_at(START + timedelta(minutes=23, seconds=10)):
        assert (
            app.log_in("agent.hygiene", PASSWORD, source="10.0.0.9").user_id
            == staff.hygiene_officer
        )


def test_the_minutes_left_are_rounded_up(app: PoliceApp, staff: Staff) -> None:
    for _ in range(5):
        fail(app, 0)
    with (
        clock.frozen_at(START + timedelta(seconds=900 - 854)),  # 14 min 14 s left
        pytest.raises(LoginRefused, match="réessayez dans 15 min"),
    ):
        app.log_in("agent.hygiene", PASSWORD, source="10.0.0.9")


def test_a_failure_records_the_first_200_characters_of_its_source(
    app: PoliceApp, staff: Staff
) -> None:
    source = "203.0.113.7 " + "Mozilla/5.0 " * 30
    with pytest.raises(LoginRefused):
        app.log_in("agent.hygiene", "devine", source=source)
    *_, failed = app.events.get(staff.hygiene_officer)
    assert isinstance(failed, User.LoginFailed)
    assert failed.source == source[:200]


def test_the_last_minute_of_a_lock_is_said_as_one_minute(app: PoliceApp, staff: Staff) -> None:
    for _ in range(5):
        fail(app, 0)
    with (
        clock.frozen_at(START + timedelta(minutes=14, seconds=30)),
        pytest.raises(LoginRefused, match="réessayez dans 1 min"),
    ):
        app.log_in("agent.hygiene", PASSWORD, source="10.0.0.9")


def test_a_login_records_the_first_200_characters_of_its_source(
    app: PoliceApp, staff: Staff
) -> None:
    source = "203.0.113.7 " + "Mozilla/5.0 " * 30
    app.log_in("agent.hygiene", PASSWORD, source=source)
    *_, logged_in = app.events.get(staff.hygiene_officer)
    assert isinstance(logged_in, User.LoggedIn)
    assert logged_in.source == source[:200]
