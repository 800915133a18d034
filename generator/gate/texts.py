"""The text of every published file, read once: kept by the SHA-256 of its bytes.

Reading a PDF's text back is most of the gate's cost (issue 14: 10,000 A4 PDFs took 784 s of a
1,053 s gate), then reading pages' HTML. The text (as normalised for the number search) is a
function of the file's bytes and of the reader (extract.py, numbers.py, the pypdfium2 and Pillow
versions), so it is kept under a key made of both, beside the print cache: an unchanged file is
not read again, a changed one (or a new reader) always is. PDFs and images not yet kept are read
in worker processes, every core at once; the rest reads faster here than a worker starts.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path, PurePosixPath
from typing import Any

from generator.gate import extract
from generator.gate.extract import IMAGES, SKIPPED, text_of
from generator.paper.workers import worker_pool
from generator.reading import numbers
from generator.reading.numbers import normalise

SLOW = frozenset({".pdf"}) | IMAGES  # read in worker processes when there are many
UNREADABLE = None  # a file no library could read: the gate refuses it
PER_WORKER = 8  # fewer files than this per worker are read here: a worker takes ~1 s to start


def cache_folder(root: Path) -> Path:
    """Beside the print cache: $GONGKAI_CACHE/gate, or .cache/gongkai/gate in the project."""
    base = os.environ.get("GONGKAI_CACHE")
    return Path(base) / "gate" if base else root / ".cache" / "gongkai" / "gate"


@functools.cache
def _reader() -> bytes:
    """What the text depends on besides the bytes: the reader's code and libraries."""
    import PIL
    from pypdfium2 import version

    made = f"{version.PYPDFIUM_INFO} {version.PDFIUM_INFO} {PIL.__version__}".encode()
    code = Path(extract.__file__).read_bytes() + Path(numbers.__file__).read_bytes()
    return hashlib.sha256(code + made).digest()


def key(dest: str, data: bytes) -> str:
    """The same bytes read as another kind of file give another text (HTML's tags are dropped,
    a CSV's are not): the kind is part of the key, with the kind inside a .gz."""
    suffixes = [s.lower() for s in PurePosixPath(dest).suffixes[-2:]]
    kind = "".join(suffixes if suffixes[-1:] == [".gz"] else suffixes[-1:])
    return hashlib.sha256(_reader() + kind.encode() + b"\0" + data).hexdigest()


def _load(cache: Path, name: str) -> str | None:
    try:
        return (cache / f"{name}.txt").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):  # not kept yet (or damaged): read the file again
        return None


def _store(cache: Path, name: str, text: str) -> None:
    """Written aside and renamed: builds running at once (shards) never read half a file."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache, prefix=".text-")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, cache / f"{name}.txt")
    except OSError:  # a read-only or full cache: the text was read all the same
        pass


def _read(job: tuple[str, str, str | None], data: bytes | None = None) -> str | None:
    """One file's text, normalised (UNREADABLE when no library can read it), kept when it could be."""
    dest, path, cache = job
    data = Path(path).read_bytes() if data is None else data
    try:
        text = normalise(text_of(dest, data) or "")  # None: a theme file inside .gz, nothing to read
    except Exception:  # a damaged or hostile file: the gate reports it, it is never kept
        return UNREADABLE
    if cache is not None:
        _store(Path(cache), key(dest, data), text)
    return text


def _read_batch(jobs: list[tuple[str, str, str | None]]) -> list[str | None]:
    return [_read(job) for job in jobs]


def _start(slow: list[tuple[str, str, str | None]]) -> tuple[ProcessPoolExecutor | None, dict[Future[Any], list[Any]]]:
    """The PDFs and images not kept yet, sent to worker processes (none: too few to pay a start)."""
    workers = min(os.cpu_count() or 1, len(slow) // PER_WORKER)
    if workers <= 1:
        return None, {}
    pool = worker_pool(workers)
    batches = [batch for batch in (slow[i :: workers * 4] for i in range(workers * 4)) if batch]
    return pool, {pool.submit(_read_batch, batch): batch for batch in batches}


def read_texts(files: Iterable[tuple[str, Path]], cache: Path | None) -> Iterator[tuple[str, str | None]]:
    """(dest, normalised text) of every file among `files` that has text to read (not scripts,
    styles or fonts; UNREADABLE for one that cannot be read), in no set order: the kept text
    where the same bytes were read before; PDFs and images not kept read in worker processes
    while the rest is read here. One text at a time is held here, not the lot."""
    files = [(d, p) for d, p in files if PurePosixPath(d).suffix.lower() not in SKIPPED]
    folder = str(cache) if cache is not None else None
    slow, later = [], []
    for dest, path in files:
        if PurePosixPath(dest).suffix.lower() not in SLOW:
            later.append((dest, path))
            continue
        kept = _load(cache, key(dest, path.read_bytes())) if cache is not None else None
        if kept is not None:
            yield dest, kept
        else:
            slow.append((dest, str(path), folder))
    pool, running = _start(slow)
    try:
        for dest, path in later:
            data = path.read_bytes()
            kept = _load(cache, key(dest, data)) if cache is not None else None
            yield dest, kept if kept is not None else _read((dest, str(path), folder), data)
        if pool is None:
            yield from ((job[0], _read(job)) for job in slow)
            return
        for future in as_completed(running):
            batch = running[future]
            try:
                read = future.result()
            except BrokenProcessPool:  # a file crashed its reader (pdfium): the batch cannot be vouched for
                read = [UNREADABLE] * len(batch)
            yield from zip((job[0] for job in batch), read, strict=True)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
