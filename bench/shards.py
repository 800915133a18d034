"""The sharded build against the bare mkdocs builds of the same shard pages, and the single build
(issue 20).

    .venv/bin/python bench/shards.py --notices 10000 --communities 10 --rounds 2

Generates N notices in C communities of equal size (bench/generate.py) and writes, for each shard
(every community and the portal), its pages as a plain mkdocs project with our theme (as
bench/run.py does for the whole site). Round 1 runs `gongkai build --shards` alone: it draws the
charts, share images and PDFs into the caches. Every later round runs, each in a fresh process:
`gongkai build` (one mkdocs site), `gongkai build --shards` (a local Dask cluster, one worker per
core) and the bare `mkdocs build` of every shard, as many at once as there are cores. Then it
edits one record and times the sharded rebuild (one community built, the others read), and
times `gongkai check` and `gongkai check --shards`. Peak memory: the largest resident set of any
one process of the command's tree (Linux folds a reaped child's peak into its parent's children
figure).

    --keep              use --dir's project and caches as they are (no new project: round 1 then
                        only brings the caches up to date)
    --preview-only      only the sharded preview's first build and edits, on --dir's project
    --preview-at-scale  the preview's edits on --dir's project without its first build (which a
                        small machine cannot afford at 100,000): every community read as its part
                        would send it back, the portal built from them, then the edits
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402
from run import write_bare  # noqa: E402

AS_OF = "2025-12-31"
SITE_URL = "https://gongkai.example.org/"
PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def timed(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds, and the peak resident memory (MiB) of the largest process of the command's tree."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, *args], cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - start, int(done.stdout.split()[-1]) / 1024


def bare_shards(project: Path, bare: Path) -> list[Path]:
    """Each shard's pages as a plain mkdocs project: bare/<community>/ and bare/portal/."""
    from generator.engine.mkdocs_plugin import _nav
    from generator.reading.reader import read_site
    from generator.web.plan import make_plan
    from generator.web.shards import PORTAL, shard_plan

    site = read_site(project, dt.date.fromisoformat(AS_OF))
    plan = make_plan(site, project / "templates", project, {}, SITE_URL)
    folders = []
    for part in [PORTAL, *(d.community.id for d in site.communities)]:
        cut = shard_plan(plan, part, site, SITE_URL)
        folder = bare / (part or "portal")
        write_bare(project, folder, cut.pages, _nav(cut.nav))
        with (folder / "mkdocs.yml").open("a", encoding="utf-8") as config:
            config.write(f"site_url: {SITE_URL}{part + '/' if part else ''}\n")
        folders.append(folder)
    return folders


def bare_builds(folders: list[Path], env: dict[str, str]) -> tuple[float, float]:
    """Every shard's bare build, `cores` at a time: the wall time of the lot and the largest peak."""
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        peaks = list(pool.map(lambda f: timed([sys.executable, "-m", "mkdocs", "build", "-q"], f, env)[1], folders))
    return time.perf_counter() - start, max(peaks)


def _part(project: Path, community: str):  # returns a shards.part.Part
    """One community read, as the first (sharded) build's part sends it back (shards.part.result)."""
    from generator.reading.reader import read_site
    from generator.shards.part import result

    ids: list = []
    site = read_site(project, dt.date.fromisoformat(AS_OF), only=community, ids=ids)
    return result(site, ids, {})


def preview_at_scale(project: Path, rounds: int = 3) -> None:
    """The live preview's edit at a size whose first build this machine cannot afford (100,000
    notices: about 14 hours of A4 PDFs on 2 cores). Instead of that build, every community is read
    as its part would send it back (the same `result`), and the portal built from them: the
    state a first build leaves in the serving process. Then one record is edited as in
    `preview_edits`: the first edit builds its community whole, each later one only what changed;
    each edit also checks ids across all communities and compares every community's summary."""
    import pickle
    from concurrent.futures import ProcessPoolExecutor

    from generator.shards import portal
    from generator.shards.inputs import communities
    from generator.shards.preview import ShardedPreview

    served = project / "served"
    shutil.rmtree(served, ignore_errors=True)
    # The site's address, not the server's: the A4 PDFs' QR codes hold it, so the builds' PDFs
    # are reused (with another address the first edit would draw a thousand PDFs again).
    preview = ShardedPreview(project, served, dt.date.fromisoformat(AS_OF), SITE_URL)
    names = communities(project)
    start = time.perf_counter()
    with ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        preview.parts = dict(zip(names, pool.map(_part, [project] * len(names), names), strict=True))
    preview.shown = {c: pickle.dumps(p.summary) for c, p in preview.parts.items()}
    print(f"preview at scale: {len(names)} communities read in {time.perf_counter() - start:.1f} s", flush=True)
    start = time.perf_counter()
    config = next(p.config for p in preview.parts.values())
    leaks = portal(project, dt.date.fromisoformat(AS_OF), config, preview.parts, served, preview.site_url)
    assert not [p for p in leaks if p.severity == "error"], leaks
    print(f"preview at scale: portal built in {time.perf_counter() - start:.1f} s", flush=True)
    _edits(project, preview, served, rounds)


def preview_edits(project: Path, rounds: int = 3) -> None:
    """In this process, as `gongkai serve --shards` runs: the first (sharded) build, then edits of
    one record of one community: the first builds that community, each later one only what
    changed. Prints the times and this process's peak memory."""
    from generator.shards.preview import ShardedPreview

    served = project / "served"
    # The site's own address, not the server's: the builds' PDFs are reused (their QR codes name
    # the address), as they would be in a preview left running beside the builds.
    preview = ShardedPreview(project, served, dt.date.fromisoformat(AS_OF), SITE_URL)
    start = time.perf_counter()
    preview.build()
    print(f"preview: first build {time.perf_counter() - start:.1f} s", flush=True)
    _edits(project, preview, served, rounds)


def _edits(project: Path, preview, served: Path, rounds: int) -> None:  # preview: a ShardedPreview
    import resource

    record = next(p for p in sorted((project / "site_data").rglob("*.yaml")) if "标题: " in p.read_text("utf-8"))
    text, times, pdfs = record.read_text("utf-8"), [], []
    run = secrets.token_hex(3)  # titles never seen before: each edit's A4 PDF is rendered, as a real edit's
    for n in range(rounds + 1):
        record.write_text(text.replace("标题: ", f"标题: （{run}第{n}次）", 1), encoding="utf-8")
        start = time.perf_counter()
        preview.note(str(record))
        preview.build()  # the pages written: the browser reloads now
        took = time.perf_counter() - start
        assert not preview.state.problems, preview.state.problems
        assert any(f"（{run}第{n}次）" in p.read_text("utf-8") for p in (served / record.parts[-3]).rglob("index.html"))
        getattr(preview, "settle", lambda: None)()  # its A4 PDF, after the pages (older commits: none)
        pdf = time.perf_counter() - start
        assert not preview.state.problems, preview.state.problems
        print(f"preview: edit {n + 1} {took:.2f} s on the page, {pdf:.2f} s with its A4 PDF", flush=True)
        times.append(took)
        pdfs.append(pdf)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"preview edits: first {times[0]:.1f} s (builds the community), later median "
        f"{statistics.median(times[1:]):.2f} s on the page, {statistics.median(pdfs[1:]):.2f} s with the A4 PDF; "
        f"peak memory of the serving process {peak:.0f} MiB"
    )
    record.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=2000)
    parser.add_argument("--communities", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "gongkai-bench-shards")
    parser.add_argument("--preview-only", action="store_true", help="only the preview's edits, on --dir's project")
    parser.add_argument(
        "--preview-at-scale",
        action="store_true",
        help="the preview's edits without its first build",
    )
    parser.add_argument("--keep", action="store_true", help="use --dir's project as it is (and its caches)")
    args = parser.parse_args()
    if args.preview_only or args.preview_at_scale:
        (preview_at_scale if args.preview_at_scale else preview_edits)(args.dir / "project", args.rounds)
        return
    if args.keep:
        project = args.dir / "project"
        args.communities = sum(1 for p in (project / "site_data").iterdir() if p.is_dir())
        args.notices = sum(1 for p in (project / "site_data").rglob("*.yaml")) - args.communities - 1
    else:
        project = generate(args.notices, args.dir / "project", args.communities)
    shutil.rmtree(args.dir / "bare", ignore_errors=True)  # an earlier run's
    os.environ["GONGKAI_CACHE"] = str(args.dir / "cache")  # the share images drawn here are the builds' too
    folders = bare_shards(project, args.dir / "bare")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    gongkai = [sys.executable, "-m", "generator"]
    single = [*gongkai, "build", "--as-of", AS_OF, "--site-dir", "site-single"]
    sharded = [*gongkai, "build", "--as-of", AS_OF, "--site-dir", "site-shards", "--shards"]
    runs: dict[str, list[float]] = {"single": [], "shards": [], "bare": []}
    peaks: dict[str, float] = {"single": 0.0, "shards": 0.0, "bare": 0.0}
    took, peaks["shards"] = timed(sharded, project, env)
    print(f"round 1 (caches {'as found' if args.keep else 'cold'}) shards: {took:.1f} s", flush=True)
    for round_no in range(2, args.rounds + 1):
        (project / ".site-shards.shards.pickle").unlink(missing_ok=True)  # a full build, not a rebuild
        for name, measure in (
            ("single", lambda: timed(single, project, env)),
            ("shards", lambda: timed(sharded, project, env)),
            ("bare", lambda: bare_builds(folders, env)),
        ):
            took, peak = measure()
            runs[name].append(took)
            peaks[name] = max(peaks[name], peak)
            print(f"round {round_no} {name}: {took:.1f} s, peak {peak:.0f} MiB", flush=True)
    record = next(p for p in sorted((project / "site_data").rglob("*.yaml")) if "标题: " in p.read_text("utf-8"))
    text = record.read_text("utf-8")
    record.write_text(text.replace("标题: ", "标题: （更新）", 1), encoding="utf-8")
    edit, edit_peak = timed(sharded, project, env)
    record.write_text(text, encoding="utf-8")
    print(f"rebuild after editing one record: {edit:.1f} s, peak {edit_peak:.0f} MiB", flush=True)
    check, check_peak = timed([*gongkai, "check", "--as-of", AS_OF], project, env)
    check_shards, check_shards_peak = timed([*gongkai, "check", "--as-of", AS_OF, "--shards"], project, env)
    print(f"check {check:.1f} s, check --shards {check_shards:.1f} s", flush=True)
    subprocess.run([sys.executable, __file__, "--preview-only", "--dir", str(args.dir)], env=env, check=True)
    print(f"\nmachine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{args.notices} notices in {args.communities} communities of {args.notices // args.communities}")
    for name, times in runs.items():
        print(f"{name}: median {statistics.median(times):.1f} s, peak memory of one process {peaks[name]:.0f} MiB")
    if runs["bare"]:
        ratio = statistics.median(runs["shards"]) / statistics.median(runs["bare"])
        print(f"shards / bare shard builds: {ratio:.2f}")
    print(f"rebuild after editing one record ({record.parent.parent.name}): {edit:.1f} s, peak {edit_peak:.0f} MiB")
    print(f"gongkai check (all records, one process): {check:.1f} s, peak {check_peak:.0f} MiB")
    print(f"gongkai check --shards: {check_shards:.1f} s, peak {check_shards_peak:.0f} MiB")
    print(json.dumps({"runs": runs, "peaks": peaks, "edit": edit, "check": check, "check_shards": check_shards}))


if __name__ == "__main__":
    main()
