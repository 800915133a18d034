"""`gongkai new` scaffolds that fail until filled and pass once filled; schemas that cannot drift."""

from __future__ import annotations

import json

import pytest
import yaml

from conftest import ROOT, community_files, make_project
from generator.authoring.schema import schemas
from generator.cli import main
from generator.records import KINDS
from generator.web.reference import EXAMPLES

AS_OF = ["--as-of", "2024-11-28"]


def _fill(node, example):
    """Fill every blank in the scaffold with the value the kind's example record has there."""
    if node in (None, "") or example is None:
        return example
    if isinstance(node, dict):
        return {k: _fill(v, example.get(k)) for k, v in node.items()}
    if isinstance(node, list):
        return [_fill(node[0], item) for item in example]  # the scaffold's one row, as many times as needed
    return node


@pytest.mark.parametrize("kind", list(KINDS))
def test_new_record_fails_until_filled_then_passes(tmp_path, kind, capsys):
    make_project(tmp_path, community_files())
    assert main(["new", kind, "--root", str(tmp_path), *AS_OF]) == 0
    created = capsys.readouterr().out
    path = next((tmp_path / "site_data" / "ceshi").rglob("2024-*.yaml"))
    assert path.relative_to(tmp_path).as_posix() in created
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/")
    assert "状态: 草稿" in text and "发布日期: 2024-11-28" in text
    assert main(["check", "--root", str(tmp_path), *AS_OF]) == 0  # a draft never stops the site…
    assert "不能为空（草稿，不发布）" in capsys.readouterr().err  # …but its blanks are reported
    assert main(["check", "--strict", "--root", str(tmp_path), *AS_OF]) == 1
    capsys.readouterr()

    scaffold = yaml.load(text, Loader=yaml.BaseLoader)
    example = yaml.load((EXAMPLES / f"{kind}.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    filled = _fill(scaffold, example)
    if "公示期" in example:  # the example may give 结束 where the scaffold offers 天数
        filled["公示期"] = example["公示期"]
    assert filled["发布单位"] == ("dangwei" if KINDS[kind].family == "party" else "juweihui")
    filled = {k: v for k, v in filled.items() if v is not None}  # optional blocks left empty
    filled["状态"] = "已发布"
    path.write_text(yaml.safe_dump(filled, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["check", "--root", str(tmp_path), *AS_OF]) == 0, capsys.readouterr().err
    assert "不能为空" not in capsys.readouterr().err


def test_new_gives_fresh_ids(tmp_path, capsys):
    make_project(tmp_path, community_files())
    for _ in range(2):
        assert main(["new", "党务会议", "--root", str(tmp_path), *AS_OF]) == 0
    names = sorted(p.name for p in (tmp_path / "site_data/ceshi/dangwu").iterdir())
    assert names == ["2024-dw-001.yaml", "2024-dw-002.yaml"]


def test_new_needs_a_known_kind(tmp_path, capsys):
    make_project(tmp_path, community_files())
    assert main(["new", "会议", "--root", str(tmp_path), *AS_OF]) == 2
    assert "请写记录类型，可选：党务会议" in capsys.readouterr().err


def test_committed_schemas_match_the_record_classes():
    expected = schemas()
    committed = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "schemas").glob("*.json")}
    assert committed == expected, "run `gongkai schema` and commit the result"


def test_schema_describes_fields_in_chinese():
    schema = json.loads(schemas()["收支公开.schema.json"])
    assert schema["additionalProperties"] is False
    assert "期末余额" in schema["required"]
    assert schema["properties"]["期末余额"]["description"].startswith("期末余额（元）")
