"""`gongkai new KIND`: a record with a fresh id, the as-of date and every required field empty.

Each empty field carries its description as a Chinese comment; the record is a draft and fails
the check until the blanks are filled, so nothing half-written is ever published.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.authoring.schema import SCHEMA_DIR, schema_name
from generator.reading.loading import parse, read_source
from generator.reading.validation import _unwrap
from generator.records import KINDS
from generator.records.common import Notice
from generator.records.community import Community, OrgKind

PREFIX = {"party": "dw", "residential": "jw", "finance": "cw", "legal": "pf"}
FOLDER = {"party": "dangwu", "residential": "juwu", "finance": "caiwu", "legal": "pufa"}
# Optional fields a notice needs to be published and printed well, or usually needs (votes of
# 审议 and 决议 steps, dates): shown in every scaffold.
ALSO_SHOWN = {"表决", "日期", "开始", "监督渠道", "监督电话", "意见箱", "民主理财小组"}
#: Optional lists left out of a new record: files, and what only some notices have.
NOT_SHOWN = {"附件", "照片", "联系方式", "落款", "原文说明", "核算", "分项", "不予名单", "成交结果"}
# Families whose notices are 公示 (displayed for a period, open to objection): their scaffolds
# carry a 公示期, filled in with the as-of date and the shortest period allowed.
PUBLICISED_FAMILIES = {"residential", "finance"}


def fresh_id(kind: type[Notice], year: int, taken: set[str]) -> str:
    """The next unused id of the form 2024-dw-014 for this family and year."""
    stem = f"{year}-{PREFIX[kind.family]}-"
    numbers = [int(m.group(1)) for i in taken if (m := re.fullmatch(re.escape(stem) + r"(\d+)", i))]
    return f"{stem}{max(numbers, default=0) + 1:03d}"


def _submodel(field: FieldInfo) -> tuple[type[BaseModel] | None, bool]:
    inner = [c for c in _unwrap(field.annotation) if isinstance(c, type) and issubclass(c, BaseModel)]
    is_list = "list[" in str(field.annotation)
    return (inner[0] if inner else None), is_list


def _lines(model: type[BaseModel], indent: str, fixed: dict[str, Any]) -> list[str]:
    out = []
    for field in model.model_fields.values():
        key = field.alias or ""
        sub, is_list = _submodel(field)
        main_list = sub is not None and is_list and key not in NOT_SHOWN
        if not field.is_required() and key not in fixed and not main_list and key not in ALSO_SHOWN:
            continue
        doc = (field.description or "").replace("\n", " ")
        if key in fixed and not isinstance(fixed[key], dict):
            value = f" {fixed[key]}" if fixed[key] else ""
            out.append(f"{indent}{key}:{value}  # {doc}")
        elif sub is not None:
            out.append(f"{indent}{key}:  # {doc}")
            inner = _lines(sub, indent + ("    " if is_list else "  "), fixed.get(key) or {})
            if is_list and inner:
                inner[0] = indent + "  - " + inner[0].lstrip()
            out.extend(inner)
        elif is_list:
            out.append(f"{indent}{key}:  # {doc}（每项一行，以“- ”开头）")
            out.append(f"{indent}  -")
        else:
            out.append(f"{indent}{key}:  # {doc}")
    return out


def scaffold(kind_name: str, record_id: str, as_of: dt.date, org: str, schema_ref: str, days: int = 7) -> str:
    """The new record's text. `days`: the 公示期 to offer, for kinds that are 公示."""
    kind = KINDS[kind_name]
    fixed: dict[str, Any] = {
        "编号": record_id,
        "类型": kind_name,
        "发布单位": org,
        "发布日期": as_of.isoformat(),
        "状态": "草稿",
    }
    if kind.period_days is not None or kind.family in PUBLICISED_FAMILIES:
        fixed["公示期"] = {"开始": as_of.isoformat(), "天数": str(days)}
    head = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"# {kind_name}：{' '.join((kind.__doc__ or '').split())}",
        "# 填好每个空着的字段后，把 状态 改为 已发布。",
    ]
    return "\n".join(head + _lines(kind, "", fixed)) + "\n"


def new_record(root: Path, kind_name: str, community: str, as_of: dt.date, taken: set[str]) -> Path:
    """Write a new record file and return its path; refuses to overwrite."""
    kind = KINDS[kind_name]
    record_id = fresh_id(kind, as_of.year, taken)
    org, days = defaults_for(root, community, kind)
    folder = root / "site_data" / community / FOLDER[kind.family]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record_id}.yaml"
    ref = Path(os.path.relpath(root / SCHEMA_DIR / schema_name(kind_name), folder)).as_posix()
    with path.open("x", encoding="utf-8") as out:
        out.write(scaffold(kind_name, record_id, as_of, org, ref, days))
    return path


def taken_ids(data_dir: Path) -> set[str]:
    """Ids already used by any record file (read leniently: this must work on broken data too)."""
    found = set()
    for path in data_dir.rglob("*.y*ml"):
        text = path.read_text(encoding="utf-8", errors="replace")
        found.update(m.group(1) for m in re.finditer(r"^编号:\s*['\"]?([a-z0-9-]+)", text, re.M))
    return found


def _read(path: Path, root: Path) -> dict[str, Any]:
    """A settings file's raw values, or {} when it is missing or broken (the check reports that)."""
    if not path.is_file():
        return {}
    source = read_source(path, root)
    raw = parse(source)[0] if source.text is not None else None
    return raw.data if raw is not None and isinstance(raw.data, dict) else {}


def defaults_for(root: Path, community: str, kind: type[Notice]) -> tuple[str, int]:
    """The organisation a new notice of `kind` is issued by — a Party notice by the community's
    Party organisation, a residential one by a non-Party one, the rest by the 主办单位 — and the
    公示期 in days to offer (site.yaml's minimum for the kind, else its statutory one, else 7)."""
    described = _read(root / "site_data" / community / "community.yaml", root)
    orgs = [o for o in described.get("组织") or [] if isinstance(o, dict)]
    party = [o.get("编号", "") for o in orgs if o.get("类别") == OrgKind.PARTY]
    other = [o.get("编号", "") for o in orgs if o.get("类别") != OrgKind.PARTY]
    host = described.get("主办单位", "")
    if kind.family == "party":
        org = party[0] if party else host
    elif kind.family == "residential" and host in party:
        org = other[0] if other else host
    else:
        org = host
    minimum = (_read(root / "site_data" / "site.yaml", root).get("公示期最短天数") or {}).get(kind.kind_name)
    days = int(minimum) if isinstance(minimum, str) and minimum.isdigit() else (kind.period_days or 7)
    return (org if isinstance(org, str) else ""), days


def new_community(root: Path, cid: str) -> Path:
    """Write site_data/<cid>/community.yaml with every field to fill, and return its path."""
    folder = root / "site_data" / cid
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "community.yaml"
    head = ["# 社区（村）概况：填好每个空着的字段；“组织”每个组织一项（党组织、居委会或村委会、合作社等）。"]
    with path.open("x", encoding="utf-8") as out:
        out.write("\n".join(head + _lines(Community, "", {"编号": cid})) + "\n")
    return path
