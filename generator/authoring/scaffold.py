"""`gongkai new KIND`: a record with a fresh id, the as-of date and every required field empty.

Each empty field carries its description as a Chinese comment; the record is a draft and fails
the check until the blanks are filled, so nothing half-written is ever published.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.authoring.schema import SCHEMA_DIR, schema_name
from generator.reading.validation import _unwrap
from generator.records import KINDS
from generator.records.common import Notice

PREFIX = {"party": "dw", "residential": "jw", "finance": "cw", "legal": "pf"}
FOLDER = {"party": "dangwu", "residential": "juwu", "finance": "caiwu", "legal": "pufa"}
ALSO_SHOWN = {"表决", "日期", "开始"}  # optional, but usually needed (votes of 审议 and 决议 steps, dates)
#: Optional lists left out of a new record: files, and what only some notices have.
NOT_SHOWN = {"附件", "照片", "联系方式", "落款", "原文说明", "核算", "分项", "不予名单", "成交结果"}


def fresh_id(kind: type[Notice], year: int, taken: set[str]) -> str:
    """The next unused id of the form 2024-dw-014 for this family and year."""
    stem = f"{year}-{PREFIX[kind.family]}-"
    numbers = [int(m.group(1)) for i in taken if (m := re.fullmatch(re.escape(stem) + r"(\d+)", i))]
    return f"{stem}{max(numbers, default=0) + 1:03d}"


def _submodel(field: FieldInfo) -> tuple[type[BaseModel] | None, bool]:
    inner = [c for c in _unwrap(field.annotation) if isinstance(c, type) and issubclass(c, BaseModel)]
    is_list = "list[" in str(field.annotation)
    return (inner[0] if inner else None), is_list


def _lines(model: type[BaseModel], indent: str, fixed: dict[str, str]) -> list[str]:
    out = []
    for field in model.model_fields.values():
        key = field.alias or ""
        sub, is_list = _submodel(field)
        main_list = sub is not None and is_list and key not in NOT_SHOWN
        if not field.is_required() and key not in fixed and not main_list and key not in ALSO_SHOWN:
            continue
        doc = (field.description or "").replace("\n", " ")
        if key in fixed and key != "公示期":
            value = f" {fixed[key]}" if fixed[key] else ""
            out.append(f"{indent}{key}:{value}  # {doc}")
        elif sub is not None:
            out.append(f"{indent}{key}:  # {doc}")
            inner = _lines(sub, indent + ("    " if is_list else "  "), {"天数": ""} if key == "公示期" else {})
            if is_list and inner:
                inner[0] = indent + "  - " + inner[0].lstrip()
            out.extend(inner)
        elif is_list:
            out.append(f"{indent}{key}:  # {doc}（每项一行，以“- ”开头）")
            out.append(f"{indent}  -")
        else:
            out.append(f"{indent}{key}:  # {doc}")
    return out


def scaffold(kind_name: str, record_id: str, as_of: dt.date, org: str, schema_ref: str) -> str:
    kind = KINDS[kind_name]
    fixed = {"编号": record_id, "类型": kind_name, "发布单位": org, "发布日期": as_of.isoformat(), "状态": "草稿"}
    if kind.period_days is not None:  # required for this kind
        fixed["公示期"] = ""
    head = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"# {kind_name}：{' '.join((kind.__doc__ or '').split())}",
        "# 填好每个空着的字段后，把 状态 改为 已发布。",
    ]
    return "\n".join(head + _lines(kind, "", fixed)) + "\n"


def new_record(root: Path, kind_name: str, community: str, as_of: dt.date, taken: set[str], org: str) -> Path:
    """Write a new record file and return its path; refuses to overwrite."""
    kind = KINDS[kind_name]
    record_id = fresh_id(kind, as_of.year, taken)
    folder = root / "site_data" / community / FOLDER[kind.family]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record_id}.yaml"
    ref = Path(os.path.relpath(root / SCHEMA_DIR / schema_name(kind_name), folder)).as_posix()
    with path.open("x", encoding="utf-8") as out:
        out.write(scaffold(kind_name, record_id, as_of, org, ref))
    return path


def taken_ids(data_dir: Path) -> set[str]:
    """Ids already used by any record file (read leniently: this must work on broken data too)."""
    found = set()
    for path in data_dir.rglob("*.y*ml"):
        text = path.read_text(encoding="utf-8", errors="replace")
        found.update(m.group(1) for m in re.finditer(r"^编号:\s*['\"]?([a-z0-9-]+)", text, re.M))
    return found
