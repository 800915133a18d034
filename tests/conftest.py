"""Fixtures: throwaway projects made from dicts of files, and the example site built once."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import build

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_AS_OF = dt.date(2024, 11, 28)

COMMUNITY = """\
编号: {cid}
名称: {name}
街道: 天桥街道
区县: 召陵区
人口: 1000
组织:
  - 编号: juweihui
    名称: {name}居民委员会
    类别: 居委会
    监督电话: 0395-1234567
    意见箱: 服务大厅门口
  - 编号: dangwei
    名称: 中共{name}委员会
    类别: 党组织
    监督电话: 0395-7654321
主办单位: juweihui
"""

SITE = "网站名称: 测试街道公开网\n备案号: 豫ICP备00000000号-1\n示例网站: 是\n"


def meeting(rid: str, title: str, date: str = "2024-05-10", **extra: str) -> str:
    """A valid 党务会议 record; `extra` adds or replaces top-level fields."""
    fields = {
        "编号": rid,
        "类型": "党务会议",
        "标题": title,
        "发布单位": "dangwei",
        "发布日期": date,
        "状态": "已发布",
        "会议类型": "支部委员会",
        "会议日期": date,
        "应到": "7",
        "实到": "6",
    }
    fields.update(extra)
    body = "".join(f"{k}: {v}\n" for k, v in fields.items())
    return body + "议题:\n  - 学习党章\n"


def write_files(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def make_project(root: Path, files: dict[str, str], *, example: bool = False) -> Path:
    """A project folder with our mkdocs.yml and templates, and the given site_data files."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "content").mkdir(exist_ok=True)
    if example:
        shutil.copytree(ROOT / "site_data", root / "site_data")
    write_files(root, files)
    return root


def community_files(cid: str = "ceshi", name: str = "测试社区") -> dict[str, str]:
    return {"site_data/site.yaml": SITE, f"site_data/{cid}/community.yaml": COMMUNITY.format(cid=cid, name=name)}


def build_project(root: Path, files: dict[str, str], as_of: dt.date = EXAMPLE_AS_OF) -> Path:
    make_project(root, files)
    build(root, as_of, root / "site")
    return root / "site"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(path: Path) -> BeautifulSoup:
    """The page's main content, without theme chrome (nav, header, footer)."""
    node = soup(path).find("article")
    assert node is not None, f"no <article> in {path}"
    return node


@pytest.fixture(scope="session", autouse=True)
def shared_print_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """One PDF cache for the session: PDFs are content-addressed, so sharing is safe and fast."""
    os.environ["GONGKAI_CACHE"] = str(tmp_path_factory.mktemp("print-cache"))


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project built once for the whole session, as of EXAMPLE_AS_OF."""
    root = tmp_path_factory.mktemp("example")
    make_project(root, {}, example=True)
    build(root, EXAMPLE_AS_OF, root / "site")
    return root / "site"
