"""The field reference, generated from the record classes so it cannot drift from them."""

from __future__ import annotations

import datetime as dt
import typing
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.reading.validation import _unwrap
from generator.records import FAMILIES
from generator.records.common import Notice

EXAMPLES = Path(__file__).parents[1] / "records" / "examples"


def _type_label(annotation: Any) -> str:
    args = _unwrap(annotation)
    labels = []
    for arg in args:
        if arg is type(None):
            continue
        if typing.get_origin(arg) is typing.Literal:
            values = typing.get_args(arg)
            labels.append(("可选：" if len(values) > 1 else "固定值：") + "、".join(map(str, values)))
        elif isinstance(arg, type) and issubclass(arg, Enum):
            labels.append("可选：" + "、".join(str(m.value) for m in arg))
        elif arg is dt.date:
            labels.append("日期 YYYY-MM-DD")
        elif arg is Decimal:
            labels.append("数字（金额以元计，最多两位小数）")
        elif arg is int:
            labels.append("整数")
        elif isinstance(arg, type) and issubclass(arg, str):
            labels.append(getattr(arg, "label", "文字"))  # Approx, Moment say what they take
        elif isinstance(arg, type) and issubclass(arg, BaseModel):
            labels.append("见下方子字段")
    is_list = typing.get_origin(annotation) is list or any(
        typing.get_origin(a) is list for a in typing.get_args(annotation)
    )
    label = "；".join(dict.fromkeys(labels))
    return f"列表（{label}）" if is_list else label


def field_rows(model: type[BaseModel], prefix: str = "") -> list[dict[str, Any]]:
    """One row per field, nested models flattened as 收入[].金额."""
    rows = []
    for f in model.model_fields.values():
        name = f"{prefix}{f.alias}"
        rows.append(
            {"name": name, "required": f.is_required(), "type": _type_label(f.annotation), "doc": f.description or ""}
        )
        for inner in _unwrap(f.annotation):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                is_list = "列表" in rows[-1]["type"]
                rows.extend(field_rows(inner, f"{name}[]." if is_list else f"{name}."))
    return rows


def example_for(kind_name: str) -> str:
    """The example record for a kind, from generator/records/examples/ (tested to pass the checker)."""
    path = EXAMPLES / f"{kind_name}.yaml"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def reference_context(kinds: dict[str, type[Notice]]) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "family": "居务公开 / 村务公开" if cls.family == "residential" else FAMILIES[cls.family],
            "doc": (cls.__doc__ or "").strip(),
            "fields": field_rows(cls),
            "example": example_for(name),
        }
        for name, cls in kinds.items()
    ]


def settings_context() -> list[dict[str, Any]]:
    """The files that are not notices — the site's and each community's settings, the catalogue,
    boards — documented like the kinds, from their classes, each with a checked example."""
    from generator.records.board import Board
    from generator.records.community import Catalogue, Community, SiteConfig

    files = (
        ("网站设置", "site_data/site.yaml", SiteConfig, "site.yaml"),
        ("社区概况", "site_data/<社区编号>/community.yaml", Community, "community.yaml"),
        ("公开目录", "site_data/<社区编号>/catalogue.yaml", Catalogue, "catalogue.yaml"),
        ("展板", "site_data/<社区编号>/ 下任意 .yaml 文件，写 类型: 展板", Board, "展板.yaml"),
    )
    return [
        {
            "name": name,
            "where": where,
            "doc": (cls.__doc__ or "").strip(),
            "fields": field_rows(cls),
            "example": (EXAMPLES / "settings" / example).read_text(encoding="utf-8"),
        }
        for name, where, cls, example in files
    ]
