"""Review: what a change to the records means for the public, between two git revisions.

`records_at` reads site_data/ at a revision (or the working tree) into typed records keyed by id;
`diff_records` compares two such sets field by field; `to_text`, `to_markdown` and `to_json` put
the result into words. Everything is sorted by id and no clock, locale or hash order is consulted,
so identical input gives identical bytes. Nothing here prints.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import subprocess
import typing
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from enum import Enum
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel

from generator.errors import Problem
from generator.loading import RawFile, Source, find_yaml, git_blob_id, parse
from generator.records import KINDS
from generator.records.board import Board
from generator.records.common import Period, Status
from generator.records.community import Catalogue, Community, SiteConfig
from generator.records.finance import Statement
from generator.records.types import Money
from generator.validation import validate

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


# ---------------------------------------------------------------------------------------- comparing


class Yuan(Decimal):
    """An amount of money, so that it is written 1,250.00 元 (the models' Money fields)."""


@dataclass(frozen=True)
class FieldChange:
    """One field or list row: old or new is None when it was added or removed."""

    field: str  # Chinese field path, e.g. 支出[3].金额 or 名单[王五]
    loc: tuple[str | int, ...]  # where to point in the newer file
    old: Any = None
    new: Any = None


@dataclass(frozen=True)
class LineCount:
    """A statement's 收入 or 支出 lines: how many were added, removed, changed; the totals."""

    section: str
    added: int
    removed: int
    changed: int
    total_old: Decimal | None  # None: the statement is new
    total_new: Decimal | None  # None: the statement was removed


@dataclass(frozen=True)
class PeriodChange:
    old_start: dt.date | None
    old_end: dt.date | None
    new_start: dt.date | None
    new_end: dt.date | None


@dataclass(frozen=True)
class Change:
    """What happened to one record between the two revisions."""

    key: str
    kind: str
    title: str
    file: str
    change: str  # added, removed, changed
    status: str = ""  # 状态 on the newer side
    renamed_from: str | None = None
    withdrawn: str | None = None  # 撤回原因, when this change withdraws the notice
    published: bool = False  # 草稿 → 已发布
    corrects: str | None = None  # the notice this one (newly) corrects
    period: PeriodChange | None = None
    lines: tuple[LineCount, ...] = ()
    names_added: tuple[str, ...] = ()
    names_removed: tuple[str, ...] = ()
    fields: tuple[FieldChange, ...] = ()
    needs_note: bool = False  # a published notice's amounts or rows changed without 更正说明
    was_published: bool = False


@dataclass(frozen=True)
class Diff:
    changes: tuple[Change, ...]
    unreadable: tuple[Problem, ...]  # the first problem of each file that cannot be read (newer side)
    old_rev: str | None = None  # None: the working tree
    new_rev: str | None = None


_MONEY_MARK = typing.get_args(Money)[1]  # the validator that makes a Decimal field Money


def _is_money(info: Any) -> bool:
    return _MONEY_MARK in info.metadata or Money in typing.get_args(info.annotation)


def _plain(value: Any, money: bool = False) -> Any:
    if isinstance(value, BaseModel):
        fields = type(value).model_fields.items()
        # Every field, absent ones as None: both sides list them in the model's order.
        return {info.alias or name: _plain(getattr(value, name), _is_money(info)) for name, info in fields}
    if isinstance(value, list):
        return [_plain(v, money) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v, money) for k, v in sorted(value.items())}
    if isinstance(value, Enum):
        return value.value
    return Yuan(value) if money and isinstance(value, Decimal) else value


def _row(label: str, index: int) -> str:
    return f"{label}[{index + 1}]"  # counted from 1, as in the checker's messages


def _compare(a: Any, b: Any, label: str, loc: tuple[str | int, ...]) -> list[FieldChange]:
    """Field by field; lists row by row (an absent list is an empty one, so its rows count)."""
    if a == b:
        return []
    if isinstance(a, dict) and isinstance(b, dict):
        keys = [*a, *(k for k in b if k not in a)]
        return [c for k in keys for c in _compare(a.get(k), b.get(k), f"{label}.{k}" if label else k, (*loc, k))]
    if isinstance(a, list | None) and isinstance(b, list | None):
        a, b = a or [], b or []
        return _named_rows(a, b, label, loc) if _by_name(a, b) else _rows(a, b, label, loc)
    return [FieldChange(label, loc, a, b)]


def _by_name(a: list[Any], b: list[Any]) -> bool:
    """Lists of people (名单, 人员) are compared by 姓名 when every name is there and unique."""
    for rows in (a, b):
        names = [r.get("姓名") if isinstance(r, dict) else None for r in rows]
        if None in names or len(set(names)) != len(names):
            return False
    return bool(a or b)


def _named_rows(a: list[Any], b: list[Any], label: str, loc: tuple[str | int, ...]) -> list[FieldChange]:
    old = {r["姓名"]: r for r in a}
    new_at = {r["姓名"]: i for i, r in enumerate(b)}
    out = [c for n, i in new_at.items() for c in _compare(old.get(n), b[i], f"{label}[{n}]", (*loc, i))]
    return out + [FieldChange(f"{label}[{n}]", loc, r, None) for n, r in old.items() if n not in new_at]


def _rows(a: list[Any], b: list[Any], label: str, loc: tuple[str | int, ...]) -> list[FieldChange]:
    """Rows aligned like lines in a text diff, so an inserted row does not shift every other."""
    keys = [[json.dumps(r, default=str, sort_keys=True, ensure_ascii=False) for r in rows] for rows in (a, b)]
    out: list[FieldChange] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, *keys, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        paired = min(i2 - i1, j2 - j1)
        for k in range(paired):
            out += _compare(a[i1 + k], b[j1 + k], _row(label, j1 + k), (*loc, j1 + k))
        out += [FieldChange(_row(label, j), (*loc, j), None, b[j]) for j in range(j1 + paired, j2)]
        out += [FieldChange(_row(label, i), loc, a[i], None) for i in range(i1 + paired, i2)]
    return out


def _period(a: Any, b: Any) -> PeriodChange | None:
    """A notice's 公示期 moved, added or removed (a board's 期间 is an ordinary field)."""
    old = (a.start, a.last_day) if isinstance(a, Period) else (None, None)
    new = (b.start, b.last_day) if isinstance(b, Period) else (None, None)
    return PeriodChange(*old, *new) if old != new else None


def _lines(a: Any, b: Any, fields: list[FieldChange]) -> tuple[LineCount, ...]:
    """For statements: 收入 and 支出 lines added, removed and changed, and the totals."""
    if not isinstance(a or b, Statement):
        return ()
    out = []
    for section, attr in (("收入", "income"), ("支出", "expenses")):
        rows = [getattr(s, attr) if s else None for s in (a, b)]
        totals = [Yuan(sum((x.amount for x in r), Decimal("0.00"))) if r is not None else None for r in rows]
        if a is None or b is None:
            counts = (len(rows[1] or ()), len(rows[0] or ()), 0)
        else:
            mine = [f for f in fields if f.field.startswith(section + "[")]
            whole = [f for f in mine if "." not in f.field]
            added = sum(f.old is None for f in whole)
            counts = (added, len(whole) - added, len({f.field.split(".")[0] for f in mine if "." in f.field}))
        if any(counts) or totals[0] != totals[1]:
            out.append(LineCount(section, *counts, *totals))
    return tuple(out)


def _names(a: Any, b: Any, fields: list[FieldChange]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """For lists of people (救助名单): who was added and who removed, by 姓名."""
    if not getattr(type(a or b), "personal", False):
        return (), ()
    if a is None or b is None:
        names = tuple(p.name for p in (a or b).people)
        return (names, ()) if a is None else ((), names)
    rows = [f for f in fields if f.field.startswith("名单[") and "." not in f.field]
    return tuple(f.new["姓名"] for f in rows if f.old is None), tuple(f.old["姓名"] for f in rows if f.new is None)


def _has_money(value: Any) -> bool:
    if isinstance(value, dict | list):
        return any(map(_has_money, value.values() if isinstance(value, dict) else value))
    return isinstance(value, Yuan)


def _material(change: FieldChange) -> bool:
    """Needs a 更正说明 once published: money, or any list row (tags aside)."""
    money = _has_money(change.old) or _has_money(change.new)
    return money or ("[" in change.field and change.loc[:1] != ("标签",))


def _events(old: dict[str, Any], new: dict[str, Any]) -> tuple[str | None, bool, str | None, set[str]]:
    """(撤回原因 when withdrawn now, 草稿 → 已发布?, newly corrected id, fields they explain)."""
    withdrawn = new.get("状态") == Status.WITHDRAWN and old.get("状态") != Status.WITHDRAWN
    published = old.get("状态") == Status.DRAFT and new.get("状态") == Status.PUBLISHED
    corrects = new.get("更正") if new.get("更正") != old.get("更正") else None
    explained = {"公示期"} | ({"状态", "撤回原因"} if withdrawn else set()) | ({"状态"} if published else set())
    reason = new.get("撤回原因") if withdrawn else None
    return reason, published, corrects, explained | ({"更正"} if corrects else set())


def _edited(a: RecordVersion, b: RecordVersion) -> Change | None:
    old, new = _plain(a.record), _plain(b.record)
    withdrawn, published, corrects, explained = _events(old, new)
    fields = _compare(*({k: v for k, v in d.items() if k not in explained} for d in (old, new)), "", ())
    period = _period(getattr(a.record, "period", None), getattr(b.record, "period", None))
    renamed = a.path if a.path != b.path else None
    if not (fields or period or renamed or withdrawn or published or corrects):
        return None
    was_published = old.get("状态") == Status.PUBLISHED
    noted = bool(new.get("更正说明")) and new.get("更正说明") != old.get("更正说明")
    needs = was_published and not noted and any(map(_material, fields))
    added, removed = _names(a.record, b.record, fields)
    return Change(
        b.key, b.kind, b.title, b.path, "changed", str(new.get("状态", "")), renamed_from=renamed,
        withdrawn=withdrawn, published=published, corrects=corrects, period=period,
        lines=_lines(a.record, b.record, fields), names_added=added, names_removed=removed,
        fields=tuple(fields), needs_note=needs, was_published=was_published,
    )  # fmt: skip


def _whole(a: RecordVersion | None, b: RecordVersion | None) -> Change:
    """A record added (a is None) or removed (b is None)."""
    v = b or a
    assert v is not None
    ra, rb = (a.record if a else None), (b.record if b else None)
    status = str(getattr(v.record, "status", "") or "")
    added, removed = _names(ra, rb, [])
    period = _period(getattr(ra, "period", None), getattr(rb, "period", None))
    return Change(
        v.key, v.kind, v.title, v.path, "added" if a is None else "removed", status,
        corrects=getattr(rb, "corrects", None), period=period, lines=_lines(ra, rb, []),
        names_added=added, names_removed=removed, was_published=b is None and status == Status.PUBLISHED,
    )  # fmt: skip


def diff_records(old: dict[str, RecordVersion], new: dict[str, RecordVersion]) -> Diff:
    """Every record added, removed or changed from `old` to `new`, sorted by id. A file that cannot
    be read in `new` is listed as unreadable (never as removed); one unreadable in `old` counts as new."""
    broken = {v.path for v in new.values() if v.record is None}
    changes = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        a = a if a is not None and a.record is not None else None
        if (b is not None and b.record is None) or (a is None and b is None) or (b is None and a.path in broken):
            continue
        change = _whole(a, b) if a is None or b is None else _edited(a, b)
        if change is not None:
            changes.append(change)
    unreadable = tuple(v.problems[0] for _, v in sorted(new.items()) if v.record is None and v.problems)
    return Diff(tuple(changes), unreadable)


def published_changes_without_note(old: dict[str, RecordVersion], new: dict[str, RecordVersion]) -> list[Problem]:
    """Amounts or list rows of a notice already 已发布 in `old` changed, and the record gained no
    new 更正说明 saying what changed and why: one Problem per notice, at the first such change."""
    problems = []
    for change in diff_records(old, new).changes:
        if not change.needs_note:
            continue
        material = [f for f in change.fields if _material(f)]
        raw = new[change.key].raw
        line, column = raw.where(material[0].loc) if raw else (1, 1)
        zh = "、".join(f.field for f in material[:3]) + (f" 等 {len(material)} 处" if len(material) > 3 else "")
        en = ", ".join(f.field for f in material[:3]) + (f" and {len(material) - 3} more" if len(material) > 3 else "")
        problems.append(
            Problem(
                change.file,
                line,
                column,
                material[0].field,
                f"已发布的通知改了金额或名单行（{zh}），但没有写更正说明",
                f"a published notice changed amounts or list rows ({en}) without a 更正说明 (change note)",
                "在记录里写明 更正说明：改了什么、为什么",
                "add 更正说明 to the record: what changed and why",
            )
        )
    return sorted(problems)


# ---------------------------------------------------------------------------------------- words

_WORDS = {
    "zh": {
        "title": "记录改动", "worktree": "工作区", "none": "记录没有改动。", "file": "文件：", "sep": "，",
        "added": "新增", "corrected": "更正", "published": "发布", "withdrawn": "撤回", "changed": "修改",
        "removed": "删除", "unreadable": "无法解析", "count": "{n} 条", "yuan": "{v} 元", "colon": "：",
        "renamed": "文件改名：{a} → {b}", "status": "状态：{s}", "reason": "撤回原因：{r}",
        "gone": "文件已删除，网站上不再有这条通知",
        "gone_published": "；已发布的通知应改为“已撤回”并写明撤回原因，而不是删除",
        "made_public": "由草稿改为已发布，将在网站上公开", "corrects": "更正 {id}（两条通知互相链接）",
        "period_new": "公示期 {s} 至 {e}", "period_gone": "取消公示期（原为 {s} 至 {e}）",
        "start": "公示开始日期 {a} → {b}",
        "longer": "公示期延长至 {d}（结束日期 {a} → {b}）", "shorter": "公示期缩短至 {d}（结束日期 {a} → {b}）",
        "rows": "{s} {n} 笔，合计 {t}", "plus": "+{n} 笔", "minus": "−{n} 笔", "edited": "改 {n} 笔",
        "total": "合计 {d}（{a} → {b}）", "same_total": "合计不变（{t}）", "people_added": "新增 {n} 户：{names}",
        "people_removed": "删除 {n} 户：{names}", "list": "名单 ", "and": "、", "semi": "；",
        "field_added": "{f}：新增 {v}", "field_removed": "{f}：删除（原为 {v}）", "field": "{f}：{a} → {b}",
        "delta": "（{d}）", "text_lines": "{f}：改了 {n} 行",
        "needs_note": "⚠ 已发布的通知改了金额或名单行，但没有写“更正说明”：请写明改了什么、为什么",
    },
    "en": {
        "title": "Changes to the records", "worktree": "working tree", "none": "No changes to the records.",
        "file": "file: ", "sep": ", ", "added": "added", "corrected": "correction", "published": "published",
        "withdrawn": "withdrawn", "changed": "changed", "removed": "removed", "unreadable": "cannot be read",
        "count": "{n}", "yuan": "{v} yuan", "colon": ": ", "renamed": "file renamed: {a} → {b}",
        "status": "status: {s}", "reason": "withdrawn because: {r}", "gone": "file deleted: the notice leaves the site",
        "gone_published": "; a published notice should be marked 已撤回 with a reason instead",
        "made_public": "draft → published: it will appear on the site", "corrects": "corrects {id} (linked both ways)",
        "period_new": "公示期 {s} to {e}", "period_gone": "公示期 removed (was {s} to {e})",
        "start": "公示期 start {a} → {b}",
        "longer": "公示期 extended to {d} (end {a} → {b})", "shorter": "公示期 shortened to {d} (end {a} → {b})",
        "rows": "{s}: {n} line(s), total {t}", "plus": "+{n} line(s)", "minus": "−{n} line(s)", "edited": "{n} changed",
        "total": "total {d} ({a} → {b})", "same_total": "total unchanged ({t})", "people_added": "added {n}: {names}",
        "people_removed": "removed {n}: {names}", "list": "名单 (list): ", "and": ", ", "semi": "; ",
        "field_added": "{f}: added {v}", "field_removed": "{f}: removed (was {v})", "field": "{f}: {a} → {b}",
        "delta": " ({d})", "text_lines": "{f}: {n} line(s) changed",
        "needs_note": "warning: a published notice changed amounts or list rows without a 更正说明 (change note)",
    },
}  # fmt: skip

_ORDER = ("added", "corrected", "published", "withdrawn", "changed", "removed")


def _verb(c: Change) -> str:
    if c.withdrawn:
        return "withdrawn"
    if c.change == "added" and c.corrects:
        return "corrected"
    return "published" if c.published else c.change


def _money(v: Decimal, w: dict[str, str], signed: bool = False) -> str:
    sign = ("+" if v >= 0 else "−") if signed else ("-" if v < 0 else "")
    return w["yuan"].format(v=f"{sign}{abs(v):,.2f}")


def _fmt(v: Any, w: dict[str, str]) -> str:
    if isinstance(v, Yuan):
        return _money(v, w)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dict):
        return w["sep"].join(f"{k} {_fmt(x, w)}" for k, x in v.items() if x is not None and x != [])
    if isinstance(v, list):
        return w["and"].join(_fmt(x, w) for x in v)
    return str(v)


def _day(d: dt.date, lang: str, with_year: bool) -> str:
    """9月15日 (2025年1月3日 across a year end); ISO in English. No strftime: it follows the locale."""
    if lang == "en":
        return d.isoformat()
    return (f"{d.year}年" if with_year else "") + f"{d.month}月{d.day}日"


def _period_words(p: PeriodChange, w: dict[str, str], lang: str) -> str:
    if p.old_start is None or p.old_end is None:
        return w["period_new"].format(s=p.new_start, e=p.new_end)
    if p.new_start is None or p.new_end is None:
        return w["period_gone"].format(s=p.old_start, e=p.old_end)
    parts = [w["start"].format(a=p.old_start, b=p.new_start)] if p.old_start != p.new_start else []
    if p.old_end != p.new_end:
        day = _day(p.new_end, lang, with_year=p.new_end.year != p.old_end.year)
        parts.append(w["longer" if p.new_end > p.old_end else "shorter"].format(d=day, a=p.old_end, b=p.new_end))
    return w["semi"].join(parts)


def _line_words(n: LineCount, w: dict[str, str]) -> str:
    if n.total_old is None or n.total_new is None:
        count, total = (n.added, n.total_new) if n.total_old is None else (n.removed, n.total_old)
        return w["rows"].format(s=n.section, n=count, t=_money(total or Decimal(0), w))
    parts = [w[k].format(n=x) for k, x in (("plus", n.added), ("minus", n.removed), ("edited", n.changed)) if x]
    if n.total_old == n.total_new:
        parts.append(w["same_total"].format(t=_money(n.total_new, w)))
    else:
        delta = _money(n.total_new - n.total_old, w, signed=True)
        parts.append(w["total"].format(d=delta, a=_money(n.total_old, w), b=_money(n.total_new, w)))
    return f"{n.section} " + w["sep"].join(parts)


def _field_words(f: FieldChange, w: dict[str, str]) -> tuple[str, list[str]]:
    """A sentence, and for multi-line text the changed lines (- old, + new)."""
    if any(isinstance(x, str) and "\n" in x for x in (f.old, f.new)):
        diff = difflib.unified_diff(str(f.old or "").splitlines(), str(f.new or "").splitlines(), lineterm="", n=0)
        lines = [d for d in diff if d[:1] in "+-" and not d.startswith(("+++", "---"))]
        return w["text_lines"].format(
            f=f.field, n=max(sum(d[0] == "+" for d in lines), sum(d[0] == "-" for d in lines))
        ), lines
    if f.old is None:
        return w["field_added"].format(f=f.field, v=_fmt(f.new, w)), []
    if f.new is None:
        return w["field_removed"].format(f=f.field, v=_fmt(f.old, w)), []
    text = w["field"].format(f=f.field, a=_fmt(f.old, w), b=_fmt(f.new, w))
    if isinstance(f.old, Yuan) and isinstance(f.new, Yuan):
        text += w["delta"].format(d=_money(f.new - f.old, w, signed=True))
    return text, []


def _sentences(c: Change, lang: str) -> list[tuple[str, list[str]]]:
    w = _WORDS[lang]
    out = [w["renamed"].format(a=c.renamed_from, b=c.file)] if c.renamed_from else []
    out += [w["status"].format(s=c.status)] if c.change == "added" and c.status else []
    out += [w["gone"] + (w["gone_published"] if c.was_published else "")] if c.change == "removed" else []
    out += [w["reason"].format(r=c.withdrawn)] if c.withdrawn else []
    out += [w["made_public"]] if c.published else []
    out += [w["corrects"].format(id=c.corrects)] if c.corrects else []
    out += [_period_words(c.period, w, lang)] if c.period else []
    out += [_line_words(n, w) for n in c.lines]
    people = [
        w[k].format(n=len(v), names=w["and"].join(v))
        for k, v in (("people_added", c.names_added), ("people_removed", c.names_removed))
        if v
    ]
    out += [w["list"] + w["semi"].join(people)] if people else []
    return (
        [(s, []) for s in out]
        + [_field_words(f, w) for f in c.fields]
        + ([(w["needs_note"], [])] if c.needs_note else [])
    )


def _summary(diff: Diff, lang: str) -> str:
    w = _WORDS[lang]
    counts = {v: sum(_verb(c) == v for c in diff.changes) for v in _ORDER}
    counts["unreadable"] = len(diff.unreadable)
    parts = [f"{w[k]} {w['count'].format(n=n)}" if lang == "zh" else f"{n} {w[k]}" for k, n in counts.items() if n]
    return w["sep"].join(parts) if parts else w["none"]


def _heading(c: Change, lang: str) -> str:
    w = _WORDS[lang]
    verb = f"【{w[_verb(c)]}】" if lang == "zh" else f"[{w[_verb(c)]}] "
    ident = "" if c.key == c.file else f"{c.key} "  # settings files are known by their path, shown below
    return f"{verb}{ident}{c.kind}{w['colon']}{c.title}"


def _revs(diff: Diff, lang: str, quote: str = "") -> str:
    names = [f"{quote}{r}{quote}" if r else _WORDS[lang]["worktree"] for r in (diff.old_rev, diff.new_rev)]
    return " → ".join(names)


def to_text(diff: Diff, lang: str = "zh") -> str:
    """The diff for a terminal: a heading, a summary line, then one block per record."""
    w = _WORDS[lang]
    out = [f"{w['title']}{w['colon']}{_revs(diff, lang)}", _summary(diff, lang)]
    for c in diff.changes:
        out += ["", _heading(c, lang), f"  {w['file']}{c.file}"]
        for sentence, detail in _sentences(c, lang):
            out += [f"  · {sentence}", *(f"      {d}" for d in detail)]
    if diff.unreadable:
        out += ["", f"{w['unreadable']}{w['colon'].strip()}", *(f"  {p.format(lang)}" for p in diff.unreadable)]
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """Record text as literal Markdown: nothing in it becomes a link, emphasis, HTML or a new line."""
    return "".join("\\" + ch if ch in "\\`*_[]<>|#~" else ch for ch in text.replace("\n", " "))


def to_markdown(diff: Diff, lang: str = "zh") -> str:
    """The diff for a pull-request comment: heading, summary, one section per record, bullets."""
    w = _WORDS[lang]
    out = [f"## {w['title']}{w['colon']}{_revs(diff, lang, '`')}", "", _summary(diff, lang)]
    for c in diff.changes:
        out += ["", f"### {_md(_heading(c, lang))}", "", f"{w['file']}`{c.file}`", ""]
        for sentence, detail in _sentences(c, lang):
            out.append(f"- {_md(sentence)}")
            fence = "````" if any("```" in d for d in detail) else "```"
            out += ["", f"  {fence}diff", *(f"  {d}" for d in detail), f"  {fence}", ""] if detail else []
    if diff.unreadable:
        out += ["", f"### {w['unreadable']}", "", *(f"- {_md(p.format(lang))}" for p in diff.unreadable)]
    return "\n".join(out).replace("\n\n\n", "\n\n") + "\n"


def _json_value(v: Any) -> Any:
    if isinstance(v, Yuan):
        return f"{v:.2f}"
    if isinstance(v, (Decimal, dt.date)):
        return str(v)
    raise TypeError(type(v))


def _change_json(c: Change) -> dict[str, Any]:
    data = asdict(c)
    data["verb"] = _verb(c)
    data["fields"] = [{"field": f.field, "old": f.old, "new": f.new} for f in c.fields]
    return data


def to_json(diff: Diff) -> str:
    """The diff as JSON: keys sorted, amounts and dates as strings."""
    data = {
        "from": diff.old_rev,
        "to": diff.new_rev,
        "summary": {v: sum(_verb(c) == v for c in diff.changes) for v in _ORDER},
        "changes": [_change_json(c) for c in diff.changes],
        "unreadable": [asdict(p) for p in diff.unreadable],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=_json_value) + "\n"


# ---------------------------------------------------------------------------------------- commands


def run_diff(
    root: Path, rev_a: str | None = None, rev_b: str | None = None, fmt: str = "text", lang: str = "zh"
) -> str:
    """`gongkai diff [REV_A [REV_B]]`: REV_A defaults to HEAD, REV_B to the working tree."""
    old_rev = rev_a or "HEAD"
    diff = replace(diff_records(records_at(root, old_rev), records_at(root, rev_b)), old_rev=old_rev, new_rev=rev_b)
    if fmt == "json":
        return to_json(diff)
    return to_markdown(diff, lang) if fmt == "markdown" else to_text(diff, lang)


def check_since(root: Path, rev: str) -> list[Problem]:
    """`gongkai check --since REV`: published notices whose amounts or rows changed without a note."""
    return published_changes_without_note(records_at(root, rev), records_at(root, None))
