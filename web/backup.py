"""Backup and restore of the record: the event log and every stored object, into one folder.

The event log is written as JSON lines of stored events (as the store keeps them: compressed or
encrypted payloads stay so), read page by page in log order; it restores into any empty event
store, SQLite or PostgreSQL. Objects are copied with their keys, each checked against its content
address. Read models are not backed up: they are rebuilt from the restored log
(``police project --rebuild``). A ``manifest.json`` holds counts and the log file's SHA-256.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import StoredEvent

from police.log import notifications
from storage import ObjectStore

PAGE = 1000
EVENTS = "events.jsonl"
OBJECTS = "objects"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """The backup is incomplete or altered, or the target is not empty."""


@dataclass(frozen=True)
class BackupSummary:
    events: int
    objects: int


def back_up(app: Application[UUID], store: ObjectStore, target: Path) -> BackupSummary:
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} n'est pas vide")
    (target / OBJECTS).mkdir(parents=True, exist_ok=True)
    hashed = hashlib.sha256()
    events = 0
    with (target / EVENTS).open("wb") as out:
        for stored in notifications(app, page=PAGE):
            line = (
                json.dumps(
                    {
                        "originator_id": str(stored.originator_id),
                        "originator_version": stored.originator_version,
                        "topic": stored.topic,
                        "state": base64.b64encode(stored.state).decode(),
                    }
                ).encode()
                + b"\n"
            )
            hashed.update(line)
            out.write(line)
            events += 1
        out.flush()
        os.fsync(out.fileno())
    index: dict[str, str | None] = {}
    for key in store.list_keys():
        info = store.stat(key)
        index[key] = info.content_type if info else None
        path = target / OBJECTS / key
        path.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with path.open("wb") as out:
            for chunk in store.open(key):
                digest.update(chunk)
                out.write(chunk)
        _check_address(key, digest.hexdigest())
    manifest = {
        "made_at": datetime.now(UTC).isoformat(),
        "events": events,
        "events_sha256": hashed.hexdigest(),
        "objects": len(index),
        "content_types": index,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return BackupSummary(events, len(index))


def restore(app: Application[UUID], store: ObjectStore, source: Path) -> BackupSummary:
    """Into an empty event store; objects already present are kept (they are write-once)."""
    manifest = json.loads((source / MANIFEST).read_text())
    if app.recorder.max_notification_id():
        raise BackupError("le journal d'événements cible n'est pas vide")
    log = source / EVENTS
    if _sha256_of(log) != manifest["events_sha256"]:
        raise BackupError(f"{log} ne correspond pas au manifeste")
    objects = 0
    for path in sorted(p for p in (source / OBJECTS).rglob("*") if p.is_file()):
        key = path.relative_to(source / OBJECTS).as_posix()
        if store.stat(key) is None:
            content_type = manifest["content_types"].get(key) or _content_type(key)
            with path.open("rb") as data:
                stored = store.write(key, data, content_type)
            _check_address(key, stored.sha256)
        objects += 1
    events = 0
    batch: list[StoredEvent] = []
    with log.open("rb") as lines:
        for line in lines:
            raw = json.loads(line)
            batch.append(
                StoredEvent(
                    originator_id=UUID(raw["originator_id"]),
                    originator_version=raw["originator_version"],
                    topic=raw["topic"],
                    state=base64.b64decode(raw["state"]),
                )
            )
            if len(batch) == PAGE:
                events += _insert(app, batch)
        events += _insert(app, batch)
    if events != manifest["events"] or objects != manifest["objects"]:
        raise BackupError("le nombre d'événements ou d'objets ne correspond pas au manifeste")
    return BackupSummary(events, objects)


def _insert(app: Application[UUID], batch: list[StoredEvent]) -> int:
    count = len(batch)
    if batch:
        app.recorder.insert_events(batch)
        batch.clear()
    return count


def _check_address(key: str, sha256: str) -> None:
    """Content-addressed keys end with the hash of their bytes: anything else is altered."""
    name = key.rsplit("/", 1)[-1]
    if len(name) == 64 and name != sha256:
        raise BackupError(f"{key} : contenu altéré (SHA-256 {sha256})")


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        while chunk := data.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _content_type(key: str) -> str:
    if key.startswith("thumbnails/"):
        return "image/webp"
    if key.startswith("notices/"):
        return "application/pdf"
    return "application/octet-stream"
