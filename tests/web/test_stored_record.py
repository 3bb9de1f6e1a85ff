"""The record outlives the code: a backup made on 2026-12-01 with every kind of event the product
had then (``tests/data/record_history.py``) restores, on both stores, into a record whose every
aggregate reads back as it was, whose objects verify, and whose read models rebuild. A renamed
event class or a changed field fails here before it can orphan a city's stored events."""

from __future__ import annotations

import hashlib
import importlib
import inspect
import pkgutil
from collections import Counter
from pathlib import Path
from uuid import UUID

from eventsourcing.domain import Aggregate, CanCreateTimestamp
from eventsourcing.utils import get_topic

import police.aggregates
from police.aggregates.case import Case
from police.log import notifications
from police.verification import verify_objects
from projections.runner import Projector
from storage.local import LocalObjectStore
from tests.conftest import police_on
from web.backup import restore

BACKUP = Path(__file__).parents[1] / "data" / "record-2026-12"
TOPICS = {
    "police.aggregates.access:AccessJournal.Opened",
    "police.aggregates.access:AccessJournal.Viewed",
    "police.aggregates.case:Case.AppealDecided",
    "police.aggregates.case:Case.AppealFiled",
    "police.aggregates.case:Case.Assigned",
    "police.aggregates.case:Case.Closed",
    "police.aggregates.case:Case.ComplianceRecorded",
    "police.aggregates.case:Case.Dismissed",
    "police.aggregates.case:Case.Escalated",
    "police.aggregates.case:Case.FineImposed",
    "police.aggregates.case:Case.FollowUpScheduled",
    "police.aggregates.case:Case.InspectionAdded",
    "police.aggregates.case:Case.NoticeIssued",
    "police.aggregates.case:Case.Opened",
    "police.aggregates.case:Case.PaymentRecorded",
    "police.aggregates.case:Case.Reopened",
    "police.aggregates.case:Case.ServiceRecorded",
    "police.aggregates.case:Case.Validated",
    "police.aggregates.case:Case.VehicleReleased",
    "police.aggregates.counter:ReferenceCounter.Allocated",
    "police.aggregates.counter:ReferenceCounter.Started",
    "police.aggregates.inspection:Inspection.EvidenceAttached",
    "police.aggregates.inspection:Inspection.Recorded",
    "police.aggregates.permit:Permit.Granted",
    "police.aggregates.permit:Permit.Revoked",
    "police.aggregates.subject:Subject.CaseLinked",
    "police.aggregates.subject:Subject.DetailsRecorded",
    "police.aggregates.subject:Subject.Registered",
    "police.aggregates.user:User.BrigadeGranted",
    "police.aggregates.user:User.BrigadeRevoked",
    "police.aggregates.user:User.Deactivated",
    "police.aggregates.user:User.LoggedIn",
    "police.aggregates.user:User.LoginFailed",
    "police.aggregates.user:User.PasswordChanged",
    "police.aggregates.user:User.Reactivated",
    "police.aggregates.user:User.Registered",
    "police.aggregates.user:User.RoleGranted",
    "police.aggregates.user:User.RoleRevoked",
}
# Kinds of event added after the record was made: each is proven by its own tests, and belongs
# in the next stored record.
ADDED_SINCE = {
    "police.aggregates.user:User.LanguageChosen",
    "police.aggregates.user:User.LoggedOut",
    "police.aggregates.user:User.PasswordReset",
    "police.aggregates.user:User.RecoveryCodesRenewed",
    "police.aggregates.user:User.SignedOutEverywhere",
    "police.aggregates.user:User.TwoFactorEnrolled",
    "police.aggregates.user:User.TwoFactorReset",
    "police.aggregates.user:User.Unlocked",
    "police.aggregates.campaign:Campaign.Closed",
    "police.aggregates.campaign:Campaign.OfficersChanged",
    "police.aggregates.campaign:Campaign.Planned",
    "police.aggregates.campaign:Campaign.TargetVisited",
    "police.aggregates.campaign:Campaign.TargetsAdded",
    "police.aggregates.roster:Roster.CoverageSet",
    "police.aggregates.roster:Roster.Opened",
    "police.aggregates.roster:Roster.VisitAssigned",
    "police.aggregates.roster:Roster.VisitDone",
    "police.aggregates.roster:Roster.VisitWithdrawn",
    "police.aggregates.subject:Subject.RiskOverridden",
    "police.aggregates.case:Case.AccessCodeIssued",
    "police.aggregates.case:Case.AccessCodeRevoked",
    "police.aggregates.case:Case.ComplianceDeclared",
    "police.aggregates.case:Case.ContestationFiled",
    "police.aggregates.billboard:BillboardStructure.PermitChanged",
    "police.aggregates.billboard:BillboardStructure.Registered",
    "police.aggregates.permit:Permit.Amended",
    "police.aggregates.permit:Permit.ArreteIssued",
    "police.aggregates.permit:Permit.FeePaid",
    "police.aggregates.permit_application:PermitApplication.DocumentsAdded",
    "police.aggregates.permit_application:PermitApplication.DocumentsRequested",
    "police.aggregates.permit_application:PermitApplication.Granted",
    "police.aggregates.permit_application:PermitApplication.Held",
    "police.aggregates.permit_application:PermitApplication.HoldLifted",
    "police.aggregates.permit_application:PermitApplication.Refused",
    "police.aggregates.permit_application:PermitApplication.RenewalReminded",
    "police.aggregates.permit_application:PermitApplication.SiteVisitReported",
    "police.aggregates.permit_application:PermitApplication.SiteVisitRequested",
    "police.aggregates.permit_application:PermitApplication.Submitted",
    "police.aggregates.permit_application:PermitApplication.TrackingReplaced",
    "police.aggregates.permit:Permit.Reinstated",
    "police.aggregates.permit:Permit.Renewed",
    "police.aggregates.permit:Permit.Suspended",
    "police.aggregates.report:Report.Dispatched",
    "police.aggregates.report:Report.DuplicateMerged",
    "police.aggregates.report:Report.Followed",
    "police.aggregates.report:Report.Inspected",
    "police.aggregates.report:Report.MergedInto",
    "police.aggregates.report:Report.Received",
    "police.aggregates.report:Report.Refused",
    "police.aggregates.subject:Subject.PermitLinked",
    "police.aggregates.user:User.ApiTokenIssued",
    "police.aggregates.user:User.ApiTokenRevoked",
    "police.aggregates.user:User.ApiTokenUsed",
    "police.aggregates.upkeep:Upkeep.Started",
    "police.aggregates.upkeep:Upkeep.BackupMade",
    "police.aggregates.upkeep:Upkeep.ObjectsVerified",
}


def event_classes() -> set[type]:
    found = set()
    modules = [
        importlib.import_module(f"police.aggregates.{m.name}")
        for m in pkgutil.iter_modules(police.aggregates.__path__)
        if m.name != "base"  # the shared base classes, never stored themselves
    ]
    for module in modules:  # every module of aggregates: a new one is read too
        for aggregate in vars(module).values():
            if inspect.isclass(aggregate) and aggregate.__module__ == module.__name__:
                for value in vars(aggregate).values():
                    if inspect.isclass(value) and issubclass(value, CanCreateTimestamp):
                        found.add(value)
    return found


def test_every_kind_of_event_keeps_the_name_it_is_stored_under() -> None:
    named = {get_topic(cls) for cls in event_classes()}
    every = TOPICS | ADDED_SINCE
    assert (
        named
        - {t.rsplit(".", 1)[0] + ".Event" for t in every}
        - {t.rsplit(".", 1)[0] + ".Created" for t in every}
        == every
    )


def test_the_record_of_december_2026_reads_back_whole(
    store_env: dict[str, str], tmp_path: Path
) -> None:
    store = LocalObjectStore(tmp_path / "objects")
    app = police_on(store_env, store)
    try:
        summary = restore(app, store, BACKUP)
        assert (summary.events, summary.objects) == (116, 3)
        stored = list(notifications(app))
        assert {n.topic for n in stored} == TOPICS
        aggregates = {UUID(str(n.originator_id)) for n in stored}
        loaded: list[Aggregate] = [
            app.repository.get(aggregate_id)  # every event decodes and applies
            for aggregate_id in aggregates
        ]
        cases = [a for a in loaded if isinstance(a, Case)]
        assert Counter(c.status for c in cases) == {
            "resolved": 1,
            "cancelled": 1,
            "escalated": 1,
            "validated": 1,
            "dismissed": 1,
            "closed": 1,
            "notified": 1,
            "opened": 1,
        }
        report = verify_objects(app, store)
        # The two mises en demeure of the history were put on record without their PDF (as the
        # wording test does, to spare the rendering): verify names exactly those.
        assert report.checked == 4
        assert {m.key for m in report.missing} == {
            f"notices/{hashlib.sha256(number).hexdigest()}"
            for number in (b"MD-2026-000001", b"MD-2026-000002")
        }
        assert report.altered == []
    finally:
        app.close()
    projector = Projector(store_env)
    try:
        assert projector.catch_up() == 116
    finally:
        projector.close()
