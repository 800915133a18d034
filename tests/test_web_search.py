"""Search finds what residents type: 低保 finds the 最低生活保障 list, 党费 the dues notice before the
party's other notices, a payee or a line amount the statement that paid it, pasted text at once."""

from __future__ import annotations

import json

import pytest
from browsing import chromium, open_search, phone, results, serving

from conftest import build_project, community_files, meeting

BENEFITS = """\
编号: s-jw-1
类型: 救助名单
标题: 关于2024年第四季度城市最低生活保障新增对象的公示
发布单位: juweihui
发布日期: 2024-11-24
状态: 已发布
公示期: {开始: 2024-11-24, 结束: 2024-11-30}
项目: 城市最低生活保障
名单:
  - 姓名: 周素珍
    家庭人口: 1
    金额: 586.00
    理由: 年老无劳动能力
"""
DUES = """\
编号: s-dw-dues
类型: 党费收缴
标题: 关于2024年第三季度党费收缴情况的公示
发布单位: dangwei
发布日期: 2024-10-09
状态: 已发布
期间开始: 2024-07-01
期间结束: 2024-09-30
明细:
  - 支部: 第一党支部
    应缴人数: 34
    实缴人数: 34
    金额: 1632.00
合计金额: 1632.00
"""
STATEMENT = """\
编号: s-cw-{n}
类型: 收支公开
标题: 关于2024年第{q}季度居务收支情况的公示
发布单位: juweihui
发布日期: 2024-{m:02d}-10
状态: 已发布
账户: 行政账
周期: 季度
期间开始: 2024-{m:02d}-01
期间结束: 2024-{m:02d}-28
期初余额: 1000.00
收入:
  - 日期: 2024-{m:02d}-02
    来源: 街道拨付工作经费
    金额: 5000.00
    凭证号: 记-{n}01
支出:
  - 日期: 2024-{m:02d}-05
    类别: 办公费
    收款方: {payee}
    金额: {amount}
    凭证号: 记-{n}02
    审批人: 居委会主任
期末余额: {closing}
"""


def _files() -> dict[str, str]:
    files = community_files()
    files["site_data/ceshi/juwu/benefits.yaml"] = BENEFITS
    files["site_data/ceshi/dangwu/dues.yaml"] = DUES
    party = ["社区党委书记讲党课", "第一党支部召开党员大会", "社区党委开展主题党日活动", "党员志愿服务队清扫楼道"]
    for i, title in enumerate(party):
        files[f"site_data/ceshi/dangwu/{i}.yaml"] = meeting(f"s-dw-{i}", title, 正文="会议提醒党员按时交纳党费。")
    files["site_data/ceshi/dangwu/dibao.yaml"] = meeting(
        "s-dw-9", "支部委员会会议", 正文="会议讨论了低保入户核查的分工。"
    )
    files["site_data/ceshi/caiwu/a.yaml"] = STATEMENT.format(
        n=1, q=2, m=5, payee="漯河市召陵区惠民超市", amount="956.30", closing="5043.70"
    )
    files["site_data/ceshi/caiwu/b.yaml"] = STATEMENT.format(
        n=2, q=3, m=8, payee="国网漯河供电公司", amount="1236.48", closing="4763.52"
    )
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_project(tmp_path_factory.mktemp("search"), _files())


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("低保", "ceshi/residential/s-jw-1/"),  # its title says 最低生活保障; a meeting says 低保 in passing
        ("党费", "ceshi/party/s-dw-dues/"),  # four notices say 党 in their titles and 党费 in their text
        ("惠民超市", "ceshi/finance/s-cw-1/"),  # a payee, part of its full name
        ("956.30", "ceshi/finance/s-cw-1/"),  # a line amount as printed
        ("1236.48", "ceshi/finance/s-cw-2/"),  # a line amount typed without the thousands comma
    ],
)
def test_what_residents_type_puts_the_right_notice_first(browser, site, query: str, first: str):
    with serving(site) as url, phone(browser) as page:
        page.goto(url + "ceshi/")
        open_search(page)
        page.locator("input.md-search__input").fill(query)  # an input event, no key released
        found = results(page)
        assert found[0] == url + first, found[:5]


def test_pasted_text_is_searched_without_another_key(browser, site):
    with serving(site) as url, phone(browser) as page:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
        page.goto(url + "ceshi/")
        page.evaluate("navigator.clipboard.writeText('最低生活保障')")
        open_search(page)
        page.locator("input.md-search__input").focus()
        page.keyboard.press("Control+V")
        assert page.locator("input.md-search__input").input_value() == "最低生活保障"
        assert results(page)[0] == url + "ceshi/residential/s-jw-1/"


def _tags(site, location: str) -> list[str]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return next(d.get("tags", []) for d in index["docs"] if d["location"] == location)


def test_charts_and_line_tables_stay_out_of_result_text(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("ceshi/finance/s-cw-1/"))
    assert "季度" in text  # the headings and text are read
    assert "支出分类（元）" not in text and "收入来源（元）" not in text  # the charts are not
    assert "记-102" not in text and "惠民超市" not in text and "956.30" not in text  # nor the tables
    assert {"漯河市召陵区惠民超市", "惠民", "956.30"} <= set(_tags(site, "ceshi/finance/s-cw-1/"))


def test_synonyms_come_from_site_yaml_and_replace_the_defaults(tmp_path):
    files = community_files()
    files["site_data/site.yaml"] += "同义词:\n  - [慰问, 送温暖]\n"
    files["site_data/ceshi/dangwu/a.yaml"] = meeting("w-1", "春节送温暖活动")
    files["site_data/ceshi/juwu/b.yaml"] = BENEFITS.replace("s-jw-1", "w-2")
    site = build_project(tmp_path, files)
    assert {"慰问", "送温暖"} <= set(_tags(site, "ceshi/party/w-1/"))
    assert "低保" not in _tags(site, "ceshi/residential/w-2/")  # the default groups are replaced


def test_a_list_of_people_is_never_found_by_a_name(site):
    assert "周素珍" not in json.dumps(_tags(site, "ceshi/residential/s-jw-1/"), ensure_ascii=False)
    assert "低保" in _tags(site, "ceshi/residential/s-jw-1/")
