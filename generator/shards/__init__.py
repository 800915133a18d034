"""The sharded build (`gongkai build --shards`): each community built as a site of its own, at
`site/<community>/`, and the portal at the root, in parallel on a Dask cluster; merged into one
folder, read back by the gate and swapped in whole, like `build`.

The parts run in Dask's workers: by default a local cluster with a worker process per core,
with `--cluster tcp://host:8786` a real one whose workers have the project at the same path and
the same content (each part checks this first). Where a part runs does not change its output.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from generator.build import aside, check, public_address, swap_in
from generator.engine.builds import build_site
from generator.errors import BuildFailed, Problem, RecordsInvalid
from generator.gate.scan import gate
from generator.gate.texts import cache_folder, cores
from generator.lock import output_lock
from generator.paper.workers import worker_pool
from generator.reading.attachments import links_leaving
from generator.reading.checks import Indexed, duplicate_id
from generator.reading.drafts import as_draft
from generator.reading.parts import read_community
from generator.reading.site import Site
from generator.records.community import SiteConfig
from generator.shards import checked
from generator.shards.inputs import communities, digest_of, part_inputs, remember, reusable
from generator.shards.part import TOKEN, Part, build_part, engine_refused, files_of
from generator.shards.runner import in_this_process, on_cluster
from generator.web.shards import PORTAL

MARKDOWN = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")  # the engine's page suffixes (mkdocs.utils)

__all__ = ["Outcome", "Part", "build_part", "build_sharded", "check_sharded"]


def across(parts: dict[str, Part]) -> tuple[list[Problem], set[Problem]]:
    """The checks across communities, on the light index: an id used in two communities (a
    warning when the later record is a draft). Also what to drop of the parts' own reports: a
    part names the first record of its own community with the id, `check` names the first of
    all (sound records in file order, then those with errors), and so does this."""
    owner: dict[str, str] = {}  # each id's first community; nothing else made per id (100,000 of them)
    shared = {one[0] for part, result in parts.items() for one in result.ids if owner.setdefault(one[0], part) != part}
    found: dict[str, list[tuple[str, Indexed]]] = {}
    for part, result in parts.items():
        for one in result.ids:
            if one[0] in shared:
                found.setdefault(one[0], []).append((part, one))
    add: list[Problem] = []
    drop: set[Problem] = set()
    for where in found.values():  # ids used in two communities or more (within one: its part reported it)
        ordered = sorted(where, key=lambda po: (po[1].broken, po[1].file))  # as check reads them
        first = ordered[0][1]
        own: dict[str, Indexed] = {}
        for part, one in ordered:
            own.setdefault(part, one)
        for part, one in ordered[1:]:
            add.append(_clash(one, first[1]))
            if own[part] is not one:  # its part reported it against the community's first
                drop.add(_clash(one, own[part][1]))
    return add, drop


def _clash(one: Indexed, other: str) -> Problem:
    """The id of the record at `one` is also the id of the record in `other`, as the record's own
    check says it (a draft's problems are warnings, marked as such)."""
    return as_draft([duplicate_id(*one[:4], other)], one[4])[0]


def merged(parts: dict[str, Part]) -> set[Problem]:
    """Every part's problems and the checks across them, as the whole project's check has them."""
    add, drop = across(parts)
    return {p for r in parts.values() for p in r.problems if p not in drop} | set(add)


def _shared(root: Path, parts: list[str]) -> list[Problem]:
    """What no part checks: links out of content/ and templates/, and hand-written pages in a
    community's place (the portal would publish them over the community's own site)."""
    problems = list(links_leaving(root, only=PORTAL))
    content = root / "content"
    tops = sorted(content.iterdir()) if content.is_dir() else []
    for community in parts:
        # content/<c>/ and content/<c>.md alike: a page c.md is published as c/index.html
        for top in [t for t in tops if community in (t.name, t.stem if t.suffix.lower() in MARKDOWN else None)]:
            problems.append(
                Problem(
                    f"content/{top.name}",
                    1,
                    1,
                    "",
                    f"content/{top.name} 与社区“{community}”的网站重名，分片生成时会盖住它",
                    f"content/{top.name} clashes with the site of the community '{community}'",
                    "给这个文件夹（或文件）换个名字",
                    "rename the folder (or file)",
                )
            )
    return problems


def portal(
    root: Path,
    as_of: dt.date,
    config: SiteConfig,
    parts: dict[str, Part],
    out: Path,
    site_url: str | None = None,
    strict: bool = False,
) -> list[Problem]:
    """The portal, built here from the parts' summaries into `out`; its leaks, checked against
    every community's withheld names and public numbers."""
    communities = tuple(p.summary for _, p in sorted(parts.items()) if p.summary is not None)
    site = Site(config, as_of, communities, {e.notice.id: e for d in communities for e in d.entries})
    names = {n: f for p in parts.values() for n, f in p.names.items()}
    numbers = {n for p in parts.values() for n in p.numbers}
    with tempfile.TemporaryDirectory(prefix="gongkai-portal-") as tmp:
        build_site(root, Path(tmp) / "out", as_of.isoformat(), strict, (site, {}), PORTAL, site_url)
        problems = gate(site, {"site": Path(tmp) / "out"}, names, numbers, cache_folder(root))
        for rel, data in files_of(Path(tmp) / "out").items():
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).unlink(missing_ok=True)  # never written in place: it may be a link into the live site
            (out / rel).write_bytes(data)
    return problems


@dataclass(frozen=True)
class Outcome:
    """A sharded build's warnings and its number of public records, for the report; what each
    community's part sent back (the live preview keeps it)."""

    warnings: list[Problem]
    public: int
    parts: dict[str, Part]


def _link(source: str, target: str) -> None:
    """A file of the current site that the new one keeps: a second name for it (the current site
    is removed once the new one is in, and neither is written in place meanwhile), or a copy
    where the disk has no hard links."""
    try:
        os.link(source, target)
    except OSError:  # another file system, no hard links there, or too many links
        shutil.copy2(source, target)


def _errors(problems: set[Problem] | list[Problem], strict: bool) -> bool:
    return any(p.severity == "error" for p in problems) or (strict and bool(problems))


def build_sharded(
    root: Path,
    as_of: dt.date,
    site_dir: Path,
    cluster: str | None = None,
    workers: int | None = None,
    strict: bool = False,
    on_wait: Callable[[Path], None] | None = None,
    site_url: str | None = None,
) -> Outcome:
    """Build every community (on `cluster`, a local cluster of `workers` processes, or with
    workers=0 one after another in this process), check across them on their light indexes,
    build the portal from their summaries, merge, swap in. Same output either way. No process
    reads every record: each part reads its own community. A community whose inputs have not
    changed since the last `--shards` build into `site_dir` is not read again: its files are
    copied from the last build, and what its part sent back then (problems, ids, summary) is
    used. Any error (or with `strict` any warning), in any part: RecordsInvalid listing all of
    them, and nothing is published. `site_url`: in place of mkdocs.yml's (the live preview's)."""
    if workers is not None and workers < 0:
        raise ValueError("--workers 应是 0 或正整数 (--workers must be 0 or more)")
    parts = communities(root)
    inputs = part_inputs(root, parts, as_of, site_url)
    digests = {part: digest_of(made_of) for part, made_of in inputs.items()}
    with output_lock(site_dir, on_wait):
        done: dict[str, Part] = reusable(site_dir.resolve(), digests)  # unchanged: nothing to do
        day = as_of.isoformat()
        work = aside(site_dir)
        token = secrets.token_hex(16)  # the parts that see this folder put their sites into it
        (work / TOKEN).write_text(token, encoding="utf-8")
        drop = (str(work), token)
        jobs = {p: (str(root), p, day, inputs[p], site_url, strict, drop) for p in parts if p not in done}
        try:
            out = work / "site"
            out.mkdir()
            for community in sorted(done):  # built before from the same inputs
                shutil.copytree(site_dir / community, out / community, copy_function=_link)
            if (workers == 0 or len(jobs) < 2) and cluster is None:  # a cluster would only cost its start
                results = in_this_process(jobs)
            else:
                results = on_cluster(jobs, cluster, workers)
            try:
                for part, result in results:
                    done[part] = result
                    for rel, data in result.files.items():
                        (out / part / rel).parent.mkdir(parents=True, exist_ok=True)
                        (out / part / rel).write_bytes(data)
                    result.files = {}  # written: not held
            finally:
                results.close()  # a part failed: the cluster this build started stops now
            problems = merged(done) | set(_shared(root, parts))
            config = next((r.config for r in done.values() if r.config is not None), None)
            if config is None and not _errors(problems, strict):
                config = check(root, as_of).config  # no community at all: only the settings to read
            if config is not None and not _errors(problems, strict):
                try:
                    problems |= set(portal(root, as_of, config, done, out, site_url, strict))
                except BuildFailed as exc:  # mkdocs has logged why
                    refused = engine_refused("mkdocs.yml", ("门户", "the portal"), exc)
                    raise RecordsInvalid([*sorted(problems), refused]) from None
            address = public_address(root, Site(config, as_of, ())) if config is not None else None
            if address is not None and address.severity == "error":  # a placeholder address
                problems.add(address)
            if _errors(problems, strict):
                raise RecordsInvalid(sorted(problems))
            problems |= {address} if address is not None else set()  # the example's: never fails --strict
            swap_in(out, site_dir.resolve())
            remember(site_dir.resolve(), digests, done)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return Outcome(sorted(problems), sum(r.public for r in done.values()), done)


def _read(root: Path, parts: list[str], day: str, workers: int | None) -> list[checked.Found]:
    """Each of `parts` read and checked alone: in processes of their own (`workers` at once, by
    default one per core), or with 0 (or a single part) one after another here."""
    processes = min(len(parts), cores() if workers is None else workers)
    if processes < 2:
        return list(map(read_community, [str(root)] * len(parts), parts, [day] * len(parts)))
    pool = worker_pool(processes, preload=("generator.reading.parts",))  # reading only: starts fast
    try:
        return list(pool.map(read_community, [str(root)] * len(parts), parts, [day] * len(parts)))
    except BrokenProcessPool:  # killed (out of memory, most likely): nothing to report per record
        died = Problem(
            "（系统）",
            1,
            1,
            "",
            "检查用的进程意外退出（很可能是内存不够）",
            "a checking process died (most likely out of memory)",
            "用 --workers 0 重试（在本进程里逐个社区检查，内存最少）",
            "retry with --workers 0 (one community after another in one process)",
        )
        raise RecordsInvalid([died]) from None
    finally:
        pool.shutdown(cancel_futures=True)


def check_sharded(root: Path, as_of: dt.date, workers: int | None = None) -> Outcome:
    """`check --shards`: every community read and checked by a process of its own (`workers`
    at once, by default one per core; 0: one after another here), then the checks across
    communities on their light indexes, as `build --shards` does before building. No process
    reads every record. A community whose folder and settings are those of an earlier check
    that found no error, on an as-of day where that check comes out the same, is not read
    again: what that check found is kept (shards/checked.py). RecordsInvalid listing every
    error; the warnings otherwise."""
    if workers is not None and workers < 0:
        raise ValueError("--workers 应是 0 或正整数 (--workers must be 0 or more)")
    parts, day = communities(root), as_of.isoformat()
    digests = checked.digests(root, parts)
    found = {p: kept for p in parts if (kept := checked.kept(root, p, digests[p], as_of)) is not None}
    todo = [p for p in parts if p not in found]  # changed since the last check (or its result's days are over)
    for part, one in zip(todo, _read(root, todo, day, workers), strict=True):
        found[part] = one
    after = checked.digests(root, todo)  # a file saved while it was read: kept under neither
    for part in todo:
        if after[part] == digests[part]:
            checked.keep(root, part, digests[part], found[part])
    checked.forget_others(root, parts)
    results = [
        Part({}, problems, ids, config=config, public=public)
        for problems, ids, public, config, _ in (found[p] for p in parts)
    ]
    done = dict(zip(parts, results, strict=True))
    problems = merged(done) | set(links_leaving(root, only=PORTAL))  # the rest of _shared is the build's
    config = next((r.config for r in results if r.config is not None), None)
    if config is None and not _errors(problems, False):
        config = check(root, as_of).config  # no community at all: only the settings to read
    address = public_address(root, Site(config, as_of, ())) if config is not None else None
    if address is not None and address.severity == "error" and not _errors(problems, False):
        problems.add(address)  # a placeholder address: as check, only once the records are sound
    if _errors(problems, False):
        raise RecordsInvalid(sorted(problems))
    return Outcome(sorted(problems), sum(r.public for r in results), done)
