"""Evidence photos posted with an inspection: stored (object first), returned as the domain's
evidence references (event second)."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import UploadFile

from police.errors import N_, InvalidInput
from police.submission import Evidence


class EvidencePhotos:
    async def store_all(self, uploads: Sequence[UploadFile]) -> tuple[Evidence, ...]:
        if uploads:
            raise InvalidInput(N_("Le stockage des photos n'est pas configuré."), field="photos")
        return ()
