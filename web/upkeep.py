"""``police backup`` and ``police verify`` as the command line runs them: the backup or the
verification, then its outcome recorded on the installation's upkeep record (``Upkeep``),
made or failed, by the actor running it (the command line's is ``SYSTEM``). The system page
(``/admin/system``) shows the last of each.

A failure is recorded with its reason, then raised as before: the command's message and exit
code do not change. The record of a backup is made after it, so a backup never holds its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from uuid import UUID

from police.app import PoliceApp
from police.roles import SYSTEM
from police.verification import VerificationReport, verify_objects
from storage import ObjectStore, StorageError
from web.backup import BackupError, BackupSummary, back_up

log = logging.getLogger(__name__)


def backed_up(
    app: PoliceApp, store: ObjectStore, target: Path, actor_id: UUID = SYSTEM.id
) -> BackupSummary:
    """``web.backup.back_up``, recorded; raises what it raises (``BackupError``,
    ``StorageError``, or ``OSError``: the target's disk full or not writable)."""
    where = str(target.absolute())
    try:
        summary = back_up(app, store, target)
    except (BackupError, StorageError, OSError) as e:
        _record_failure(app.record_backup, actor_id, target=where, ok=False, detail=str(e))
        raise
    app.record_backup(
        actor_id, target=where, events=summary.events, objects=summary.objects, ok=True
    )
    return summary


def verified(app: PoliceApp, store: ObjectStore, actor_id: UUID = SYSTEM.id) -> VerificationReport:
    """``police.verification.verify_objects``, recorded (intact or not); raises
    ``StorageError`` as it does when the store cannot be read."""
    try:
        report = verify_objects(app, store)
    except StorageError as e:
        _record_failure(app.record_verification, actor_id, ok=False, detail=str(e))
        raise
    app.record_verification(
        actor_id,
        checked=report.checked,
        missing=len(report.missing),
        altered=len(report.altered),
        ok=report.intact,
    )
    return report


def _record_failure(record: Callable[..., None], actor_id: UUID, **outcome: object) -> None:
    """Records a failed run; when the event store fails too, says so in the log and lets the
    run's own failure be the one reported."""
    try:
        record(actor_id, **outcome)
    except Exception:  # the run's own error is what the operator must see
        log.exception("the failed run could not be recorded")
