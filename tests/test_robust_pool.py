"""The PDF worker pool starts clean: a worker is no copy of a parent whose other threads hold locks
(the deadlock Python 3.12+ warns about when forking a multi-threaded process)."""

from __future__ import annotations

import os
import threading
import warnings

from generator.paper.workers import worker_pool

HELD = threading.Lock()


def take_the_lock() -> int:
    """In a worker: a forked copy would find HELD locked by a thread that does not exist there."""
    with HELD:
        return os.getppid()


def test_workers_do_not_inherit_locks_held_by_other_threads() -> None:
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with HELD:
            holding.set()
            release.wait(120)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(10)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)  # 3.12+: "fork() may lead to deadlocks"
            pool = worker_pool(2)
            try:
                parents = [pool.submit(take_the_lock).result(timeout=120) for _ in range(2)]
            finally:
                pool.shutdown(wait=False, cancel_futures=True)  # a deadlocked worker must not hang the suite
    finally:
        release.set()
        holder.join()
    assert os.getpid() not in parents  # started by the fork server, not copied from this process
