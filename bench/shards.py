"""The sharded build against the single build (issue 20).

    .venv/bin/python bench/shards.py --notices 2000 --communities 2 --rounds 2

Generates N notices in C communities of equal size (bench/generate.py), then times, alternating,
each in a fresh process: `gongkai build` (one mkdocs site) and `gongkai build --shards` (a local
Dask cluster, one worker per core). The first round draws charts, share images and PDFs into
.cache/ for both; medians are over the later rounds. Peak memory: the largest resident set of
any one process (the build's, or its biggest child's), from `ru_maxrss`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

AS_OF = "2025-12-31"


# Runs a command and prints the largest resident set (KiB) of any process of its tree: Linux
# folds a reaped child's peak into its parent's children figure, so this reaches the workers too.
PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def timed(args: list[str], project: Path) -> tuple[float, float]:
    """Seconds, and the peak resident memory (MiB) of the largest process of the build's tree."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK, sys.executable, "-m", "generator", *args],
        cwd=project,
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - start, int(done.stdout.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=2000)
    parser.add_argument("--communities", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/gongkai-bench-shards"))
    args = parser.parse_args()
    project = generate(args.notices, args.dir, args.communities)
    runs: dict[str, list[float]] = {"single": [], "shards": []}
    peaks: dict[str, float] = {"single": 0.0, "shards": 0.0}
    for round_no in range(args.rounds):
        for name, extra in (("single", []), ("shards", ["--shards"])):
            took, peak = timed(["build", "--as-of", AS_OF, "--site-dir", f"site-{name}", *extra], project)
            print(f"round {round_no + 1} {name}: {took:.1f} s", flush=True)
            if round_no or args.rounds == 1:
                runs[name].append(took)
            peaks[name] = max(peaks[name], peak)
    cores = os.cpu_count()
    print(f"\n{args.notices} notices in {args.communities} communities, {cores} cores")
    for name, times in runs.items():
        print(f"{name}: median {statistics.median(times):.1f} s, peak memory of one process ≤ {peaks[name]:.0f} MiB")


if __name__ == "__main__":
    main()
