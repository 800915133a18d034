"""Review: what a change to the records means for the public, between two git revisions.

`records_at` (revisions.py) reads site_data/ at a revision or the working tree; `diff_records`
compares two such sets field by field; words.py puts the result into words; commands.py runs
`gongkai diff` and `check --since`. Everything is
sorted by id and no clock, locale or hash order is consulted, so identical input gives identical
bytes. Nothing here prints.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import typing
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from generator.errors import Problem
from generator.records.common import Period, Status
from generator.records.finance import Statement
from generator.records.types import Money
from generator.review.revisions import RecordVersion

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
