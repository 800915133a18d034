"""What reading each record file gave, kept on disk between runs (issue 20: `check` at 10,000
records took 16 s, most of it parsing YAML and typing records that had not changed).

`read_file` depends on the file's path and bytes and on the reader alone (Gongkai's code, the
libraries installed, Python), so its result is kept per community folder in one pickle, a
"shelf": {path: (SHA-256 of the bytes, Loaded)}, headed by the reader's digest. A file whose
bytes are unchanged is not parsed, scanned or typed again; the checks across files always run.
A shelf written by another reader, or one that cannot be read, counts as empty. The shelves are
a cache like the print cache, beside it: written aside and renamed, never published; a folder
that cannot be written only costs the speed-up.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.cachefiles import kept_in

CODE = Path(__file__).resolve().parent.parent  # every module of Gongkai: any change reads afresh

Entry = tuple[bytes, Any]  # (SHA-256 of the file's bytes, reader.Loaded)


def shelf_folder(root: Path) -> Path:
    """Beside the print and gate caches: $GONGKAI_CACHE/reads, or .cache/gongkai/reads."""
    return kept_in(root, "reads")


@functools.cache
def reader() -> bytes:
    """The digest of what a reading depends on besides the file: Gongkai's code, Python and the
    libraries installed (each wheel's metadata folder is named by its name and version; an
    .egg-info, as Gongkai's own in a source checkout, is left out: it depends on how Gongkai
    was started, and Gongkai's code is in the digest)."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(CODE.rglob("*.py")):
        digest.update(path.relative_to(CODE).as_posix().encode() + b"\0" + path.read_bytes())
    found = {name for entry in sys.path if os.path.isdir(entry) for name in os.listdir(entry)}
    digest.update(" ".join(sorted(n for n in found if n.endswith(".dist-info"))).encode())
    return digest.hexdigest().encode()


class Shelves:
    """read_site's reader of files (the same `load` as the preview's in-memory ReadCache): each
    community folder's shelf is read at its first file and written back by `save` if anything
    in it changed. Only files without problems of their own are kept: a file being fixed is
    read every time, and the text of one refused (an ID number, say) is never kept."""

    def __init__(self, root: Path, base: Path, read: Callable[..., Any]) -> None:
        self.read = read  # reader.read_file (this module is below reader.py)
        project = f"{root.resolve()}\0{base.relative_to(root).as_posix()}"
        self.folder = shelf_folder(root) / hashlib.sha256(os.fsencode(project)).hexdigest()[:32]
        self.old: dict[str, dict[str, Entry]] = {}
        self.new: dict[str, dict[str, Entry]] = {}

    def _name(self, group: str) -> Path:
        return self.folder / (hashlib.sha256(group.encode()).hexdigest()[:32] + ".pickle")

    def _shelf(self, group: str) -> dict[str, Entry]:
        if group not in self.old:
            self.old[group], self.new[group] = _read(self._name(group)), {}
        return self.old[group]

    def load(self, path: Path, root: Path, base: Path) -> Any:
        parts = path.relative_to(base).parts
        group = parts[0] if len(parts) > 1 else ""  # site.yaml and strays at the top: a shelf of their own
        kept = self._shelf(group)
        data = path.read_bytes()
        digest = hashlib.sha256(data).digest()
        rel = path.relative_to(root).as_posix()
        known = kept.get(rel)
        if type(known) is tuple and len(known) == 2 and known[0] == digest:
            loaded = known[1]
        else:
            loaded = self.read(path, root, base, data)
        if not loaded.problems:
            self.new[group][rel] = (digest, loaded)
        return loaded

    def save(self, whole: bool) -> None:
        """Write back every shelf that changed. `whole`: every community was read, so any other
        file in this project's folder (a community renamed or removed, a write cut short) goes.
        Best effort: a cache that cannot be written is only slower next time."""
        for group, new in self.new.items():
            old = self.old[group]
            if new.keys() != old.keys() or any(new[k][0] != old[k][0] for k in new):
                _write(self._name(group), new)
        if whole:
            current = {self._name(group) for group, new in self.new.items() if new}
            for stale in self.folder.glob("*") if self.folder.is_dir() else ():
                if stale not in current:
                    stale.unlink(missing_ok=True)


def _read(path: Path) -> dict[str, Entry]:
    try:
        with path.open("rb") as f:
            if f.readline() != reader() + b"\n":
                return {}  # another version of Gongkai or of a library: read everything afresh
            kept = pickle.load(f)  # written by this program into its own cache (a private folder)
        return kept if isinstance(kept, dict) else {}
    except Exception:  # missing, cut short by a crash, or unreadable: read afresh
        return {}


def _write(path: Path, shelf: dict[str, Any]) -> None:
    try:
        path.parent.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # the records' text: not for others
        path.parent.mkdir(mode=0o700, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".", suffix=".part", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(reader() + b"\n")
                pickle.dump(shelf, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except Exception:  # a folder that cannot be written, or a value pickle cannot take
        pass
