"""JSON Schemas for editors (yaml-language-server and the like), one per record kind."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from generator.records import KINDS
from generator.records.board import Board
from generator.records.community import Catalogue, Community, SiteConfig

SCHEMA_DIR = "schemas"
EXTRA = {"展板": Board, "社区概况": Community, "公开目录": Catalogue, "网站设置": SiteConfig}


def schema_name(kind: str) -> str:
    return f"{kind}.schema.json"


def schemas() -> dict[str, str]:
    """File name → JSON text, for every kind and for the community, catalogue and site files."""
    models: dict[str, type[BaseModel]] = {**KINDS, **EXTRA}
    out = {}
    for name, model in models.items():
        schema = model.model_json_schema(by_alias=True)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = name
        out[schema_name(name)] = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return out


def write_schemas(root: Path) -> list[Path]:
    """Write every schema under root/schemas/; return the paths written."""
    folder = root / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    written = []
    for name, text in schemas().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
