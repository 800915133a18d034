"""The text of every published file, read once: kept by the SHA-256 of its bytes.

Reading a PDF's text back is most of the gate's cost (issue 14: 10,000 A4 PDFs took 784 s of a
1,053 s gate), then reading pages' HTML. The text (as normalised for the number search) is a
function of the file's bytes, of its kind and of the reader (this module, extract.py,
numbers.py, Python, pypdfium2 and Pillow), so it is kept under a key made of all of them, beside
the print cache: an unchanged file is not read again, a changed one (or a new reader) always is.
Only the text of a file the gate passed is kept (scan.py calls `keep`): the text of a refused
file, with the number or name it holds, never reaches the cache. PDFs and images not yet kept
are read in worker processes; the rest reads faster here than a worker starts.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path, PurePosixPath
from typing import Any

from generator.cachefiles import kept_in
from generator.gate import extract
from generator.gate.extract import IMAGES, SKIPPED, text_of
from generator.paper.workers import worker_pool
from generator.reading import numbers
from generator.reading.numbers import normalise

SLOW = frozenset({".pdf"}) | IMAGES  # read in worker processes when there are many
UNREADABLE = None  # a file no library could read: the gate refuses it
PER_WORKER = 8  # fewer files than this per worker are read here: a worker takes ~1 s to start
MAX_WORKERS = 4  # pdfium needs little memory, but a sharded build runs a gate in every part

Job = tuple[str, str]  # (dest, path)


def cache_folder(root: Path) -> Path:
    """Beside the print cache: $GONGKAI_CACHE/gate, or .cache/gongkai/gate in the project."""
    return kept_in(root, "gate")


def cores() -> int:
    """The cores this process may use (a container's limit, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@functools.cache
def _reader() -> bytes:
    """What the text depends on besides the bytes: the reader's code, Python and the libraries."""
    import PIL
    from pypdfium2 import version

    made = f"{sys.version} {version.PYPDFIUM_INFO} {version.PDFIUM_INFO} {PIL.__version__}".encode()
    code = b"".join(Path(m.__file__ or "").read_bytes() for m in (sys.modules[__name__], extract, numbers))
    return hashlib.sha256(code + made).digest()


def key(dest: str, data: bytes) -> str:
    """The same bytes read as another kind of file give another text (HTML's tags are dropped,
    a CSV's are not): the kind (every suffix of the name) is part of the key."""
    kind = "".join(PurePosixPath(dest).suffixes).lower()
    return hashlib.sha256(_reader() + kind.encode() + b"\0" + data).hexdigest()


def _load(cache: Path, name: str) -> str | None:
    """The kept text, or None: not kept, or an entry that is not whole (a crash while writing)."""
    try:
        entry = json.loads((cache / f"{name}.json").read_text(encoding="utf-8"))
        return entry["text"] if isinstance(entry, dict) and isinstance(entry.get("text"), str) else None
    except (OSError, ValueError):
        return None


def keep(cache: Path, name: str, text: str) -> None:
    """Written aside and renamed: builds running at once (shards) never read half an entry."""
    tmp = None
    try:
        cache.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache, prefix=".text-")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"text": text}, out, ensure_ascii=False)
        os.replace(tmp, cache / f"{name}.json")
    except OSError:  # a read-only or full cache: the text was read all the same
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _read(job: Job, data: bytes | None = None) -> tuple[str | None, str]:
    """One file's text, normalised (UNREADABLE when no library can read it), and its key."""
    dest, path = job
    data = Path(path).read_bytes() if data is None else data
    try:
        text = normalise(text_of(dest, data) or "")  # None: a theme file inside .gz, nothing to read
    except Exception:  # a damaged or hostile file: the gate reports it
        return UNREADABLE, key(dest, data)
    return text, key(dest, data)


def _read_batch(jobs: list[Job]) -> list[tuple[str | None, str]]:
    return [_read(job) for job in jobs]


def _one_by_one(jobs: list[Job]) -> Iterator[tuple[str, str | None, str | None]]:
    """After a worker died: each file again in a process of its own, so that only the file that
    kills its reader is refused (a new process after each death)."""
    pool = worker_pool(1, preload=("generator.gate.texts",))
    try:
        for job in jobs:
            try:
                text, name = pool.submit(_read, job).result()
                yield job[0], text, name
            except BrokenProcessPool:
                yield job[0], UNREADABLE, None
                pool.shutdown(cancel_futures=True)
                pool = worker_pool(1, preload=("generator.gate.texts",))
    finally:
        pool.shutdown(cancel_futures=True)


def _start(slow: list[Job]) -> tuple[ProcessPoolExecutor | None, dict[Future[Any], list[Job]]]:
    """PDFs and images sent to worker processes (none when too few to pay for starting them)."""
    workers = min(cores(), MAX_WORKERS, len(slow) // PER_WORKER)
    if workers <= 1:
        return None, {}
    pool = worker_pool(workers, preload=("generator.gate.texts",))
    batches = [batch for batch in (slow[i :: workers * 4] for i in range(workers * 4)) if batch]
    return pool, {pool.submit(_read_batch, batch): batch for batch in batches}


def _collect(
    slow: list[Job], pool: ProcessPoolExecutor | None, running: dict[Future[Any], list[Job]]
) -> Iterator[tuple[str, str | None, str | None]]:
    """What the workers read, batch by batch as they finish (one batch held at a time)."""
    if pool is None:
        for job in slow:
            yield (job[0], *_read(job))
        return
    crashed: list[Job] = []
    try:
        for future in as_completed(list(running)):
            batch = running.pop(future)
            try:
                read = future.result()
            except BrokenProcessPool:  # a file killed its reader (pdfium): find which one below
                crashed += batch
                continue
            yield from ((job[0], text, name) for job, (text, name) in zip(batch, read, strict=True))
    finally:
        pool.shutdown(cancel_futures=True)
    yield from _one_by_one(sorted(crashed))


def read_texts(files: Iterable[tuple[str, Path]], cache: Path | None) -> Iterator[tuple[str, str | None, str | None]]:
    """(dest, normalised text, key to keep it under) of every file among `files` that has text
    to read (not scripts, styles or fonts); text UNREADABLE for one that cannot be read; key
    None when the text came from the cache (or there is none). In no set order: kept texts
    first, then PDFs and images not kept, read in worker processes while the rest is read here.
    Texts are handed on as they come, never gathered: only the workers' finished batches wait
    (at 10,000 A4 PDFs, some tens of MB of text)."""
    slow, later = [], []
    for dest, path in files:
        suffix = PurePosixPath(dest).suffix.lower()
        if suffix in SKIPPED:
            continue
        if suffix not in SLOW:
            later.append((dest, path))
            continue
        kept = _load(cache, key(dest, path.read_bytes())) if cache is not None else None
        if kept is not None:
            yield dest, kept, None
        else:
            slow.append((dest, str(path)))
    pool, running = _start(slow)  # the workers read while this process reads the rest
    try:
        for dest, path in later:
            data = path.read_bytes()
            kept = _load(cache, key(dest, data)) if cache is not None else None
            yield (dest, kept, None) if kept is not None else (dest, *_read((dest, str(path)), data))
    except BaseException:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        raise
    yield from _collect(slow, pool, running)
