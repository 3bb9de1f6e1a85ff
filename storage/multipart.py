"""A multipart upload to S3 with a bounded number of parts in memory.

``Minio.put_object`` reads every part into memory as fast as the file can be read when it uploads
in parallel (its thread pool's task queue is unbounded), so one 50 MB photo could hold 50 MB; and
uploading one part at a time halves the throughput. This sends ``in_flight`` parts at once and
reads the next part only when one is sent: memory stays at ``in_flight`` parts. It uses the
client's own multipart calls (``_create_multipart_upload``, ``_upload_part``,
``_complete_multipart_upload``, ``_abort_multipart_upload``; minio is pinned in pyproject.toml).
The object becomes visible only when the upload completes; a failed upload is aborted.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from typing import BinaryIO

from minio import Minio
from minio.datatypes import Part
from minio.helpers import genheaders
from minio.retention import Retention

PART_SIZE = 5 * 1024 * 1024  # the S3 minimum for all parts but the last
IN_FLIGHT = 2


def upload(
    client: Minio,
    bucket: str,
    key: str,
    source: BinaryIO,
    size: int,
    *,
    content_type: str,
    metadata: dict[str, str],
    retention: Retention | None,
    part_size: int = PART_SIZE,
    in_flight: int = IN_FLIGHT,
) -> None:
    if size <= part_size:
        client.put_object(
            bucket,
            key,
            source,
            size,
            content_type=content_type,
            metadata=metadata,  # type: ignore[arg-type]  # minio wants its own dict alias
            retention=retention,
        )
        return
    # minio's private helper wants its own dict alias for the metadata
    headers = genheaders(metadata, None, None, retention, False)  # type: ignore[arg-type]
    headers["Content-Type"] = content_type
    upload_id = client._create_multipart_upload(bucket, key, headers)
    slots = threading.BoundedSemaphore(in_flight)

    def send(number: int, data: bytes) -> Part:
        try:
            return Part(number, client._upload_part(bucket, key, data, None, upload_id, number))
        finally:
            slots.release()

    futures: list[Future[Part]] = []
    try:
        with ThreadPoolExecutor(in_flight, thread_name_prefix="s3-part") as pool:
            number = sent = 0
            while True:
                slots.acquire()  # wait for a free slot before reading the next part
                if any(f.done() and f.exception() for f in futures):
                    slots.release()
                    break
                data = source.read(part_size)
                if not data:
                    slots.release()
                    break
                number += 1
                sent += len(data)
                futures.append(pool.submit(send, number, data))
                del data
        parts = [f.result() for f in futures]  # raises the first failure
        if sent != size:
            raise OSError(f"{key}: {sent} bytes read, {size} announced")
        client._complete_multipart_upload(bucket, key, upload_id, parts)
    except BaseException:
        with suppress(Exception):
            client._abort_multipart_upload(bucket, key, upload_id)
        raise
