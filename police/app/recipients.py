"""The recipient of a notice, without an account: their case opened with the notice's number and
the private code printed on it, a contestation filed (which legal staff decide as any appeal),
compliance declared with the follow-up visit asked for (which the supervisor schedules); and the
legal staff revoking or replacing a code."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from police.access_codes import code_digest, new_access_code
from police.aggregates.case import Case
from police.app.base import BaseApp
from police.errors import N_, InvalidInput, NotAllowed
from police.evidence import Photo, check_evidence, store_documents, store_photos
from police.identifiers import clean_text
from police.private_links import matches

MAX_DOCUMENTS = 4
BAD_CODE = N_(
    "Numéro d'avis ou code d'accès incorrect, ou code révoqué. Vérifiez l'avis reçu, ou "
    "adressez-vous au service."
)


class RecipientCommands(BaseApp):
    def recipient_case(self, case_id: UUID | None, notice_number: str, digest: str) -> Case | None:
        """The case (``case_id``: the one the read side finds for the notice's number) that
        the code whose digest is ``digest`` opens, or None: the same answer for an unknown
        number, a wrong code and a revoked one, compared in constant time."""
        case = self._find(Case, case_id) if case_id else None
        if case is None:
            matches(digest, ["0" * 64])  # as long as a comparison, so timing tells nothing
            return None
        return case if case.opens_with(notice_number, digest) else None

    def file_contestation(
        self,
        case_id: UUID,
        notice_number: str,
        digest: str,
        *,
        grounds: str,
        documents: Sequence[Photo] = (),
    ) -> None:
        """The recipient's contestation: the appeal the legal staff decide."""
        case = self._opened(case_id, notice_number, digest)
        case.check_contestable(notice_number)
        text = clean_text(
            grounds, field="grounds", label=N_("Motifs"), required=True, max_length=4000
        )
        self._check_count(documents)
        stored = store_documents(self.photos, documents)

        def attempt() -> None:
            found = self._opened(case_id, notice_number, digest)
            found.file_contestation(
                notice_number,
                grounds=text,
                documents=stored,
                today=self.today(),
            )
            self.save(found)

        self._retrying(attempt)

    def declare_compliance(
        self,
        case_id: UUID,
        notice_number: str,
        digest: str,
        *,
        statement: str,
        photos: Sequence[Photo] = (),
    ) -> None:
        """The recipient says they complied and asks for the follow-up visit."""
        case = self._opened(case_id, notice_number, digest)
        case.check_declarable()
        text = clean_text(
            statement, field="statement", label=N_("Ce que vous avez fait"), required=True
        )
        self._check_count(photos)
        stored = [check_evidence(e) for e in store_photos(self.photos, photos)]

        def attempt() -> None:
            found = self._opened(case_id, notice_number, digest)
            found.declare_compliance(
                notice_number, statement=text, photos=stored, today=self.today()
            )
            self.save(found)

        self._retrying(attempt)

    def revoke_access_code(
        self, actor_id: UUID, case_id: UUID, notice_number: str, *, reason: str, replace: bool
    ) -> str | None:
        """Revokes the notice's code; with ``replace``, returns the new one, to give the
        recipient in person (it is printed nowhere)."""
        code = new_access_code() if replace else None

        def attempt() -> None:
            actor = self.actor(actor_id)
            case = self._get(Case, case_id, N_("Dossier introuvable."))
            case.revoke_access_code(
                actor, notice_number, reason=reason, digest=code_digest(code) if code else None
            )
            self.save(case)

        self._retrying(attempt)
        return code

    # --- helpers ---------------------------------------------------------------------------

    def _opened(self, case_id: UUID, notice_number: str, digest: str) -> Case:
        case = self.recipient_case(case_id, notice_number, digest)
        if case is None:
            raise NotAllowed(BAD_CODE)
        return case

    def _check_count(self, files: Sequence[Photo]) -> None:
        if len(files) > MAX_DOCUMENTS:
            raise InvalidInput(
                N_("Pas plus de {count} fichiers à la fois."),
                field="documents",
                count=MAX_DOCUMENTS,
            )
