"""The hash an object is named and recorded by: SHA-256 and size of its bytes, read in chunks."""

from __future__ import annotations

import hashlib
import io

from storage.base import digest


def test_the_digest_is_the_sha256_and_size_of_the_bytes_from_where_the_file_stands() -> None:
    source = io.BytesIO(b"en-tete|" + b"photo" * 300_000)
    source.seek(8)
    assert digest(source) == (hashlib.sha256(b"photo" * 300_000).hexdigest(), 1_500_000)
    assert source.tell() == 8  # rewound, to be read again for the upload
