"""One build at a time per project folder: a second `build` or `boards` waits for the first.

Two builds swapping folders and writing the PDF cache at once report failures for sites they did
in fact replace. The lock is the operating system's (`flock`) on the folder that holds the output
(for `site/` and `print/`, the project folder): it needs no lock file, and it is released when the
process ends in any way, SIGKILL included, so a killed build never blocks the next one.
Where `flock` does not exist (Windows) builds are not serialised.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextmanager
def output_lock(output: Path, on_wait: Callable[[Path], None] | None = None) -> Iterator[None]:
    """Hold the lock on `output`'s folder; when another process holds it, call `on_wait` once
    (to say so) and wait until it is released."""
    folder = output.resolve().parent
    folder.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        if not _try_lock(fd):
            if on_wait is not None:
                on_wait(folder)
            fcntl.flock(fd, fcntl.LOCK_EX)  # Ctrl-C still interrupts the wait
        yield
    finally:
        os.close(fd)  # closing releases the lock
