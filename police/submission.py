"""The inspection form as the phone submits it: the record-inspection command's input."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from police.identifiers import SubjectInput


@dataclass(frozen=True)
class Location:
    arrondissement: str
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None


@dataclass(frozen=True)
class Position:
    """A GPS fix without its place in the city: where the phone was when the form opened."""

    lat: float
    lon: float
    accuracy_m: float | None = None


@dataclass(frozen=True)
class Finding:
    """One infraction cited, with its measurement when the catalogue asks for one."""

    code: str
    quantity: Decimal | None = None


@dataclass(frozen=True)
class Evidence:
    """A photo already stored in the object store (object first, event second)."""

    key: str
    sha256: str
    size: int
    content_type: str
    captured_at: datetime | None = None
    thumbnail_key: str | None = None
    latitude: float | None = None  # where the camera says it was (EXIF GPS)
    longitude: float | None = None


@dataclass(frozen=True)
class InspectionSubmission:
    submission_id: UUID  # made on the phone: a replay carries the same one
    brigade: str
    observed_at: datetime  # the phone's clock
    location: Location
    subject: SubjectInput
    findings: tuple[Finding, ...] = ()
    measurements: dict[str, Decimal] = field(default_factory=dict)
    observations: str = ""
    permit_number: str = ""  # the permit the officer picked nearby or typed
    structure_id: str = ""  # a billboard's structure identifier, scanned or typed
    no_permit_found: bool = False  # the officer found no permit for this occupation
    measures: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    follow_up_case_id: UUID | None = None
    report_number: str = ""  # the resident's report this visit was dispatched for
    visit: str = ""  # the planned visit it was made for (a campaign target's key)
    late_reason: str = ""  # why it is entered after the fact (typed by the officer)
    opened_position: Position | None = None  # the phone's first fix once the form was open
    # The phone's clock when this copy was sent (a replay from the outbox sends its own): how
    # far that clock is from the server's. Not part of what was observed.
    sent_at: datetime | None = None

    def digest(self) -> str:
        """Fingerprint of what was observed; photos excluded, as a replay may carry more."""
        facts = {k: v for k, v in vars(self).items() if k not in ("evidence", "sent_at")}
        # Added after the first submissions were fingerprinted: left out when empty, so that
        # a phone replaying one made before still matches its record.
        for added in (
            "late_reason",
            "opened_position",
            "structure_id",
            "no_permit_found",
            "report_number",
            "visit",
        ):
            if not facts[added]:
                del facts[added]
        canonical = json.dumps(facts, sort_keys=True, default=_plain, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


def _plain(value: object) -> object:
    """JSON form of the values a submission holds (dataclasses, ids, times, amounts)."""
    return vars(value) if hasattr(value, "__dataclass_fields__") else str(value)
