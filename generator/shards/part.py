"""One part of a sharded build: a community read, checked, built and read back on its own, in a
Dask worker; what it sends back to the client."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.engine.builds import build_site, engine_site_url
from generator.errors import BuildFailed, Problem, RecordsInvalid
from generator.gate.scan import files_under, gate, public_numbers, withheld_names
from generator.gate.texts import cache_folder
from generator.paper.printshop import print_site
from generator.reading.checks import Indexed
from generator.reading.numbers import Found
from generator.reading.reader import read_site
from generator.reading.site import CommunityData, Site
from generator.records.community import SiteConfig
from generator.shards.inputs import KINDS, part_inputs

TOKEN = "token"  # in the client's build folder: the worker's proof that it sees that folder


@dataclass
class Part:
    """What one part sends back: its published files (none when it had an error, or when it put
    them into the client's folder itself: `dropped`), its records' problems, the light index of
    its ids, what the portal shows of it, and the withheld names and public numbers the portal is
    checked against."""

    files: dict[str, bytes]
    problems: list[Problem]
    ids: list[Indexed]
    summary: CommunityData | None = None
    config: SiteConfig | None = None
    public: int = 0
    names: dict[str, str] = field(default_factory=dict)
    numbers: set[Found] = field(default_factory=set)
    dropped: bool = False


def _drop(drop: tuple[str, str] | None) -> Path | None:
    """The client's build folder, when this worker sees it: the same disk (the local cluster, or
    a folder shared with the cluster), known by the token the client wrote there. Elsewhere (a
    worker on another machine) the files go back to the client as bytes."""
    if drop is None:
        return None
    folder = Path(drop[0])
    try:
        seen = (folder / TOKEN).read_text(encoding="utf-8") == drop[1]
    except (OSError, UnicodeDecodeError):
        return None
    return folder if seen and os.access(folder, os.W_OK) else None  # a read-only share: bytes


def files_of(folder: Path) -> dict[str, bytes]:
    return {dest: path.read_bytes() for dest, path in files_under(folder)}


def summary(site: Site, data: CommunityData) -> CommunityData:
    """The community as the portal sees it: its settings, what is under notice, the latest."""
    keep = {id(e) for e in [*site.under_notice(data), *data.public[: site.config.latest_count]]}
    return replace(data, entries=tuple(e for e in data.entries if id(e) in keep), catalogue_raw=None)


def result(site: Site, ids: list[Indexed], files: dict[str, bytes]) -> Part:
    """A community read and built without errors, as the client needs it."""
    data = site.communities[0]
    found = summary(site, data)
    names, numbers = withheld_names(site), public_numbers(site)
    return Part(files, list(site.warnings), ids, found, site.config, len(data.public), names, numbers)


def build_part(
    root: str,
    part: str,
    as_of: str,
    inputs: dict[str, str],
    site_url: str | None = None,
    strict: bool = False,
    drop: tuple[str, str] | None = None,
) -> Part:
    """One community: read and check its records alone, build its site and read it back (the
    gate, against its own records). Runs in a Dask worker. `inputs`: the part's inputs as the
    client saw them (inputs.part_inputs). `site_url`: in place of mkdocs.yml's. `strict`:
    mkdocs' warnings fail it. `drop`: the client's build folder and the token it wrote there:
    where this worker sees it, a sound part's site is moved into its site/<part>/ (one rename,
    nothing sent back or held: a community's PDFs run to hundreds of megabytes)."""
    project, day = Path(root), dt.date.fromisoformat(as_of)
    if not (project / "mkdocs.yml").is_file() or not (project / "site_data").is_dir():
        kinds = [("项目不存在", "it is missing")]
    elif not isinstance(inputs, dict):  # a client of an older Gongkai sent one digest
        kinds = [("Gongkai 版本不同", "differs in Gongkai's version")]
    else:
        here = part_inputs(project, [part], day, site_url)[part]
        kinds = [(f"{zh}不同", f"differs in {en}") for k, (zh, en) in KINDS.items() if here.get(k) != inputs.get(k)]
    if kinds:
        raise BuildFailed(
            f"计算节点上的项目 {root}（社区 {part}）与本机不一致：{'、'.join(zh for zh, _ in kinds)}。请在每个节点上"
            f"检出同一版本并用 ./dev.sh 安装 (the project at {root}, community {part}, on a worker:"
            f" {'; '.join(en for _, en in kinds)}; check out the same commit and install with ./dev.sh on every worker)"
        )
    ids: list[Indexed] = []
    try:
        site = read_site(project, day, only=part, ids=ids)
    except RecordsInvalid as exc:
        return Part({}, exc.problems, ids)
    if not site.communities:  # a folder without records or community.yaml: nothing to publish
        return Part({}, list(site.warnings), ids, config=site.config)
    printed = print_site(site, project / "templates", project, site_url or engine_site_url(project))
    into = _drop(drop)
    try:
        scratch = tempfile.TemporaryDirectory(prefix="gongkai-shard-", dir=into)
    except OSError:  # seen, but not writable after all: the files go back as bytes
        into, scratch = None, tempfile.TemporaryDirectory(prefix="gongkai-shard-")
    with scratch as tmp:
        out = Path(tmp) / "out"
        try:
            build_site(project, out, as_of, strict, prepared=(site, printed), shard=part, site_url=site_url)
        except BuildFailed as exc:  # mkdocs logged why (in the worker); said here too
            refused = engine_refused(f"site_data/{part}", (f"社区 {part} 的网站", f"the site of {part}"), exc)
            return Part({}, [*site.warnings, refused], ids)
        leaks = gate(site, {"site": out}, cache=cache_folder(project))
        if leaks:
            return Part({}, [*site.warnings, *leaks], ids)
        if into is not None:
            target = into / "site" / part
            try:
                if target.exists():  # a run of this part whose worker died before the client heard
                    shutil.rmtree(target)  # of it: the same inputs, the same site
                out.rename(target)
                return replace(result(site, ids, {}), dropped=True)
            except OSError:
                pass  # sent as bytes instead
        return result(site, ids, files_of(out))


def engine_refused(file: str, what: tuple[str, str], exc: BuildFailed) -> Problem:
    """mkdocs refused to build `what` (a community's site, or the portal; in Chinese and
    English): it has logged why."""
    return Problem(
        file,
        1,
        1,
        "",
        f"网站生成程序（mkdocs）拒绝生成{what[0]}：{exc}",
        f"the site engine (mkdocs) refused to build {what[1]}: {exc}",
        "按上面的提示改正；--strict 时 mkdocs 的警告也会拒绝",
        "fix what it names; with --strict its warnings refuse too",
    )
