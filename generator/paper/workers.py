"""The PDF worker pool: processes that never inherit the parent's threads and die with it.

`fork` (Linux's default before Python 3.14) copies a process that may already run threads (the
live preview's server, mkdocs' watcher), which can deadlock a worker; Python 3.12+ warns about it.
Workers are started by a fork server instead (spawn where there is none), with WeasyPrint loaded
once in the server. A worker of a killed build (SIGKILL leaves no chance to clean up) would keep
rendering with ~300 MB for minutes: each worker asks Linux to kill it when its parent dies, and
on every system watches its parent and exits once it is gone.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.util
import os
import signal
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
WATCH_SECONDS = 0.5
PARENT = "GONGKAI_POOL_PARENT"  # the pid a pool process expects as its parent, passed down by env


def die_with_parent() -> int:
    """Ask Linux to kill this process when its parent ends, and end now if it already has (it
    may have died before the request was made). Returns the parent's pid."""
    expected = int(os.environ.get(PARENT) or os.getppid())
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):  # no prctl: the watch below still works
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != expected:
        os._exit(1)
    os.environ[PARENT] = str(os.getpid())  # what this process forks expects it as parent
    return expected


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)  # orphaned: nobody will read what this worker makes


def start_worker(scratch: str | None = None) -> None:
    """Run in each worker as it starts. `scratch`: its temporary folder (the pool's own)."""
    parent = die_with_parent()
    if scratch is not None:
        tempfile.tempdir = scratch
    threading.Thread(target=_watch, args=(parent,), name="gongkai-parent-watch", daemon=True).start()


PDF_MODULES = ("generator.paper.warm", "generator.paper.pdf")


SUN_PATH_MAX = 108  # bytes in an AF_UNIX socket's path, with its NUL (Linux; 104 on the BSDs)
RANDOM = 8  # characters tempfile adds to a name
SOCKET_NAMES = len("/pymp-") + RANDOM + len("/listener-") + RANDOM  # the fork server's, under TMPDIR


def _short_socket_folder() -> None:
    """The fork server listens on a socket in multiprocessing's folder, $TMPDIR/pymp-<8 letters>/. Under
    a TMPDIR longer than about 70 characters its path does not fit an AF_UNIX address, and no pool
    starts ("AF_UNIX path too long"). As Python 3.14 does (gh-132124), that folder then goes in
    the system's /tmp (or /var/tmp) instead; multiprocessing removes it at exit as always."""
    base = tempfile.gettempdir()
    if len(os.fsencode(base)) + SOCKET_NAMES < SUN_PATH_MAX - 4:
        return
    for short in ("/tmp", "/var/tmp", "/usr/tmp"):
        if os.path.isdir(short) and os.access(short, os.W_OK | os.X_OK):
            before, tempfile.tempdir = tempfile.tempdir, short
            try:
                multiprocessing.util.get_temp_dir()  # made once per process, then kept: made there
            finally:
                tempfile.tempdir = before
            return


def _context(preload: tuple[str, ...]) -> multiprocessing.context.BaseContext:
    _short_socket_folder()
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        # Loaded once in the server, not per worker. The server starts with the process's first
        # pool: a later pool's workers import what the server lacks themselves.
        context.set_forkserver_preload(["generator.paper.server", *preload])
        return context
    return multiprocessing.get_context("spawn")


def worker_pool(
    workers: int, preload: tuple[str, ...] = PDF_MODULES, scratch: str | None = None
) -> ProcessPoolExecutor:
    """A pool of `workers` processes that start clean and exit when this process dies.
    `preload`: the modules the fork server loads for every worker (by default WeasyPrint's).
    `scratch`: the workers' temporary folder, which the caller removes (a worker killed with its
    parent leaves its temporary files there, not in the machine's)."""
    os.environ[PARENT] = str(os.getpid())  # inherited by the fork server or the spawned workers
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=_context(preload), initializer=start_worker, initargs=(scratch,)
    )


def stop_now(pool: ProcessPoolExecutor) -> None:
    """End the pool without waiting for the work in progress (an interrupted build): each worker is
    sent SIGTERM and ends at once. Python 3.14 has `terminate_workers()`; before it, the executor's
    own `_processes` (a shutdown without waiting would still wait at exit for the running work)."""
    terminate = getattr(pool, "terminate_workers", None)
    if terminate is not None:
        terminate()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):  # already gone
            process.terminate()
