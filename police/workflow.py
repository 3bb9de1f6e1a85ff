"""The case workflow: statuses, and which action is legal from which status, for whom.

One table decides both what a command accepts and which actions a screen offers.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from police.catalogue import Workflow
from police.errors import N_
from police.roles import Role


class CaseStatus(StrEnum):
    OPENED = "opened"
    VALIDATED = "validated"
    NOTIFIED = "notified"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    CLOSED = "closed"
    DISMISSED = "dismissed"
    CANCELLED = "cancelled"  # the sanction was cancelled on appeal


OPEN = frozenset(
    {CaseStatus.OPENED, CaseStatus.VALIDATED, CaseStatus.NOTIFIED, CaseStatus.ESCALATED}
)
ENDED = frozenset(
    {CaseStatus.RESOLVED, CaseStatus.CLOSED, CaseStatus.DISMISSED, CaseStatus.CANCELLED}
)

STATUS_LABELS: dict[CaseStatus, str] = {
    CaseStatus.OPENED: N_("Ouvert"),
    CaseStatus.VALIDATED: N_("Validé"),
    CaseStatus.NOTIFIED: N_("Notifié"),
    CaseStatus.ESCALATED: N_("Transmis (escalade)"),
    CaseStatus.RESOLVED: N_("Régularisé"),
    CaseStatus.CLOSED: N_("Clos"),
    CaseStatus.DISMISSED: N_("Classé sans suite"),
    CaseStatus.CANCELLED: N_("Annulé sur recours"),
}


class Action(StrEnum):
    ADD_INSPECTION = "add_inspection"
    VALIDATE = "validate"
    DISMISS = "dismiss"
    ASSIGN = "assign"
    SCHEDULE_FOLLOW_UP = "schedule_follow_up"
    RECORD_COMPLIANCE = "record_compliance"
    ESCALATE = "escalate"
    CLOSE = "close"
    REOPEN = "reopen"
    ISSUE_NOTICE = "issue_notice"
    RECORD_SERVICE = "record_service"
    IMPOSE_FINE = "impose_fine"
    RECORD_PAYMENT = "record_payment"
    FILE_APPEAL = "file_appeal"
    DECIDE_APPEAL = "decide_appeal"
    RELEASE_VEHICLE = "release_vehicle"


ACTION_LABELS: dict[Action, str] = {
    Action.ADD_INSPECTION: N_("ajouter un contrôle"),
    Action.VALIDATE: N_("valider"),
    Action.DISMISS: N_("classer sans suite"),
    Action.ASSIGN: N_("affecter"),
    Action.SCHEDULE_FOLLOW_UP: N_("programmer un contrôle de suivi"),
    Action.RECORD_COMPLIANCE: N_("constater la régularisation"),
    Action.ESCALATE: N_("escalader"),
    Action.CLOSE: N_("clore"),
    Action.REOPEN: N_("rouvrir"),
    Action.ISSUE_NOTICE: N_("émettre un avis"),
    Action.RECORD_SERVICE: N_("enregistrer la notification"),
    Action.IMPOSE_FINE: N_("infliger une amende"),
    Action.RECORD_PAYMENT: N_("enregistrer un paiement"),
    Action.FILE_APPEAL: N_("enregistrer un recours"),
    Action.DECIDE_APPEAL: N_("statuer sur le recours"),
    Action.RELEASE_VEHICLE: N_("restituer le véhicule"),
}


@dataclass(frozen=True)
class Rule:
    from_statuses: frozenset[CaseStatus]
    roles: frozenset[Role]


_S = CaseStatus
_SUPERVISOR = frozenset({Role.SUPERVISOR})
_FIELD = frozenset({Role.OFFICER, Role.SUPERVISOR})
_LEGAL = frozenset({Role.LEGAL})
_AFTER_VALIDATION = frozenset({_S.VALIDATED, _S.NOTIFIED, _S.ESCALATED})
_SANCTIONED = frozenset({_S.NOTIFIED, _S.ESCALATED})
# After a notice, whatever came of it, except a case withdrawn or already cancelled.
_APPEALABLE = frozenset({_S.NOTIFIED, _S.ESCALATED, _S.RESOLVED, _S.CLOSED})

RULES: dict[Workflow, dict[Action, Rule]] = {
    Workflow.NOTICE: {
        Action.ADD_INSPECTION: Rule(OPEN, _FIELD),
        Action.VALIDATE: Rule(frozenset({_S.OPENED}), _SUPERVISOR),
        Action.DISMISS: Rule(frozenset({_S.OPENED, _S.VALIDATED}), _SUPERVISOR),
        Action.ASSIGN: Rule(OPEN, _SUPERVISOR),
        Action.SCHEDULE_FOLLOW_UP: Rule(_AFTER_VALIDATION, _SUPERVISOR),
        Action.RECORD_COMPLIANCE: Rule(_AFTER_VALIDATION, _SUPERVISOR),
        Action.ESCALATE: Rule(frozenset({_S.VALIDATED, _S.NOTIFIED}), _SUPERVISOR),
        Action.CLOSE: Rule(OPEN, _SUPERVISOR),
        Action.REOPEN: Rule(ENDED, _SUPERVISOR),
        Action.ISSUE_NOTICE: Rule(_AFTER_VALIDATION | {_S.RESOLVED}, _LEGAL),
        Action.RECORD_SERVICE: Rule(_AFTER_VALIDATION | ENDED - {_S.DISMISSED}, _LEGAL),
        Action.IMPOSE_FINE: Rule(_SANCTIONED, _LEGAL),
        Action.RECORD_PAYMENT: Rule(_SANCTIONED, _LEGAL),
        Action.FILE_APPEAL: Rule(_APPEALABLE, _LEGAL),
        Action.DECIDE_APPEAL: Rule(_APPEALABLE, _LEGAL),
    },
    # Parking: the ticket is the notice, issued on the spot; each ticket is its own case.
    Workflow.TICKET: {
        # A ticket issued in error is withdrawn by the supervisor, with the reason on record.
        Action.DISMISS: Rule(frozenset({_S.NOTIFIED}), _SUPERVISOR),
        Action.ASSIGN: Rule(OPEN, _SUPERVISOR),
        Action.ESCALATE: Rule(frozenset({_S.NOTIFIED}), _SUPERVISOR),
        Action.CLOSE: Rule(OPEN, _SUPERVISOR),
        Action.REOPEN: Rule(ENDED, _SUPERVISOR),
        Action.ISSUE_NOTICE: Rule(_SANCTIONED, _LEGAL),
        Action.RECORD_SERVICE: Rule(_SANCTIONED | {_S.CLOSED}, _LEGAL),
        Action.IMPOSE_FINE: Rule(frozenset({_S.ESCALATED}), _LEGAL),  # increased fine, unpaid
        Action.RECORD_PAYMENT: Rule(_SANCTIONED, _LEGAL),
        Action.FILE_APPEAL: Rule(_APPEALABLE, _LEGAL),
        Action.DECIDE_APPEAL: Rule(_APPEALABLE, _LEGAL),
        # Sabot lifted or vehicle out of the fourrière: once the ticket is paid (closed), the
        # sanction cancelled on appeal, or the ticket withdrawn.
        Action.RELEASE_VEHICLE: Rule(
            frozenset({_S.CLOSED, _S.CANCELLED, _S.DISMISSED}), _SUPERVISOR
        ),
    },
}


class NoticeKind(StrEnum):
    AVIS_CONTRAVENTION = "avis_contravention"
    MISE_EN_DEMEURE = "mise_en_demeure"
    PROCES_VERBAL = "proces_verbal"
    ORDRE_FERMETURE = "ordre_fermeture"
    ATTESTATION_REGULARISATION = "attestation_regularisation"


@dataclass(frozen=True)
class NoticeRule:
    """Which case may receive a notice of a kind, its numbering series, and what it does."""

    series: str
    workflows: frozenset[Workflow]
    statuses: frozenset[CaseStatus]
    notifies: bool  # a formal notice: the case becomes notified, with its deadline
    label: str


_N, _T = frozenset({Workflow.NOTICE}), frozenset({Workflow.TICKET})
NOTICE_RULES: dict[NoticeKind, NoticeRule] = {
    NoticeKind.AVIS_CONTRAVENTION: NoticeRule(
        "AC", _T, _SANCTIONED, False, N_("Avis de contravention")
    ),
    NoticeKind.MISE_EN_DEMEURE: NoticeRule(
        "MD", _N, _AFTER_VALIDATION, True, N_("Mise en demeure")
    ),
    NoticeKind.PROCES_VERBAL: NoticeRule(
        "PV", _N | _T, _AFTER_VALIDATION, False, N_("Procès-verbal de constatation")
    ),
    NoticeKind.ORDRE_FERMETURE: NoticeRule(
        "OF", _N, frozenset({_S.ESCALATED}), False, N_("Ordre de fermeture")
    ),
    NoticeKind.ATTESTATION_REGULARISATION: NoticeRule(
        "AR", _N, frozenset({_S.RESOLVED}), False, N_("Attestation de régularisation")
    ),
}


class ServiceMethod(StrEnum):
    """How a notice reached its recipient."""

    HAND = "hand"
    REGISTERED_MAIL = "registered_mail"
    POSTING = "posting"


SERVICE_METHOD_LABELS: dict[ServiceMethod, str] = {
    ServiceMethod.HAND: N_("Remise en main propre"),
    ServiceMethod.REGISTERED_MAIL: N_("Lettre recommandée avec accusé de réception"),
    ServiceMethod.POSTING: N_("Affichage sur les lieux"),
}


class AppealOutcome(StrEnum):
    UPHELD = "upheld"  # the sanction stands
    CANCELLED = "cancelled"  # the sanction is cancelled, and so is what is still owed


APPEAL_OUTCOME_LABELS: dict[AppealOutcome, str] = {
    AppealOutcome.UPHELD: N_("Recours rejeté : la sanction est maintenue"),
    AppealOutcome.CANCELLED: N_("Recours accueilli : la sanction est annulée"),
}


def rule_for(action: Action, workflow: Workflow) -> Rule | None:
    return RULES[workflow].get(action)


def legal_actions(status: CaseStatus, workflow: Workflow) -> list[Action]:
    """The actions the workflow allows from ``status``, whoever asks."""
    return [a for a, rule in RULES[workflow].items() if status in rule.from_statuses]
