"""site_data/ → a checked Site, or one RecordsInvalid listing every problem in every file."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generator.errors import Problem, RecordsInvalid
from generator.reading.board_checks import check_boards
from generator.reading.checks import Indexed, check_site, id_index
from generator.reading.checks_notices import check_notices
from generator.reading.drafts import as_draft, is_draft
from generator.reading.hints import organisation_hints
from generator.reading.kept import Shelves
from generator.reading.loading import RawFile, find_yaml, parse, read_source
from generator.reading.privacy import scan
from generator.reading.site import BoardEntry, CommunityData, Entry, Site
from generator.reading.validation import validate_all
from generator.records import KINDS
from generator.records.board import Board
from generator.records.community import Catalogue, Community, SiteConfig

SITE_FILE = "site.yaml"
COMMUNITY_FILE = "community.yaml"
CATALOGUE_FILE = "catalogue.yaml"


def _kind_of(raw: RawFile) -> tuple[type | None, Problem | None]:
    if not isinstance(raw.data, dict):
        return None, Problem(
            raw.path,
            1,
            1,
            "",
            "文件内容应是若干“字段: 值”",
            "the file must be a mapping of fields",
            "参照同类记录的格式",
            "copy the layout of a record of the same kind",
        )
    kind = raw.data.get("类型")
    if kind is not None and not isinstance(kind, str):
        line, col = raw.where(("类型",))
        return None, Problem(
            raw.path,
            line,
            col,
            "类型",
            "这里应是一段文字",
            "expected text",
            "写成一行文字",
            "write it as one line of text",
        )
    if kind == Board.kind_name:
        return Board, None
    if kind in KINDS:
        return KINDS[kind], None
    line, col = raw.where(("类型",))
    names = "、".join([*KINDS, Board.kind_name])
    if kind is None:
        return None, Problem(
            raw.path,
            line,
            col,
            "类型",
            "缺少“类型”",
            "missing 类型 (kind)",
            f"加一行 类型: …，可选：{names}",
            f"add 类型, one of: {', '.join(KINDS)}",
        )
    close = difflib.get_close_matches(str(kind), list(KINDS), n=1, cutoff=0.3)
    hint = f"是不是想写“{close[0]}”？" if close else f"可选：{names}"
    hint_en = f"did you mean '{close[0]}'?" if close else f"one of: {', '.join(KINDS)}"
    return None, Problem(raw.path, line, col, "类型", f"不认识的类型“{kind}”", f"unknown kind '{kind}'", hint, hint_en)


def _typed(raw: RawFile, model: type, problems: list[Problem]):
    record, found, _ = validate_all(raw, model)
    problems.extend(found)
    return record


def _misplaced(raw: RawFile) -> Problem:
    return Problem(
        raw.path,
        1,
        1,
        "",
        "记录文件要放在社区目录里",
        "records belong in a community folder",
        "移到 site_data/<社区编号>/ 下面",
        "move it under site_data/<community id>/",
    )


def _assemble(
    config: SiteConfig,
    as_of: dt.date,
    communities: dict[str, Community],
    catalogues: dict[str, tuple[Catalogue, RawFile]],
    entries: list[Entry],
    boards: list[BoardEntry],
) -> Site:
    by_community: dict[str, list[Entry]] = {}
    for e in entries:
        by_community.setdefault(e.community, []).append(e)
    data = []
    for cid in sorted(communities):
        catalogue, catalogue_raw = catalogues.get(cid, (None, None))
        panels = tuple(sorted((b for b in boards if b.community == cid), key=lambda b: b.board.id))
        data.append(CommunityData(communities[cid], catalogue, tuple(by_community.get(cid, [])), catalogue_raw, panels))
    return Site(config, as_of, tuple(data), {e.notice.id: e for e in entries})


@dataclass(frozen=True)
class Loaded:
    """One file read, parsed, scanned and typed: what it is, its value, and its own problems
    (those found without looking at any other file)."""

    parts: tuple[str, ...]  # the path under site_data/, split
    role: str  # site, community, catalogue, board or notice
    value: Any  # the typed record, or None when the file has errors
    raw: RawFile | None
    problems: tuple[Problem, ...]
    partial: Any = None  # a notice with errors: built from the fields that parsed, for the cross checks
    draft: bool = False  # 状态: 草稿 — its problems are warnings: a draft is never published


def read_file(path: Path, root: Path, base: Path, data: bytes | None = None) -> Loaded:
    """Everything about one file that depends on that file alone (so it can be cached)."""
    parts = path.relative_to(base).parts
    if parts == (SITE_FILE,):
        role = "site"
    elif parts[1:] == (COMMUNITY_FILE,):
        role = "community"
    elif parts[1:] == (CATALOGUE_FILE,):
        role = "catalogue"
    else:
        role = "notice"  # or a board: its 类型 says
    problems: list[Problem] = []
    source = read_source(path, root, data)
    if source.text is None:
        return Loaded(parts, role, None, None, (source.problem,))  # type: ignore[arg-type]
    raw, problem = parse(source)
    problems.extend(scan(source.path, source.text, raw))
    draft = is_draft(raw.data if raw is not None else None, source.text)
    if raw is None:
        return Loaded(parts, role, None, None, as_draft((*problems, problem), draft), draft=draft)  # type: ignore[arg-type]
    value = partial = None
    if role == "site":
        value = _typed(raw, SiteConfig, problems)
    elif len(parts) == 1:
        problems.append(_misplaced(raw))
    elif role == "community":
        value = _typed(raw, Community, problems)
        if value is not None and value.id != parts[0]:
            line, col = raw.where(("编号",))
            problems.append(
                Problem(
                    raw.path,
                    line,
                    col,
                    "编号",
                    f"社区编号“{value.id}”与目录名“{parts[0]}”不同",
                    f"community id '{value.id}' differs from its folder '{parts[0]}'",
                    f"把编号改为 {parts[0]}，或把目录改名为 {value.id}",
                    "make the id and the folder name the same",
                )
            )
            value = None
    elif role == "catalogue":
        value = _typed(raw, Catalogue, problems)
    else:
        model, problem = _kind_of(raw)
        if problem is not None:
            problems.append(problem)
        else:
            role = "board" if model is Board else "notice"
            value, found, partial = validate_all(raw, model)  # type: ignore[arg-type]
            problems.extend(found)
    return Loaded(parts, role, value, raw, as_draft(problems, draft), partial if role == "notice" else None, draft)


def _by_file(problems: list[Problem]) -> dict[str, list[Problem]]:
    found: dict[str, list[Problem]] = {}
    for p in problems:
        found.setdefault(p.file, []).append(p)
    return found


class ReadCache:
    """The live preview's memory of every file it has read: a file whose bytes are unchanged is
    not parsed, scanned or typed again. Checks across files still run on every read."""

    def __init__(self) -> None:
        self.files: dict[Path, tuple[bytes, Loaded]] = {}
        self.seen: set[Path] = set()
        self.last: tuple[Site, list[Indexed]] | None = None  # the last read, if it had no errors, and its ids

    def load(self, path: Path, root: Path, base: Path) -> Loaded:
        data = path.read_bytes()
        self.seen.add(path)
        known = self.files.get(path)
        if known is not None and known[0] == data:
            return known[1]
        loaded = read_file(path, root, base, data)
        self.files[path] = (data, loaded)
        return loaded

    def forget_unseen(self) -> None:
        """Drop files that were deleted since the last read."""
        self.files = {p: v for p, v in self.files.items() if p in self.seen}
        self.seen = set()


def read_site(
    root: Path,
    as_of: dt.date,
    data_dir: str = "site_data",
    cache: ReadCache | None = None,
    only: str | None = None,
    ids: list[Indexed] | None = None,
) -> Site:
    """Load, type and check every file under `root/data_dir`; raise RecordsInvalid on any problem.
    `cache`: the live preview's, so that unchanged files are not parsed again (without it, what
    each file gave is kept on disk: reading/kept.py). `only`: read the
    site's settings and this community alone (a sharded build's part: the checks across
    communities run on the parts' light indexes, see generator/shards.py). `ids`: filled with
    that index (id, file, line, column, draft? of every record with an id), even when problems are raised."""
    if cache is not None:
        cache.last = None  # the previous read's site is not held while this one reads
    problems: list[Problem] = []
    config: SiteConfig | None = None
    communities: dict[str, Community] = {}
    catalogues: dict[str, tuple[Catalogue, RawFile]] = {}
    entries: list[Entry] = []
    boards: list[BoardEntry] = []
    described: set[str] = set()  # community folders with a community.yaml, valid or not
    base = root / data_dir
    if not base.is_dir():
        raise RecordsInvalid(
            [
                Problem(
                    data_dir,
                    1,
                    1,
                    "",
                    f"找不到数据目录 {data_dir}/",
                    f"no {data_dir}/ folder",
                    "在项目根目录下运行",
                    "run in the project root",
                )
            ]
        )
    partials: list[Entry] = []  # notices with errors, as far as they parsed: for the cross checks
    drafts: set[str] = set()
    reads = cache if cache is not None else Shelves(root, base, read_file)  # kept on disk between runs
    for path in find_yaml(base, only):
        loaded = reads.load(path, root, base)
        problems.extend(loaded.problems)
        parts, value = loaded.parts, loaded.value
        if loaded.role == "community":
            described.add(parts[0])
        if loaded.draft and loaded.raw is not None:
            drafts.add(loaded.raw.path)
        if value is None:
            if loaded.partial is not None and len(parts) > 1:
                partials.append(Entry(loaded.partial, parts[0], loaded.raw))  # type: ignore[arg-type]
            continue
        if loaded.role == "site":
            config = value
        elif loaded.role == "community":
            communities[parts[0]] = value
        elif loaded.role == "catalogue":
            catalogues[parts[0]] = (value, loaded.raw)
        elif loaded.role == "board":
            boards.append(BoardEntry(value, parts[0], loaded.raw))
        else:
            entries.append(Entry(value, parts[0], loaded.raw))
    if isinstance(reads, Shelves):
        reads.save(whole=only is None)
    else:
        reads.forget_unseen()
    if config is None and not any(p.file.endswith(SITE_FILE) for p in problems):
        problems.append(
            Problem(
                f"{data_dir}/{SITE_FILE}",
                1,
                1,
                "",
                "缺少网站设置文件 site.yaml",
                "missing site.yaml",
                "新建 site_data/site.yaml，至少写 网站名称: …",
                "create site_data/site.yaml with 网站名称",
            )
        )
    # With a broken site.yaml its problems are reported; the other checks still run on defaults.
    settings = config or SiteConfig.model_validate({"网站名称": "（site.yaml 有误）"})
    site = _assemble(settings, as_of, communities, catalogues, entries, boards)
    crossed = [
        *check_site(site, entries, base, root, described, partials, only),
        *check_boards(site, boards),
        *check_notices(entries),
    ]
    problems.extend(p for f, ps in _by_file(crossed).items() for p in as_draft(ps, f in drafts))
    problems = organisation_hints(problems, communities, data_dir)
    if ids is None and cache is not None:
        ids = []  # kept with the site (ReadCache.last): the sharded preview's index of the community
    if ids is not None:
        ids += id_index(entries, drafts) + id_index([p for p in partials if hasattr(p.notice, "id")], drafts, True)
    if any(p.severity == "error" for p in problems):
        raise RecordsInvalid(sorted(problems))
    # Checked: the raw text and its positions are no longer needed (they are most of the memory).
    thin = [replace(e, raw=replace(e.raw, data=None, marks={}, key_marks={})) for e in entries]
    site = replace(_assemble(settings, as_of, communities, catalogues, thin, boards), warnings=tuple(sorted(problems)))
    if cache is not None:
        cache.last = (site, ids or [])
    return site
