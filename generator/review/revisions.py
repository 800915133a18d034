"""The records as they were at a git revision (or are in the working tree), typed, keyed by id.

One `git ls-tree` and one `git cat-file --batch` read every file; a file that cannot be read or
typed is kept as "unreadable" with its first problem, never dropped and never a crash.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pydantic import BaseModel

from generator.errors import Problem
from generator.reading.loading import RawFile, Source, find_yaml, git_blob_id, parse
from generator.reading.validation import validate
from generator.records import KINDS
from generator.records.board import Board
from generator.records.community import Catalogue, Community, SiteConfig

DATA_DIR = "site_data"
# file name → (model, what to call it, how deep under site_data/ it lives)
_SETTINGS = {
    "site.yaml": (SiteConfig, "网站设置", 1),
    "community.yaml": (Community, "社区概况", 2),
    "catalogue.yaml": (Catalogue, "公开目录", 2),
}


class RevisionNotFound(ValueError):
    """git could not read the records at a revision (cli.py reports ValueErrors as usage errors)."""


# ---------------------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class RecordVersion:
    """One record file at one revision: typed, or the problems that stopped it."""

    key: str  # the 编号 of a notice or board; the file's path for settings and id-less files
    path: str  # relative to the project root
    kind: str  # 类型, or 网站设置 / 社区概况 / 公开目录
    record: BaseModel | None
    raw: RawFile | None
    problems: tuple[Problem, ...] = ()

    @property
    def title(self) -> str:
        return str(getattr(self.record, "title", None) or getattr(self.record, "name", None) or self.path)


def _git(root: Path, rev: str, args: list[str], data: bytes | None = None) -> bytes:
    done = subprocess.run(["git", *args], cwd=root, input=data, capture_output=True, check=False)
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip()
        raise RevisionNotFound(f"无法读取 git 版本 {rev}：{said} (cannot read git revision {rev})")
    return done.stdout


def _git_files(root: Path, rev: str, data_dir: str) -> list[tuple[str, bytes]]:
    """(path, bytes) of every YAML file under data_dir at `rev`, read in one `cat-file --batch`."""
    listing = _git(root, rev, ["ls-tree", "-r", "-z", rev, "--", data_dir])
    blobs = []
    for line in filter(None, listing.split(b"\0")):
        meta, path = line.split(b"\t", 1)
        if meta.split()[1] == b"blob" and path.endswith((b".yaml", b".yml")):
            blobs.append((path.decode("utf-8"), meta.split()[2]))
    out = _git(root, rev, ["cat-file", "--batch"], b"\n".join(s for _, s in blobs) + b"\n")
    files, at = [], 0
    for path, _ in blobs:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        files.append((path, out[header_end + 1 : header_end + 1 + size]))
        at = header_end + 1 + size + 1
    return files


def _tree_files(root: Path, data_dir: str) -> list[tuple[str, bytes]]:
    base = root / data_dir
    paths = find_yaml(base) if base.is_dir() else []
    return [(p.relative_to(root).as_posix(), p.read_bytes()) for p in paths]


def _broken(key: str, path: str, problems: list[Problem], raw: RawFile | None = None) -> RecordVersion:
    return RecordVersion(key, path, "", None, raw, tuple(sorted(problems)))


def _decoded(path: str, data: bytes) -> Source | Problem:
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return Problem(path, 1, 1, "", "文件不是 UTF-8 编码", "the file is not UTF-8", "另存为 UTF-8", "save as UTF-8")
    return Source(path, text, git_blob_id(data))


def _model(raw: RawFile, parts: tuple[str, ...]) -> tuple[type[BaseModel] | None, str]:
    setting = _SETTINGS.get(parts[-1])
    if setting and len(parts) == setting[2]:
        return setting[0], setting[1]
    kind = raw.value(("类型",))
    if kind == Board.kind_name:
        return Board, Board.kind_name
    return (KINDS[kind], kind) if isinstance(kind, str) and kind in KINDS else (None, str(kind or ""))


def _version(path: str, data: bytes, data_dir: str) -> RecordVersion:
    source = _decoded(path, data)
    if isinstance(source, Problem):
        return _broken(path, path, [source])
    raw, problem = parse(source)
    if raw is None:
        return _broken(path, path, [problem] if problem else [])
    written_id = raw.value(("编号",)) if isinstance(raw.data, dict) else None
    model, kind = _model(raw, PurePosixPath(path).relative_to(data_dir).parts)
    key = written_id if model not in (SiteConfig, Community, Catalogue) and isinstance(written_id, str) else path
    if model is None:
        zh, en = f"不认识的类型“{kind}”", f"unknown kind '{kind}'"
        return _broken(key, path, [Problem(path, *raw.where(("类型",)), "类型", zh, en)], raw)
    record, problems = validate(raw, model)
    if record is None:
        return _broken(key, path, problems, raw)
    return RecordVersion(key, path, kind, record, raw)


def records_at(root: Path, rev: str | None = None, data_dir: str = DATA_DIR) -> dict[str, RecordVersion]:
    """Every record under `data_dir` at git revision `rev` (None: the working tree), keyed and sorted
    by id. A file that cannot be read or typed is kept with its problems; nothing raises but git."""
    files = _git_files(root, rev, data_dir) if rev else _tree_files(root, data_dir)
    found: dict[str, RecordVersion] = {}
    for path, data in sorted(files):
        version = _version(path, data, data_dir)
        if version.key in found:  # the checker reports duplicate ids; here the second is unreadable
            zh, en = f"编号 {version.key} 与 {found[version.key].path} 重复", f"id {version.key} is used twice"
            version = _broken(path, path, [Problem(path, 1, 1, "编号", zh, en)])
        found[version.key] = version
    return dict(sorted(found.items()))
