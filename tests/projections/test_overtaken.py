"""Two projectors on the same tables: one overtaken between reading its page and writing it
leaves that page to the other, which already wrote it and more, and goes on."""

from __future__ import annotations

from typing import Any

import pytest

from police.app import PoliceApp
from projections.runner import Projector
from tests.police.builders import Staff, hygiene, parking


def test_a_projector_overtaken_mid_page_leaves_it_to_the_other_and_goes_on(
    app: PoliceApp,
    staff: Staff,
    projector: Projector,
    store_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app.record_inspection(hygiene(), staff.hygiene_officer)
    app.record_inspection(parking(), staff.parking_officer)
    slow = Projector(store_env, page=2)
    try:
        read = slow.log.recorder.select_notifications

        def overtaken(*args: Any, **kwargs: Any) -> Any:
            page = read(*args, **kwargs)
            projector.catch_up()  # the other projector writes this page and the rest meanwhile
            return page

        monkeypatch.setattr(slow.log.recorder, "select_notifications", overtaken)
        assert slow.step() == 0
        assert slow.position() == projector.position() > 2
        monkeypatch.undo()
        app.record_inspection(parking(plate="77777-B-1"), staff.parking_officer)
        assert slow.catch_up() == app.recorder.max_notification_id()
    finally:
        slow.close()
