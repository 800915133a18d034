"""The cost of the output gate (issue 14): a full build, and the gate alone on what it built.

    .venv/bin/python bench/gate.py --size 1000

Generates the project of bench/generate.py, builds it once (`build()`, which includes the gate),
then runs the gate again on the built site and on the PDFs alone, and reports both times, the
share of the build and the time per kind of file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from generator.build import build, check
    from generator.gate import scan
    from generator.gate.extract import text_of

    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        subprocess.run([sys.executable, str(ROOT / "bench/generate.py"), str(args.size), str(project)], check=True)
        site = check(project, AS_OF)
        start, cpu = time.perf_counter(), _cpu()
        build(project, AS_OF, project / "site", site=site)
        whole, whole_cpu = time.perf_counter() - start, _cpu() - cpu
        start, cpu = time.perf_counter(), _cpu()
        problems = scan.gate(site, {"site": project / "site"})
        gate, gate_cpu = time.perf_counter() - start, _cpu() - cpu
        by_kind: dict[str, float] = defaultdict(float)
        count: dict[str, int] = defaultdict(int)
        for dest, path in scan.files_under(project / "site"):
            kind = path.suffix or "(none)"
            start = time.perf_counter()
            text_of(dest, path.read_bytes())
            by_kind[kind] += time.perf_counter() - start
            count[kind] += 1
        size = sum(p.stat().st_size for p in (project / "site").rglob("*") if p.is_file())
    print(f"N={args.size}: build {whole:.1f} s (gate included), gate alone {gate:.2f} s = {gate / whole:.1%} (wall)")
    print(
        f"CPU time: build {whole_cpu:.1f} s (with its PDF workers), gate {gate_cpu:.2f} s = {gate_cpu / whole_cpu:.1%}"
    )
    print(f"site: {size / 2**20:.0f} MiB; problems found: {len(problems)}")
    for kind, seconds in sorted(by_kind.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  reading {count[kind]} {kind} files: {seconds:.2f} s")


if __name__ == "__main__":
    main()
