"""Upload cost: a 50 MB object through the application's store beside the bare minio client,
in one run, against a real S3 server (SeaweedFS, started here).

Prints, for the S3 store:
  - throughput (MB/s) of ``ObjectStore.put`` of an upload already on disk (the multipart
    parser spools it there): one pass to hash it, one to send it in 5 MiB parts; beside the
    bare ``Minio.put_object`` of the same file, as a ratio (target >= 0.8);
  - peak memory growth of the application's upload, in a fresh child process: resident memory
    sampled every 2 ms, and Python allocations by tracemalloc (target < 16 MB);
and, for context, the local store beside a bare file copy.

Run: .venv/bin/python -m bench.storage [--megabytes 50] [--rounds 3]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import statistics
import tempfile
import threading
import time
import tracemalloc
import uuid
from multiprocessing.queues import Queue
from pathlib import Path

from minio import Minio

from storage.local import LocalObjectStore
from storage.s3 import S3ObjectStore
from tests.seaweed import ACCESS_KEY, SECRET_KEY, SeaweedS3

MB = 1024 * 1024


def s3_store(endpoint: str, bucket: str) -> S3ObjectStore:
    return S3ObjectStore(
        endpoint=endpoint,
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        bucket=bucket,
        lock_mode="governance",
        retention_days=1,
        timeout_seconds=30,
    )


def app_put(store: S3ObjectStore | LocalObjectStore, source: Path) -> float:
    started = time.perf_counter()
    with source.open("rb") as data:
        store.put("evidence", data, "image/jpeg")
    return time.perf_counter() - started


def bare_put(client: Minio, bucket: str, source: Path) -> float:
    started = time.perf_counter()
    with source.open("rb") as data:
        client.put_object(bucket, f"bare/{uuid.uuid4()}", data, source.stat().st_size)
    return time.perf_counter() - started


def bare_copy(source: Path, target_dir: Path) -> float:
    started = time.perf_counter()
    target = target_dir / str(uuid.uuid4())
    with source.open("rb") as data, target.open("wb") as out:
        shutil.copyfileobj(data, out, MB)
        out.flush()
        os.fsync(out.fileno())
    return time.perf_counter() - started


def _memory_child(endpoint: str, bucket: str, source: str, queue: Queue[tuple[int, int]]) -> None:
    """Measures one upload in a fresh process, so the peak RSS is this upload's own."""
    store = s3_store(endpoint, bucket)
    store.ensure_bucket()
    store.put_bytes("warmup", b"x", "text/plain")  # connections and imports paid before
    before = _rss()
    peak = [before]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.002):
            peak[0] = max(peak[0], _rss())

    sampler = threading.Thread(target=sample)
    sampler.start()
    tracemalloc.start()
    app_put(store, Path(source))
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    done.set()
    sampler.join()
    queue.put((peak[0] - before, traced_peak))


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


def distinct_file(directory: Path, megabytes: int, round_no: int) -> Path:
    """Random bytes, different each round, so de-duplication never skips the upload."""
    path = directory / f"upload-{round_no}.bin"
    with path.open("wb") as out:
        for _ in range(megabytes):
            out.write(os.urandom(MB))
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-storage-") as tmp:
        work = Path(tmp)
        server = SeaweedS3(work / "weed").start()
        try:
            bucket = "bench"
            store = s3_store(server.endpoint, bucket)
            store.ensure_bucket()
            bare = Minio(server.endpoint, ACCESS_KEY, SECRET_KEY, secure=False)
            local = LocalObjectStore(work / "local")
            copies = work / "copies"
            copies.mkdir()
            app_times, bare_times, local_times, copy_times = [], [], [], []
            for round_no in range(args.rounds):  # interleaved, so disk noise hits both
                source = distinct_file(work, args.megabytes, round_no)
                bare_times.append(bare_put(bare, bucket, source))
                app_times.append(app_put(store, source))
                copy_times.append(bare_copy(source, copies))
                local_times.append(app_put(local, source))
                source.unlink()

            source = distinct_file(work, args.megabytes, 99)
            spawn = multiprocessing.get_context("spawn")
            queue = spawn.Queue()
            child = spawn.Process(
                target=_memory_child,
                args=(server.endpoint, bucket, str(source), queue),
            )
            child.start()
            rss_growth, traced_peak = queue.get(timeout=120)
            child.join()
        finally:
            server.stop()

    def rate(times: list[float]) -> float:
        return args.megabytes / statistics.median(times)

    app_rate, bare_rate = rate(app_times), rate(bare_times)
    print(f"{args.megabytes} MB upload, median of {args.rounds} rounds")
    print(f"  S3 (SeaweedFS)  app put      {app_rate:8.1f} MB/s")
    print(f"                  bare minio   {bare_rate:8.1f} MB/s")
    ok = "ok" if app_rate / bare_rate >= 0.8 else "MISS"
    print(f"                  ratio        {app_rate / bare_rate:8.2f}   (target >= 0.8: {ok})")
    print(f"  local folder    app put      {rate(local_times):8.1f} MB/s")
    print(f"                  bare copy    {rate(copy_times):8.1f} MB/s")
    print(f"                  ratio        {rate(local_times) / rate(copy_times):8.2f}")
    ok = "ok" if max(rss_growth, traced_peak) < 16 * MB else "MISS"
    print(
        f"  peak memory growth of one S3 upload: RSS {rss_growth / MB:.1f} MB, "
        f"tracemalloc {traced_peak / MB:.1f} MB   (target < 16 MB: {ok})"
    )


if __name__ == "__main__":
    main()
