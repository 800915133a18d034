"""The sharded build (`gongkai build --shards`): each community built as a site of its own, at
`site/<community>/`, and the portal at the root, in parallel on a Dask cluster; merged into one
folder, read back by the gate and swapped in whole, like `build`.

The parts run in Dask's workers: by default a local cluster with a worker process per core,
with `--cluster tcp://host:8786` a real one whose workers have the project at the same path and
the same content (each part checks this first). Where a part runs does not change its output.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Generator
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.build import aside, check, public_address, swap_in
from generator.engine.builds import build_site, engine_site_url
from generator.errors import BuildFailed, Problem, RecordsInvalid
from generator.gate.scan import files_under, gate
from generator.lock import output_lock
from generator.paper.printshop import print_site
from generator.reading.checks import duplicate_id
from generator.reading.reader import read_site
from generator.reading.site import CommunityData, Site
from generator.records.community import SiteConfig
from generator.today import source_date_epoch
from generator.web.shards import PORTAL

INPUTS = ("site_data", "templates", "content", "mkdocs.yml")  # what a part's output depends on


def inputs_digest(root: Path) -> str:
    """The project's inputs as a part sees them: every input file's path and bytes, and the git
    commit (notice pages show their history)."""
    digest = hashlib.sha256()
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=False)
    digest.update(head.stdout.strip().encode())
    for name in INPUTS:
        top = root / name
        for path in sorted(top.rglob("*")) if top.is_dir() else [top]:
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


CODE = Path(__file__).resolve().parent  # Gongkai's own code: a new version rebuilds every part


def _add_files(digest: Any, root: Path, tops: list[Path]) -> None:
    for top in tops:
        for path in sorted(top.rglob("*")) if top.is_dir() else [top]:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())


def part_digests(root: Path, parts: list[str], as_of: dt.date) -> dict[str, str]:
    """What each community's site is made from: the settings, templates, engine settings,
    Gongkai's code and the libraries installed; its own folder of records and its git history;
    the as-of date and the build date (mkdocs dates the sitemap with the last commit's day). An
    unchanged digest means its files would come out the same: `build --shards` copies them."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or source_date_epoch(root, as_of))
    built = dt.datetime.fromtimestamp(epoch, dt.UTC).date()
    shared = hashlib.sha256(f"{as_of} {built}".encode())
    installed = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    shared.update(" ".join(installed).encode())  # a new mkdocs-material or WeasyPrint rebuilds all
    _add_files(shared, root, [root / "mkdocs.yml", root / "templates", root / "site_data" / "site.yaml", CODE])
    digests = {}
    for part in parts:
        one = shared.copy()
        folder = f"site_data/{part}"
        _add_files(one, root, [root / folder])
        log = subprocess.run(["git", "log", "--format=%H %cs", "--", folder], cwd=root, capture_output=True, text=True)
        one.update(log.stdout.encode())
        digests[part] = one.hexdigest()
    return digests


def communities(root: Path) -> list[str]:
    """The parts: every folder of site_data/ (a folder without community.yaml is reported by its part)."""
    return sorted(p.name for p in (root / "site_data").iterdir() if p.is_dir()) if (root / "site_data").is_dir() else []


def _manifest(site_dir: Path) -> Path:
    """Beside the site, not in it: what each community's folder in it was built from."""
    return site_dir.with_name(f".{site_dir.name}.shards.json")


def _reusable(site_dir: Path, digests: dict[str, str]) -> set[str]:
    """The communities whose folder in the current site/ was built from the same inputs. The
    manifest names the site folder it describes (its inode): after any other build, none."""
    try:
        known = json.loads(_manifest(site_dir).read_text(encoding="utf-8"))
        if known.get("site") != site_dir.stat().st_ino:
            return set()
    except (OSError, ValueError, AttributeError):
        return set()
    parts = known.get("parts", {})
    return {c for c, d in digests.items() if parts.get(c) == d and (site_dir / c).is_dir()}


@dataclass
class Part:
    """What one part sends back: its published files (none when it was only read), its records'
    problems, the light index of its ids, and what the portal shows of it."""

    files: dict[str, bytes]
    problems: list[Problem]
    ids: list[tuple[str, str, int, int]]
    summary: CommunityData | None = None
    config: SiteConfig | None = None
    public: int = 0


def _files(folder: Path) -> dict[str, bytes]:
    return {dest: path.read_bytes() for dest, path in files_under(folder)}


def _summary(site: Site, data: CommunityData) -> CommunityData:
    """The community as the portal sees it: its settings, what is under notice, the latest."""
    keep = {id(e) for e in [*site.under_notice(data), *data.public[: site.config.latest_count]]}
    return replace(data, entries=tuple(e for e in data.entries if id(e) in keep), catalogue_raw=None)


def build_part(root: str, part: str, as_of: str, digest: str, publish: bool = True) -> Part:
    """One community: read and check its records alone, build its site (unless `publish` is
    False: its files are kept from the last build) and read it back. Runs in a Dask worker."""
    project = Path(root)
    if not (project / "mkdocs.yml").is_file() or inputs_digest(project) != digest:
        raise BuildFailed(
            f"计算节点上的项目 {root} 与本机不一致（不存在，或记录、模板、提交不同），请在每个节点上检出同一版本 "
            f"(the project at {root} on a worker differs from this one: check out the same commit on every worker)"
        )
    ids: list[tuple[str, str, int, int]] = []
    try:
        site = read_site(project, dt.date.fromisoformat(as_of), only=part, ids=ids)
    except RecordsInvalid as exc:
        return Part({}, exc.problems, ids)
    data = next((d for d in site.communities if d.community.id == part), None)
    if data is None:  # a folder without records or community.yaml: nothing to publish
        return Part({}, list(site.warnings), ids, config=site.config)
    files: dict[str, bytes] = {}
    if publish:
        printed = print_site(site, project / "templates", project, engine_site_url(project))
        with tempfile.TemporaryDirectory(prefix="gongkai-shard-") as tmp:
            out = Path(tmp) / "out"
            build_site(project, out, as_of, prepared=(site, printed), shard=part)
            leaks = gate(site, {"site": out})  # read back here, in the worker, against its records
            if leaks:
                return Part({}, [*site.warnings, *leaks], ids)
            files = _files(out)
    return Part(files, list(site.warnings), ids, _summary(site, data), site.config, len(data.public))


def _across(parts: dict[str, Part]) -> list[Problem]:
    """The checks across communities, on the light index: an id used in two communities (within
    one, the part itself reports it)."""
    firsts: dict[str, dict[str, tuple[str, str, int, int]]] = {}
    for part, result in parts.items():
        for nid, file, line, col in result.ids:
            firsts.setdefault(nid, {}).setdefault(part, (nid, file, line, col))
    problems = []
    for where in firsts.values():
        ordered = sorted(where.values(), key=lambda i: i[1])
        problems += [duplicate_id(*one, ordered[0][1]) for one in ordered[1:]]
    return problems


def _portal(root: Path, as_of: dt.date, config: SiteConfig, parts: dict[str, Part], out: Path) -> list[Problem]:
    """The portal, built here from the parts' summaries; its problems (a leak, the address)."""
    communities = tuple(p.summary for _, p in sorted(parts.items()) if p.summary is not None)
    site = Site(config, as_of, communities, {e.notice.id: e for d in communities for e in d.entries})
    with tempfile.TemporaryDirectory(prefix="gongkai-portal-") as tmp:
        build_site(root, Path(tmp) / "out", as_of.isoformat(), prepared=(site, {}), shard=PORTAL)
        problems = gate(site, {"site": Path(tmp) / "out"})
        for rel, data in _files(Path(tmp) / "out").items():
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_bytes(data)
    address = public_address(root, site)
    return [*problems, *([address] if address else [])]


def _in_this_process(
    root: Path, jobs: list[tuple[str, bool]], as_of: str, digest: str
) -> Generator[tuple[str, Part], None, None]:
    for part, publish in jobs:
        yield part, build_part(str(root), part, as_of, digest, publish)


def _connect(client: Callable[..., Any], address: str) -> Any:
    try:
        return client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:  # a usage error: the CLI prints it, publishes nothing
        raise ValueError(
            f"连不上 Dask 集群 {address}：{exc}。请检查地址，以及调度器（dask scheduler）是否在运行"
            f" (cannot reach the Dask cluster at {address}: {exc}; check the address and the scheduler)"
        ) from None


def _on_cluster(
    root: Path, jobs: list[tuple[str, bool]], as_of: str, digest: str, cluster: str | None, workers: int | None
) -> Generator[tuple[str, Part], None, None]:
    """Each part as a Dask task; results taken as they come, so the client holds one at a time."""
    # Dask logs every connection at INFO: only what went wrong, here and in the workers it starts.
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    import dask
    from distributed import Client, LocalCluster, as_completed

    logging.getLogger("distributed").setLevel(logging.WARNING)

    # Workers make PDFs in processes of their own: they must not be daemons (which cannot have children).
    with dask.config.set({"distributed.worker.daemon": False}):
        if cluster is None:
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
                client.submit(
                    build_part,
                    str(root),
                    part,
                    as_of,
                    digest,
                    publish,
                    key=f"gongkai-{part}-{publish}-{as_of}-{digest[:12]}",
                ): part
                for part, publish in jobs
            }
            for future in as_completed(futures):
                yield futures[future], future.result()
                future.release()
        finally:
            client.close()
            if local is not None:
                local.close()


@dataclass(frozen=True)
class Outcome:
    """A sharded build's warnings and its number of public records, for the report."""

    warnings: list[Problem]
    public: int


def build_sharded(
    root: Path,
    as_of: dt.date,
    site_dir: Path,
    cluster: str | None = None,
    workers: int | None = None,
    strict: bool = False,
    on_wait: Callable[[Path], None] | None = None,
) -> Outcome:
    """Build every community (on `cluster`, a local cluster of `workers` processes, or with
    workers=0 one after another in this process), check across them on their light indexes,
    build the portal from their summaries, merge, swap in. Same output either way. No process
    reads every record: each part reads its own community. A community whose inputs have not
    changed since the last `--shards` build into `site_dir` is only read (for the checks and the
    portal), and its files are copied from the last build. Any error (or with `strict` any
    warning), in any part: RecordsInvalid listing all of them, and nothing is published."""
    if workers is not None and workers < 0:
        raise ValueError("--workers 应是 0 或正整数 (--workers must be 0 or more)")
    parts = communities(root)
    digest, digests = inputs_digest(root), part_digests(root, parts, as_of)
    with output_lock(site_dir, on_wait):
        kept = _reusable(site_dir.resolve(), digests)
        jobs = [(part, part not in kept) for part in parts]
        work = aside(site_dir)
        try:
            out = work / "site"
            out.mkdir()
            for community in sorted(kept):  # built before from the same inputs
                shutil.copytree(site_dir / community, out / community)
            if workers == 0 and cluster is None:
                results = _in_this_process(root, jobs, as_of.isoformat(), digest)
            else:
                results = _on_cluster(root, jobs, as_of.isoformat(), digest, cluster, workers)
            done: dict[str, Part] = {}
            try:
                for part, result in results:
                    done[part] = result
                    for rel, data in result.files.items():
                        (out / part / rel).parent.mkdir(parents=True, exist_ok=True)
                        (out / part / rel).write_bytes(data)
                    result.files = {}  # written: not held
            finally:
                results.close()  # a part failed: the cluster this build started stops now
            problems = sorted({p for r in done.values() for p in r.problems} | set(_across(done)))
            config = next((r.config for r in done.values() if r.config is not None), None)
            if config is None and not any(p.severity == "error" for p in problems):
                config = check(root, as_of).config  # no community at all: only the settings to read
            if not any(p.severity == "error" for p in problems):
                problems = sorted({*problems, *_portal(root, as_of, config, done, out)})
            if any(p.severity == "error" for p in problems) or (strict and problems):
                raise RecordsInvalid(problems)
            swap_in(out, site_dir.resolve())
            manifest = {"site": site_dir.resolve().stat().st_ino, "parts": digests}
            _manifest(site_dir.resolve()).write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return Outcome(problems, sum(r.public for r in done.values()))
