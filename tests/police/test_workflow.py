"""The workflow tables written out here by hand, not read from ``police.workflow``: for each
workflow, which action is legal from which status and for which role, and what each kind of
notice is. A status or a role slipped into a rule, or left out of it, fails here."""

from __future__ import annotations

from police.catalogue import Workflow
from police.roles import Role
from police.workflow import (
    NOTICE_RULES,
    Action,
    CaseStatus,
    NoticeKind,
    legal_actions,
    rule_for,
)

S = CaseStatus
OPENED, VALIDATED, NOTIFIED, ESCALATED = S.OPENED, S.VALIDATED, S.NOTIFIED, S.ESCALATED
RESOLVED, CLOSED, DISMISSED, CANCELLED = S.RESOLVED, S.CLOSED, S.DISMISSED, S.CANCELLED
OPEN = {OPENED, VALIDATED, NOTIFIED, ESCALATED}
ENDED = {RESOLVED, CLOSED, DISMISSED, CANCELLED}
AFTER_NOTICE = {NOTIFIED, ESCALATED, RESOLVED, CLOSED}
SUPERVISOR, LEGAL = {Role.SUPERVISOR}, {Role.LEGAL}
FIELD = {Role.OFFICER, Role.SUPERVISOR}

EXPECTED: dict[Workflow, dict[Action, tuple[set[CaseStatus], set[Role]]]] = {
    Workflow.NOTICE: {
        Action.ADD_INSPECTION: (OPEN, FIELD),
        Action.VALIDATE: ({OPENED}, SUPERVISOR),
        Action.DISMISS: ({OPENED, VALIDATED}, SUPERVISOR),
        Action.ASSIGN: (OPEN, SUPERVISOR),
        Action.SCHEDULE_FOLLOW_UP: ({VALIDATED, NOTIFIED, ESCALATED}, SUPERVISOR),
        Action.RECORD_COMPLIANCE: ({VALIDATED, NOTIFIED, ESCALATED}, SUPERVISOR),
        Action.ESCALATE: ({VALIDATED, NOTIFIED}, SUPERVISOR),
        Action.CLOSE: (OPEN, SUPERVISOR),
        Action.REOPEN: (ENDED, SUPERVISOR),
        Action.ISSUE_NOTICE: ({VALIDATED, NOTIFIED, ESCALATED, RESOLVED}, LEGAL),
        Action.RECORD_SERVICE: (
            {VALIDATED, NOTIFIED, ESCALATED, RESOLVED, CLOSED, CANCELLED},
            LEGAL,
        ),
        Action.IMPOSE_FINE: ({NOTIFIED, ESCALATED}, LEGAL),
        Action.RECORD_PAYMENT: ({NOTIFIED, ESCALATED}, LEGAL),
        Action.FILE_APPEAL: (AFTER_NOTICE, LEGAL),
        Action.DECIDE_APPEAL: (AFTER_NOTICE, LEGAL),
    },
    Workflow.TICKET: {
        Action.DISMISS: ({NOTIFIED}, SUPERVISOR),
        Action.ASSIGN: (OPEN, SUPERVISOR),
        Action.ESCALATE: ({NOTIFIED}, SUPERVISOR),
        Action.CLOSE: (OPEN, SUPERVISOR),
        Action.REOPEN: (ENDED, SUPERVISOR),
        Action.ISSUE_NOTICE: ({NOTIFIED, ESCALATED}, LEGAL),
        Action.RECORD_SERVICE: ({NOTIFIED, ESCALATED, CLOSED}, LEGAL),
        Action.IMPOSE_FINE: ({ESCALATED}, LEGAL),
        Action.RECORD_PAYMENT: ({NOTIFIED, ESCALATED}, LEGAL),
        Action.FILE_APPEAL: (AFTER_NOTICE, LEGAL),
        Action.DECIDE_APPEAL: (AFTER_NOTICE, LEGAL),
        Action.RELEASE_VEHICLE: ({CLOSED, CANCELLED, DISMISSED}, SUPERVISOR),
    },
}


def test_each_status_offers_exactly_the_actions_written_here() -> None:
    for workflow, rules in EXPECTED.items():
        for status in CaseStatus:
            expected = {action for action, (statuses, _) in rules.items() if status in statuses}
            assert set(legal_actions(status, workflow)) == expected, (workflow, status)


def test_each_action_is_for_the_roles_written_here_and_only_in_its_workflows() -> None:
    for workflow, rules in EXPECTED.items():
        for action in Action:
            rule = rule_for(action, workflow)
            if action not in rules:
                assert rule is None, (workflow, action)
                continue
            assert rule is not None, (workflow, action)
            assert set(rule.roles) == rules[action][1], (workflow, action)


NOTICE, TICKET = {Workflow.NOTICE}, {Workflow.TICKET}
# kind: (numbering series, workflows, statuses, whether it notifies the case)
EXPECTED_NOTICES: dict[NoticeKind, tuple[str, set[Workflow], set[CaseStatus], bool]] = {
    NoticeKind.AVIS_CONTRAVENTION: ("AC", TICKET, {NOTIFIED, ESCALATED}, False),
    NoticeKind.MISE_EN_DEMEURE: ("MD", NOTICE, {VALIDATED, NOTIFIED, ESCALATED}, True),
    NoticeKind.PROCES_VERBAL: ("PV", NOTICE | TICKET, {VALIDATED, NOTIFIED, ESCALATED}, False),
    NoticeKind.ORDRE_FERMETURE: ("OF", NOTICE, {ESCALATED}, False),
    NoticeKind.ATTESTATION_REGULARISATION: ("AR", NOTICE, {RESOLVED}, False),
}


def test_each_kind_of_notice_is_numbered_issued_and_acts_as_written_here() -> None:
    assert set(NOTICE_RULES) == set(EXPECTED_NOTICES)
    for kind, (series, workflows, statuses, notifies) in EXPECTED_NOTICES.items():
        rule = NOTICE_RULES[kind]
        assert (rule.series, set(rule.workflows), set(rule.statuses), rule.notifies) == (
            series,
            workflows,
            statuses,
            notifies,
        ), kind
