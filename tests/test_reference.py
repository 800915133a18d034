"""The field reference page is generated from the record classes, with a checked example per kind."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import article, build_project, community_files
from generator.reading.loading import load_file
from generator.reading.validation import validate
from generator.records import KINDS
from generator.web.reference import EXAMPLES, field_rows


def test_reference_page_lists_every_field_of_every_kind(example_site):
    page = article(example_site / "reference" / "index.html")
    headings = [h.get_text(strip=True) for h in page.find_all("h2")]
    for name, cls in KINDS.items():
        assert any(h.startswith(name) for h in headings), name
        section = next(h for h in page.find_all("h2") if h.get_text(strip=True).startswith(name))
        table = section.find_next("table")
        listed = [code.get_text() for code in table.select("td:first-child code")]
        assert listed == [row["name"] for row in field_rows(cls)]
        assert "撤回原因" in listed and all(f.alias in listed for f in cls.model_fields.values())
        example = section.find_next("details")
        assert f"类型: {name}" in example.get_text()


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_has_an_example_that_passes_the_schema(kind):
    path = EXAMPLES / f"{kind}.yaml"
    raw, problem = load_file(path, EXAMPLES)
    assert problem is None
    record, problems = validate(raw, KINDS[kind])
    assert problems == [] and record is not None


def test_examples_pass_the_whole_checker_in_a_site(tmp_path):
    files = community_files("lijianglu", "漓江路社区")
    community = files["site_data/lijianglu/community.yaml"]
    extra = "".join(
        f"  - 编号: {oid}\n    名称: 组织{oid}\n    类别: 其他\n" for oid in ("hezuoshe", "fudaihui", "jianduwei")
    )
    files["site_data/lijianglu/community.yaml"] = community.replace("主办单位:", extra + "主办单位:")
    for kind in KINDS:
        files[f"site_data/lijianglu/{kind}.yaml"] = (EXAMPLES / f"{kind}.yaml").read_text(encoding="utf-8")
    site = build_project(tmp_path, files, as_of=dt.date(2024, 11, 28))
    assert len(list((site / "lijianglu").glob("*/example-*/index.html"))) == len(KINDS)
