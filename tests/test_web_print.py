"""Printing a page from the browser: A4, the content alone, and tables keep their rules."""

from __future__ import annotations

import io
import unicodedata

import pypdfium2 as pdfium
import pytest
from browsing import chromium, serving
from pypdf import PdfReader

from conftest import build_project, community_files

STATEMENT = """\
编号: p-cw-1
类型: 收支公开
标题: 关于2024年第三季度居务收支情况的公示
发布单位: juweihui
发布日期: 2024-10-10
状态: 已发布
标签: [收支公开]
账户: 行政账
周期: 季度
期间开始: 2024-07-01
期间结束: 2024-09-30
期初余额: 1000.00
收入:
  - 日期: 2024-07-02
    来源: 街道拨付工作经费
    金额: 5000.00
    凭证号: 记-001
支出:
{lines}期末余额: {closing}
"""
LINE = """\
  - 日期: 2024-07-{day:02d}
    类别: 办公费
    收款方: 漯河市召陵区文华办公用品商行
    摘要: A4打印纸、墨盒
    金额: 100.00
    凭证号: 记-1{day:02d}
    审批人: 居委会主任
"""


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> bytes:
    """The statement's page as Chromium prints it (print media, the page's own @page size)."""
    files = community_files()
    lines = "".join(LINE.format(day=d) for d in range(1, 9))
    files["site_data/ceshi/caiwu/a.yaml"] = STATEMENT.format(lines=lines, closing="5200.00")
    site = build_project(tmp_path_factory.mktemp("print"), files)
    with serving(site) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})  # printed from a phone
        page.goto(url + "ceshi/finance/p-cw-1/")
        return page.pdf(prefer_css_page_size=True, print_background=True)


def test_prints_on_a4_without_the_sites_controls(printed):
    reader = PdfReader(io.BytesIO(printed))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in reader.pages))
    assert "关于2024年第三季度居务收支情况的公示" in text and "漯河市召陵区文华办公用品商行" in text
    for chrome in ("下载 A4 公示", "大字", "搜索", "标签", "开放数据"):
        assert chrome not in text


def _vertical_rules(image) -> int:
    """Columns of pixels dark along one long run: the vertical rules of a table."""
    gray = image.convert("L")
    width, height = gray.size
    pixels = gray.load()
    rules, last = 0, -10
    for x in range(width):
        run = best = 0
        for y in range(height):
            run = run + 1 if pixels[x, y] < 110 else 0
            best = max(best, run)
        if best > height // 6 and x - last > 3:  # a new rule, not the next pixel of the same one
            rules += 1
        if best > height // 6:
            last = x
    return rules


def test_tables_keep_their_rules_in_print(printed):
    pdf = pdfium.PdfDocument(printed)
    rules = max(_vertical_rules(pdf[i].render(scale=1.5).to_pil()) for i in range(len(pdf)))
    assert rules >= 8  # the expense table: seven columns, eight rules (cards would have two)
