"""What `check --shards` found in each community, kept on disk (issue 20: `check` at 10,000
records in 5 s; reading every community again, even from the reads cache, took 8 s).

A community's check (reading.parts.read_community: its problems, the light index of its ids, its
count of public records, the site's settings) depends on nothing but its own folder, the files at
the top of site_data/ (site.yaml, and strays), where the project is, the reader (Gongkai's code,
Python and the libraries installed: reading.kept.reader), and the as-of day. A digest of all
but the day names what was found: with them unchanged it comes out the same on every day of the
span kept beside it, and is not run again. Only two checks read the as-of day, and what they
find changes on days the records say (a date reached, a catalogue row falling due): the span is
the days on which it comes out the same (reading.checks.steady_days), so the first check of a new
day does not read every community again. Kept only for a community without errors (one being
fixed is read every time, and no record's refused text is kept).
A cache beside the reads shelves, like them never published; a folder that cannot be read or
written only costs the speed-up.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from generator.cachefiles import write_whole
from generator.reading.kept import reader, shelf_folder

Found = tuple[list[Any], list[Any], int, Any, Any]  # read_community's (problems, ids, public, config, steady)


def _folder(root: Path) -> Path:
    """$GONGKAI_CACHE/checked/<project>/ (or .cache/gongkai/checked/…), beside the reads shelves."""
    project = hashlib.sha256(os.fsencode(str(root.resolve()))).hexdigest()[:32]
    return shelf_folder(root).with_name("checked") / project


def _add(digest: Any, base: Path, path: Path) -> None:
    """A file or folder by its place, and a file by its bytes; a link by where it leads (a link
    out of the project is a problem of the community's). A file that cannot be read is marked as
    such (reading it is the check's business: a record it cannot read is reported there)."""
    digest.update(os.fsencode(path.relative_to(base).as_posix()) + b"\0")  # any name the disk holds
    if path.is_symlink():
        digest.update(b"link " + os.fsencode(str(path.resolve())) + b"\0")
    if path.is_file():
        try:
            with path.open("rb") as f:
                digest.update(hashlib.file_digest(f, "sha256").digest())
        except OSError:
            digest.update(b"unreadable\0")
    elif path.is_dir():
        digest.update(b"folder\0")


def digests(root: Path, parts: list[str]) -> dict[str, str]:
    """Each community's digest of everything its check reads but the as-of day, as said above."""
    data = root / "site_data"
    if not data.is_dir():
        return {}
    shared = hashlib.sha256(reader() + b"\0" + os.fsencode(str(root.resolve())) + b"\0")
    for path in sorted(p for p in data.iterdir() if not p.is_dir() or p.is_symlink()):
        _add(shared, data, path)
    found = {}
    for part in parts:
        digest = shared.copy()
        for top, folders, files in os.walk(data / part):  # links to folders are not walked: refused
            folders.sort()
            for name in [*folders, *sorted(files)]:
                _add(digest, data, Path(top) / name)
        found[part] = digest.hexdigest()
    return found


def _name(root: Path, part: str) -> Path:
    return _folder(root) / (hashlib.sha256(os.fsencode(part)).hexdigest()[:32] + ".pickle")


def kept(root: Path, part: str, digest: str, as_of: dt.date) -> Found | None:
    """What checking `part` as of `as_of` finds, kept from a check of the same inputs (this digest)
    on a day it comes out the same as on this one; or None."""
    try:
        with _name(root, part).open("rb") as f:
            if f.readline() != digest.encode() + b"\n":
                return None
            found = pickle.load(f)  # written by this program into its own cache (a private folder)
        first, last = found[4]
        return found if first <= as_of and (last is None or as_of <= last) else None
    except Exception:  # missing, cut short, or written by another version: check again
        return None


def keep(root: Path, part: str, digest: str, found: Found) -> None:
    """Keep what checking `part` found, unless it has errors."""
    if found[4] is None or any(p.severity == "error" for p in found[0]):
        return
    with contextlib.suppress(Exception):  # a folder that cannot be written, or a value pickle cannot take
        _folder(root).parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # records' text: not for others
        _folder(root).mkdir(mode=0o700, exist_ok=True)
        write_whole(_name(root, part), digest.encode() + b"\n" + pickle.dumps(found, pickle.HIGHEST_PROTOCOL))


def forget_others(root: Path, parts: list[str]) -> None:
    """Communities renamed or removed: what was kept of them goes (and partial files of a write
    cut short)."""
    current = {_name(root, part) for part in parts}
    with contextlib.suppress(OSError):
        for stale in _folder(root).glob("*"):
            if stale not in current:
                stale.unlink(missing_ok=True)
