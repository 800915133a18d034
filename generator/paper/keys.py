"""A print job's cache key: a content hash of everything its PDF depends on (paper.pdf's cache is
named by it). The files its HTML loads (the bundled print font, an ICC profile) count by their
bytes, not their place."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import urllib.parse
import weakref
from dataclasses import asdict
from typing import Any

from generator.paper.printing import PrintJob

CACHE_VERSION = "5"  # 5: new board layout and A4 typesetting; 4: PDFs made before the URL fetcher refused files


@functools.lru_cache(maxsize=64)
def _file_digest(path: str, _version: tuple[int, ...]) -> str:
    """A local file's bytes, digested once per version of it (the print font is 7 MB): a version
    is the file's inode, size, modification and change times (a copy with `cp -p` keeps the
    first three, not the change time, which nothing can set)."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _version(uri: str) -> tuple[str, tuple[int, ...] | None]:
    """A job's file: URL's local path, and the version of the file there (None: gone)."""
    path = os.fsdecode(urllib.parse.unquote_to_bytes(urllib.parse.urlsplit(uri).path))  # any name the disk holds
    try:
        stat = os.stat(path)
    except OSError:
        return path, None
    return path, (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def _by_content(uri: str, version: tuple[str, tuple[int, ...] | None]) -> str:
    """What a job's file: URL (the bundled print font, an ICC profile) stands for in its key: the
    file's bytes, not where the project lies."""
    path, stat = version
    if stat is None:  # gone: rendering it reports that
        return uri
    try:
        return "sha256:" + _file_digest(path, stat)
    except OSError:
        return uri


# The live preview asks for the keys of the same jobs (kept in its memo) on every edit: a job's
# key is kept while the job lives, for the versions of its files it was made with.
_KEYS: dict[int, tuple[weakref.ref[PrintJob], tuple[Any, ...], str]] = {}


def job_key(job: PrintJob) -> str:
    """Content hash of everything a PDF depends on. The files its HTML loads count by their bytes,
    not their place: a project moved or checked out elsewhere (another test's folder, a CI
    runner's, a cluster worker's) finds its PDFs in the cache, and a font replaced in place
    does not."""
    import weasyprint

    versions, at = tuple(_version(uri) for uri in job.files), id(job)
    kept = _KEYS.get(at)
    if kept is not None and kept[0]() is job and kept[1] == versions:
        return kept[2]
    fields = asdict(job)
    for uri, version in zip(job.files, versions, strict=True):
        fields["html"] = fields["html"].replace(uri, _by_content(uri, version))
    fields["files"] = [_by_content(uri, version) for uri, version in zip(job.files, versions, strict=True)]
    blob = json.dumps([CACHE_VERSION, weasyprint.__version__, fields], sort_keys=True, ensure_ascii=False)
    key = hashlib.sha256(blob.encode("utf-8")).hexdigest()
    _KEYS[at] = (weakref.ref(job, lambda _: _KEYS.pop(at, None)), versions, key)
    return key
