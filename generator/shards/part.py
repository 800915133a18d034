"""One part of a sharded build: a community read, checked, built and read back on its own, in a
Dask worker; what it sends back to the client."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from generator.engine.builds import build_site, engine_site_url
from generator.errors import BuildFailed, Problem, RecordsInvalid
from generator.gate.scan import files_under, gate
from generator.paper.printshop import print_site
from generator.reading.reader import read_site
from generator.reading.site import CommunityData, Site
from generator.records.community import SiteConfig
from generator.shards.inputs import inputs_digest


@dataclass
class Part:
    """What one part sends back: its published files (none when it had an error), its records'
    problems, the light index of its ids, and what the portal shows of it."""

    files: dict[str, bytes]
    problems: list[Problem]
    ids: list[tuple[str, str, int, int]]
    summary: CommunityData | None = None
    config: SiteConfig | None = None
    public: int = 0


def files_of(folder: Path) -> dict[str, bytes]:
    return {dest: path.read_bytes() for dest, path in files_under(folder)}


def summary(site: Site, data: CommunityData) -> CommunityData:
    """The community as the portal sees it: its settings, what is under notice, the latest."""
    keep = {id(e) for e in [*site.under_notice(data), *data.public[: site.config.latest_count]]}
    return replace(data, entries=tuple(e for e in data.entries if id(e) in keep), catalogue_raw=None)


def build_part(root: str, part: str, as_of: str, digest: str, site_url: str | None = None) -> Part:
    """One community: read and check its records alone, build its site and read it back (the
    gate, against its own records). Runs in a Dask worker. `site_url`: in place of mkdocs.yml's."""
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
    printed = print_site(site, project / "templates", project, site_url or engine_site_url(project))
    with tempfile.TemporaryDirectory(prefix="gongkai-shard-") as tmp:
        out = Path(tmp) / "out"
        build_site(project, out, as_of, prepared=(site, printed), shard=part, site_url=site_url)
        leaks = gate(site, {"site": out})
        if leaks:
            return Part({}, [*site.warnings, *leaks], ids)
        files = files_of(out)
    return Part(files, list(site.warnings), ids, summary(site, data), site.config, len(data.public))
