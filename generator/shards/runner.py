"""Where the parts run: one after another in this process, or as tasks on a Dask cluster (a local
one started here, or a real one at an address). Results are taken as they come."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Generator
from typing import Any

from generator.shards import part as part_module
from generator.shards.inputs import digest_of
from generator.shards.part import Part


def in_this_process(jobs: dict[str, tuple[Any, ...]]) -> Generator[tuple[str, Part], None, None]:
    """`jobs`: each part's arguments to build_part."""
    for part, args in jobs.items():
        yield part, part_module.build_part(*args)


def _connect(client: Callable[..., Any], address: str) -> Any:
    try:
        return client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:  # a usage error: the CLI prints it, publishes nothing
        raise ValueError(
            f"连不上 Dask 集群 {address}：{exc}。请检查地址，以及调度器（dask scheduler）是否在运行"
            f" (cannot reach the Dask cluster at {address}: {exc}; check the address and the scheduler)"
        ) from None


def _key(part: str, args: tuple[Any, ...]) -> str:
    """The task's name in Dask: the part, its inputs, strictness and the client's build folder
    (another build, another task: a part may put its files into that folder)."""
    made_of = digest_of({**args[3], "drop": repr(args[6])})
    return f"gongkai-{part}-{made_of[:16]}-{args[5]}"


def on_cluster(
    jobs: dict[str, tuple[Any, ...]], cluster: str | None, workers: int | None
) -> Generator[tuple[str, Part], None, None]:
    """Each part as a Dask task; results taken as they come, so the client holds one at a time."""
    # Dask logs every connection at INFO: only what went wrong, here and in the workers it starts.
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    import dask
    from distributed import Client, LocalCluster, as_completed

    logging.getLogger("distributed").setLevel(logging.WARNING)

    # Workers make PDFs in processes of their own: they must not be daemons (which cannot have children).
    # Dask's sampling profiler (every 10 ms, for its dashboard, which we do not start) slowed each
    # part by a fifth: two parts side by side took 55 s on the local cluster, 43 s without it.
    settings: dict[str, Any] = {"distributed.worker.daemon": False, "distributed.worker.profile.enabled": False}
    if cluster is None:  # the local cluster's scratch folders and locks, removed below (Dask leaves its locks)
        settings["temporary-directory"] = scratch = tempfile.mkdtemp(prefix="gongkai-dask-")
    with contextlib.ExitStack() as stack, dask.config.set(settings):
        if cluster is None:
            stack.callback(shutil.rmtree, scratch, True)
            local = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                scheduler_kwargs={"dashboard": False},
            )
            client = Client(local)
        else:
            local, client = None, _connect(Client, cluster)
        try:
            futures = {
                client.submit(part_module.build_part, *args, key=_key(part, args)): part for part, args in jobs.items()
            }
            for future in as_completed(futures):
                yield futures[future], future.result()
                future.release()
        finally:
            client.close()
            if local is not None:
                local.close()
