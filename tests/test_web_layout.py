"""Readable on a phone, in normal and 大字 mode: no page scrolls sideways, charts fill their column
with text of at least 14 px (larger in 大字), key messages at body size, axe finds nothing."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from browsing import DESKTOP, chromium, open_search, phone, results, serving

from conftest import build_project, community_files, meeting

CATALOGUE = """\
目录:
  - 公开事项: 居务收支
    公开内容: 行政账收入、支出明细及余额，按笔列出日期、来源或收款方、金额、凭证号和审批人
    公开依据: 《中华人民共和国城市居民委员会组织法》第十七条；《漯河市村（居）务公开实施办法》第十二条
    公开时限: 每季度结束后15日内
    公开主体: 社区居民委员会
    公开渠道: 居务公开栏、公开网
    公开对象: 社会公众
    公开方式: 主动公开
"""
STATEMENT = """\
编号: l-cw-1
类型: 收支公开
标题: 关于2024年第三季度居务收支情况的公示（行政账）
发布单位: juweihui
发布日期: 2024-10-10
状态: 已发布
标签: [季度公开, 收支公开]
账户: 行政账
周期: 季度
期间开始: 2024-07-01
期间结束: 2024-09-30
期初余额: 1234567.89
收入:
  - 日期: 2024-07-02
    来源: 天桥街道拨付“民法典宣传月”和“三八”维权宣传周活动经费
    金额: 1091700.00
    凭证号: 记-2024-001
  - 日期: 2024-07-03
    来源: 银行存款利息
    金额: 13.27
    凭证号: 记-2024-002
支出:
  - 日期: 2024-07-05
    类别: 党群服务中心维修改造
    收款方: 漯河市召陵区鑫彩广告制作部
    摘要: 党群服务中心外墙和楼道维修改造
    金额: 1129000.00
    凭证号: 记-2024-003
    审批人: 居委会主任
期末余额: 1197281.16
"""
BENEFITS = """\
编号: l-jw-1
类型: 救助名单
标题: 关于2024年8月临时救助对象的公示
发布单位: juweihui
发布日期: 2024-08-01
状态: 已发布
公示期: {开始: 2024-08-01, 结束: 2024-08-07}
项目: 临时救助
名单:
  - 姓名: 吴春梅
    家庭人口: 3
    金额: 2000.00
    理由: 突发重病住院
"""
ELECTION = """\
编号: l-jw-2
类型: 选举公告
标题: 测试社区第二居民小组组长和居民代表补选公告
发布单位: juweihui
发布日期: 2024-11-25
状态: 已发布
公示期: {开始: 2024-11-25, 结束: 2024-12-10}
选举名称: 第二居民小组组长和居民代表补选
选举日期: 2024-12-10
地点: 社区党群服务中心二楼会议室
职位:
  - 职位: 居民小组长
    名额: 1
  - 职位: 居民代表
    名额: 2
"""
PAGES = [
    "ceshi/",
    "ceshi/finance/l-cw-1/",
    "ceshi/accounts/admin-juweihui/",
    "ceshi/residential/l-jw-1/",
    "ceshi/residential/l-jw-2/",
    "ceshi/party/l-dw-1/",
    "ceshi/catalogue/",
    "ceshi/guide/",
    "ceshi/request/",
    "ceshi/tags/收支公开/",
    "ceshi/subscribe/",
]


def _files() -> dict[str, str]:
    files = community_files()
    files["site_data/ceshi/catalogue.yaml"] = CATALOGUE
    files["site_data/ceshi/caiwu/a.yaml"] = STATEMENT
    files["site_data/ceshi/juwu/b.yaml"] = BENEFITS
    files["site_data/ceshi/juwu/c.yaml"] = ELECTION
    files["site_data/ceshi/dangwu/d.yaml"] = meeting("l-dw-1", "第一党支部召开支部委员会会议", "2024-05-10")
    files["site_data/ceshi/dangwu/e.yaml"] = meeting(
        "l-dw-2", "关于第一党支部支部委员会会议的更正", "2024-05-12", 更正="l-dw-1", 更正说明="实到人数应为6人。"
    )
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_project(tmp_path_factory.mktemp("layout"), _files())


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


MEASURE = """() => {
  const W = document.documentElement.clientWidth;
  const visible = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const small = [];
  for (const el of document.querySelectorAll('article *, .md-footer *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (own && visible(el) && !el.closest('svg') && parseFloat(getComputedStyle(el).fontSize) < 14)
      small.push(el.tagName + ' ' + el.textContent.trim().slice(0, 20));
  }
  const charts = [...document.querySelectorAll('figure.gk-chart svg')].filter(visible).map(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
    return {width: svg.getBoundingClientRect().width, column: svg.closest('article').clientWidth
      - parseFloat(getComputedStyle(svg.closest('article')).paddingLeft)
      - parseFloat(getComputedStyle(svg.closest('article')).paddingRight), text: Math.min(...sizes)};
  });
  return {scroll: document.documentElement.scrollWidth - W, small, charts};
}"""


@pytest.mark.parametrize("large", [False, True], ids=["normal", "大字"])
def test_no_page_scrolls_sideways_and_no_text_is_small(browser, site, large: bool):
    with serving(site) as url, phone(browser, large=large) as page:
        for path in PAGES:
            page.goto(url + path)
            found = page.evaluate(MEASURE)
            assert found["scroll"] <= 0, f"{path}: {found['scroll']} px sideways"
            assert found["small"] == [], f"{path}: {found['small'][:5]}"


def _charts(browser, url: str, large: bool, viewport=None) -> list[dict]:
    with phone(browser, large=large, **({"viewport": viewport} if viewport else {})) as page:
        found = []
        for path in ("ceshi/finance/l-cw-1/", "ceshi/accounts/admin-juweihui/"):
            page.goto(url + path)
            found += page.evaluate(MEASURE)["charts"]
        return found


def test_charts_fill_their_column_with_text_of_14_px_and_more_in_large_mode(browser, site):
    with serving(site) as url:
        normal, large = _charts(browser, url, False), _charts(browser, url, True)
        desktop = _charts(browser, url, False, DESKTOP)
    assert len(normal) == len(large) == len(desktop) == 3  # income, spending, balances
    for chart in normal + large + desktop:
        assert chart["width"] >= 0.9 * chart["column"], chart
        assert chart["text"] >= 14, chart
    assert min(c["text"] for c in large) > max(c["text"] for c in normal)


def test_key_messages_are_at_body_size(browser, site):
    with serving(site) as url, phone(browser) as page:
        body = "parseFloat(getComputedStyle(document.querySelector('article .gk-facts dd')).fontSize)"
        for path, box in (("ceshi/residential/l-jw-1/", "公示已结束"), ("ceshi/party/l-dw-1/", "本通知已被更正")):
            page.goto(url + path)
            note = page.locator(".admonition", has_text=box)
            size = float(note.locator("p").last.evaluate("p => getComputedStyle(p).fontSize").removesuffix("px"))
            assert size >= page.evaluate(body) >= 16


@pytest.mark.parametrize("path", [*PAGES[:10], "search"])
def test_axe_finds_no_violations(browser, site, path: str):
    with serving(site) as url, phone(browser) as page:
        if path == "search":
            page.goto(url + "ceshi/")
            open_search(page)
            page.locator("input.md-search__input").fill("公示")
            results(page)
        else:
            page.goto(url + path)
        found = Axe().run(page).response["violations"]
        assert found == [], "\n".join(f"{v['id']}: {v['help']} {v['nodes'][0]['target']}" for v in found)
