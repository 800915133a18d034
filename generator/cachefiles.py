"""Files kept in a cache folder by content (PDFs, charts, QR codes, share images): written whole or
not at all, since builds may run side by side on one cache; a cache that cannot be read or written
(read-only folder, full disk) costs only speed, never the build."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path


def write_whole(path: Path, data: bytes) -> None:
    """Write `path` through a new file of its own beside it, renamed over it (OSError if it cannot;
    the partial file is removed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")  # hosts sharing a cache
    try:
        partial.write_bytes(data)  # the umask's mode, as any file the build writes
        partial.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise


def kept_text(path: Path, make: Callable[[], str]) -> str:
    """The text kept at `path`, else `make()`'s, kept there for the next build."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    text = make()
    with contextlib.suppress(OSError):
        write_whole(path, text.encode("utf-8"))
    return text
