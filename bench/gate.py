"""The cost of the output gate (issue 14): a full build, and the gate alone on what it built.

    .venv/bin/python bench/gate.py --size 1000 [--dir /tmp/gongkai-bench-gate]

Generates the project of bench/generate.py with empty caches, builds it twice with `build()`
(which includes the gate): round 1 draws every PDF and image and reads each one's text back,
round 2 finds both in their caches (as every later build does for what did not change). After
each round it runs the gate alone on what was built, in the same state of its text cache (empty
for round 1, filled for round 2), and reports its share of the build and the time per kind of
file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2025, 12, 31)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the PDF workers): on a shared
    machine wall time mostly measures the neighbours."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _gate_alone(site, folder: Path, cache: Path) -> tuple[float, float, int]:
    from generator.gate import scan

    start, cpu = time.perf_counter(), _cpu()
    problems = scan.gate(site, {"site": folder}, cache=cache)
    return time.perf_counter() - start, _cpu() - cpu, len(problems)


def _by_kind(folder: Path) -> None:
    """Reading each kind of file's text, in this process, without the cache: where a cold gate goes."""
    from generator.gate import scan
    from generator.gate.extract import text_of

    by_kind: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    for dest, path in scan.files_under(folder):
        kind = path.suffix or "(none)"
        start = time.perf_counter()
        text_of(dest, path.read_bytes())
        by_kind[kind] += time.perf_counter() - start
        count[kind] += 1
    for kind, seconds in sorted(by_kind.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  reading {count[kind]} {kind} files, one process, no cache: {seconds:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--dir", type=Path, help="keep the project and caches here (default: a temporary folder)")
    parser.add_argument("--per-kind", action="store_true", help="also time each kind of file, one process")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from generator.build import build, check
    from generator.gate.texts import cache_folder

    with tempfile.TemporaryDirectory() as tmp:
        where = args.dir or Path(tmp)
        project = where / "project"
        shutil.rmtree(where / "cache", ignore_errors=True)  # round 1 starts cold
        os.environ["GONGKAI_CACHE"] = str(where / "cache")
        subprocess.run([sys.executable, str(ROOT / "bench/generate.py"), str(args.size), str(project)], check=True)
        site = check(project, AS_OF)
        for round_no, state in ((1, "cold: no PDF, image or text cached"), (2, "warm: the same records again")):
            start, cpu = time.perf_counter(), _cpu()
            build(project, AS_OF, project / "site", site=site)
            whole, whole_cpu = time.perf_counter() - start, _cpu() - cpu
            cache = cache_folder(project) if round_no == 2 else where / "empty"  # the gate alone: as in its build
            shutil.rmtree(where / "empty", ignore_errors=True)
            gate, gate_cpu, found = _gate_alone(site, project / "site", cache)
            print(f"N={args.size} round {round_no} ({state}):", flush=True)
            print(
                f"  build {whole:.1f} s (gate included), gate alone {gate:.2f} s = {gate / whole:.1%} of the wall time"
            )
            print(f"  CPU: build {whole_cpu:.1f} s, gate {gate_cpu:.2f} s (its worker processes not counted)")
            print(f"  problems found: {found}", flush=True)
        size = sum(p.stat().st_size for p in (project / "site").rglob("*") if p.is_file())
        print(f"site: {size / 2**20:.0f} MiB; machine: {platform.platform()}, {os.cpu_count()} cores")
        if args.per_kind:
            _by_kind(project / "site")


if __name__ == "__main__":
    main()
