"""Issuing legal notices: a number from its series (no gap, no duplicate), the PDF rendered and
stored in the object store the application was given (object first), then ``NoticeIssued``
with its key and SHA-256 (event second)."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, replace
from datetime import date, timedelta
from uuid import UUID

from police.access_codes import code_digest, new_access_code
from police.aggregates.case import Case
from police.aggregates.counter import ReferenceCounter
from police.aggregates.inspection import Inspection
from police.aggregates.user import User
from police.app.base import BaseApp
from police.app.cases import check_version
from police.commands import IssueNotice
from police.errors import N_, DomainError, InvalidInput, NotFound
from police.identifiers import derived_id
from police.notices.content import NoticeContent, notice_content
from police.notices.rendering import render_html, render_pdf
from police.roles import Actor
from police.workflow import NOTICE_RULES, NoticeKind

DEFAULT_COMPLIANCE_DAYS = 15
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IssuedNotice:
    number: str
    key: str
    sha256: str
    size: int
    access_code: str = ""  # printed on it for its recipient (/mon-avis); never stored


class NoticeCommands(BaseApp):
    def preview_notice(self, case_id: UUID, actor_id: UUID, kind: str, *, public_url: str) -> str:
        """The notice as HTML, as it would be issued now (the number is not yet taken)."""
        notice_kind, case, actor = self._notice_inputs(case_id, actor_id, kind)
        case.check_notice(actor, notice_kind)
        deadline = self._deadline(notice_kind, None)
        return render_html(
            self._content(notice_kind, "—", case, public_url, deadline=deadline, replaces=None)
        )

    def issue_ticket(self, case_id: UUID, officer_id: UUID) -> IssuedNotice | None:
        """The avis de contravention of a ticket issued in the street, rendered and stored as
        soon as the ticket is on record, by its officer; idempotent. When it cannot be issued
        now (the object store is down), the ticket stands and the legal desk's batch for the
        day issues the avis later: the officer's record is never lost for a PDF."""
        if self._get(Case, case_id, N_("Dossier introuvable.")).notices:
            return None
        command = IssueNotice(case_id=case_id, kind=NoticeKind.AVIS_CONTRAVENTION)
        try:
            return self.issue_notice(command, officer_id)
        except DomainError as refused:  # issued meanwhile by the batch, for one
            log.info("ticket avis not issued at recording: %s", refused)
        except Exception:  # the store (whatever its client raises): left to the batch
            log.exception("ticket avis not issued at recording; the day's batch will issue it")
        return None

    def issue_notice(
        self, command: IssueNotice, actor_id: UUID, *, public_url: str | None = None
    ) -> IssuedNotice:
        case_id, replaces = command.case_id, command.replaces
        public_url = public_url or self.public_url
        notice_kind, _, _ = self._notice_inputs(case_id, actor_id, command.kind)
        rule = NOTICE_RULES[notice_kind]
        today = self.today()
        deadline = self._deadline(notice_kind, command.deadline)
        store = self.objects

        def attempt() -> IssuedNotice:
            actor = self.actor(actor_id)
            case = self._get(Case, case_id, N_("Dossier introuvable."))
            check_version(case, command.expected_version)
            case.check_notice(actor, notice_kind, replaces)
            counters: list[ReferenceCounter] = []
            ticket = (case.ticket or {}).get("number")
            if notice_kind is NoticeKind.AVIS_CONTRAVENTION and ticket and not case.notices:
                number = str(ticket)  # the ticket handed over in the street: same number
            else:
                counter = self.numbering.counter(rule.series, today.year)
                counters.append(counter)
                number = counter.take(case.id)
            code = new_access_code()
            content = self._content(notice_kind, number, case, public_url, deadline, replaces)
            content = replace(content, access_code=code)
            pdf = render_pdf(content, store.read)
            stored = store.put("notices", io.BytesIO(pdf), "application/pdf")
            case.issue_notice(
                actor,
                notice_id=derived_id(case.id, f"notice:{number}"),
                kind=notice_kind,
                number=number,
                key=stored.key,
                sha256=stored.sha256,
                size=stored.size,
                issued_on=today,
                deadline=deadline,
                replaces=replaces,
            )
            case.issue_access_code(actor, number, code_digest(code))
            self.save(case, *counters)
            self.numbering.saved(counters)
            return IssuedNotice(number, stored.key, stored.sha256, stored.size, code)

        with self._case_locks.hold(case_id), self.numbering.series(today.year, rule.series):
            return self._retrying(attempt)

    def _deadline(self, kind: NoticeKind, deadline: date | None) -> date | None:
        """A formal notice's compliance deadline: the one given, else the default."""
        today = self.today()
        if NOTICE_RULES[kind].notifies and deadline is None:
            deadline = today + timedelta(days=DEFAULT_COMPLIANCE_DAYS)
        if deadline is not None and deadline <= today:
            raise InvalidInput(N_("Le délai doit être postérieur à aujourd'hui."), field="deadline")
        return deadline

    def _notice_inputs(
        self, case_id: UUID, actor_id: UUID, kind: str
    ) -> tuple[NoticeKind, Case, Actor]:
        try:
            notice_kind = NoticeKind(kind)
        except ValueError:
            raise NotFound(N_("Type d'avis inconnu.")) from None
        return (
            notice_kind,
            self._get(Case, case_id, N_("Dossier introuvable.")),
            self.actor(actor_id),
        )

    def _content(
        self,
        kind: NoticeKind,
        number: str,
        case: Case,
        public_url: str,
        deadline: date | None,
        replaces: str | None,
    ) -> NoticeContent:
        opening = self._find(Inspection, case.inspection_ids[0])
        assert opening is not None
        officer = self._find(User, opening.officer_id)
        doubts = [f.template.format(**f.params) for f in self.doubts(opening)]
        content = notice_content(
            kind=kind,
            number=number,
            issued_on=self.today(),
            deadline=deadline,
            replaces=replaces,
            case=case,
            opening=opening,
            officer_name=officer.full_name if officer else "",
            officer_badge=officer.badge if officer else "",
            territory=self.territory,
            public_url=public_url,
        )
        return replace(content, doubts=doubts)
