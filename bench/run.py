"""Scale benchmark: `gongkai build` against a bare mkdocs-material build of the very same pages.

    .venv/bin/python bench/run.py [--sizes 1000 10000] [--rounds 3]

For each size it generates a deterministic project (bench/generate.py), writes the pages Gongkai
would hand to mkdocs out as plain Markdown files with the same mkdocs.yml (minus our plugin), and
then runs, alternating, (a) `gongkai build` and (b) `mkdocs build` on the bare copy, each in a
fresh process. It reports medians, the ratio a/b, peak memory, `gongkai check` time and the
search index size per notice. Results go to stdout as a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

AS_OF = "2025-12-31"
# Runs a command in this interpreter and reports the process's peak memory (KiB) on stderr.
MEASURED = (
    "import atexit, resource, runpy, sys; "
    "atexit.register(lambda: sys.stderr.write(f'\\nPEAK_KB={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n')); "
    "sys.argv = sys.argv[1:]; runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)"
)


def run(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", MEASURED, *args], cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    peak = int(done.stderr.rsplit("PEAK_KB=", 1)[1].split()[0])
    return seconds, peak


def bare_copy(project: Path, bare: Path) -> None:
    """The same pages as plain Markdown (title in front matter), same theme and settings."""
    from generator.engine.mkdocs_plugin import _nav
    from generator.reading.reader import read_site
    from generator.web.plan import make_plan

    site = read_site(project, dt.date.fromisoformat(AS_OF))
    plan = make_plan(site, project / "templates", project, {}, "https://gongkai.example.org/")
    write_bare(project, bare, plan.pages, _nav(plan.nav))


def write_bare(project: Path, bare: Path, pages: list, nav: list) -> None:
    """`pages` as a plain mkdocs project at `bare`: Markdown files, our theme, `nav` as given."""
    docs = bare / "content"
    for page in pages:
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        front = f"title: {json.dumps(page.title, ensure_ascii=False)}\n"
        front += "" if page.searchable else "search:\n  exclude: true\n"
        target.write_text(f"---\n{front}---\n\n{page.markdown}", encoding="utf-8")
    shutil.copytree(project / "templates", bare / "templates")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8").replace("  - gongkai\n", "")
    config += "\nnav: " + json.dumps(nav, ensure_ascii=False) + "\n"
    config = config.replace("    omitted_files: info", "    omitted_files: ignore")
    (bare / "mkdocs.yml").write_text(config, encoding="utf-8")


def measure(n: int, rounds: int, work: Path) -> dict[str, object]:
    project, bare = work / f"gongkai-{n}", work / f"bare-{n}"
    generate(n, project)
    bare_copy(project, bare)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SOURCE_DATE_EPOCH": "1767110400",
        "GONGKAI_CACHE": str(work / "cache"),
    }
    times: dict[str, list[float]] = {"gongkai": [], "bare": []}
    peaks: dict[str, int] = {"gongkai": 0, "bare": 0}
    for _ in range(rounds):  # alternating, so both see the same machine state
        for name, args, cwd in (
            ("gongkai", ["generator", "build", "--as-of", AS_OF], project),
            ("bare", ["mkdocs", "build", "-q"], bare),
        ):
            seconds, peak = run(args, cwd, env)
            times[name].append(seconds)
            peaks[name] = max(peaks[name], peak)
    check, _ = run(["generator", "check", "--as-of", AS_OF], project, env)
    index = (project / "site" / "search" / "search_index.json").stat().st_size
    result = {
        "n": n,
        "gongkai_s": statistics.median(times["gongkai"]),
        "bare_s": statistics.median(times["bare"]),
        "gongkai_peak_mib": peaks["gongkai"] / 1024,
        "bare_peak_mib": peaks["bare"] / 1024,
        "check_s": check,
        "index_kb_per_notice": index / 1024 / n,
        "rounds": rounds,
    }
    result["ratio"] = result["gongkai_s"] / result["bare_s"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(
        "| N | gongkai build (median) | bare mkdocs build (median) | ratio | peak memory gongkai / bare |"
        " gongkai check | search index per notice |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for n in args.sizes:
        r = measure(n, args.rounds, work)
        print(
            f"| {n} | {r['gongkai_s']:.1f} s | {r['bare_s']:.1f} s | {r['ratio']:.2f} | "
            f"{r['gongkai_peak_mib']:.0f} / {r['bare_peak_mib']:.0f} MiB | {r['check_s']:.1f} s | "
            f"{r['index_kb_per_notice']:.1f} KB |",
            flush=True,
        )
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
