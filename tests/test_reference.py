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


SETTINGS = {"网站设置": "site.yaml", "社区概况": "community.yaml", "公开目录": "catalogue.yaml", "展板": "展板.yaml"}


def test_reference_page_documents_the_settings_files(example_site):
    from generator.records.board import Board
    from generator.records.community import Catalogue, Community, SiteConfig

    page = article(example_site / "reference" / "index.html")
    classes = {"网站设置": SiteConfig, "社区概况": Community, "公开目录": Catalogue, "展板": Board}
    for name, cls in classes.items():
        section = next(h for h in page.find_all("h2") if h.get_text(strip=True) == f"{name}（设置文件）")
        listed = [code.get_text() for code in section.find_next("table").select("td:first-child code")]
        assert listed == [row["name"] for row in field_rows(cls)]
        assert (
            section.find_next("details")
            .get_text()
            .strip()
            .endswith((EXAMPLES / "settings" / SETTINGS[name]).read_text(encoding="utf-8").strip().splitlines()[-1])
        )


def test_settings_examples_pass_the_checker(tmp_path):
    """The examples shown for the settings files are a valid project together."""
    settings = EXAMPLES / "settings"
    files = {
        "site_data/site.yaml": (settings / "site.yaml").read_text(encoding="utf-8"),
        "site_data/lijianglu/community.yaml": (settings / "community.yaml").read_text(encoding="utf-8"),
        "site_data/lijianglu/catalogue.yaml": (settings / "catalogue.yaml").read_text(encoding="utf-8"),
        "site_data/lijianglu/boards/board.yaml": (settings / "展板.yaml").read_text(encoding="utf-8"),
    }
    from conftest import make_project
    from generator.reading.reader import read_site

    make_project(tmp_path, files)
    site = read_site(tmp_path, dt.date(2024, 11, 28))
    assert [b.board.id for c in site.communities for b in c.boards] == ["2024q4-gongkailan"]
    assert site.config.name == "天桥街道党务居务公开网"
