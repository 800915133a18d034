"""Residents' view, proven in a real browser: Debian's headless Chromium driven by Playwright
(tests/browsing.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from browsing import chromium, phone, serving
from playwright.sync_api import Page

from conftest import build_project, community_files, meeting
from generator.today import parse_as_of

TODAY = parse_as_of(None)  # Beijing date: what the page script will compute too
TITLE = "关于老旧小区楼道照明改造的公示"
STATEMENT = """\
编号: b-cw-1
类型: 收支公开
标题: 第三季度收支情况公示
发布单位: juweihui
发布日期: {date}
状态: 已发布
账户: 行政账
周期: 季度
期间开始: {start}
期间结束: {end}
期初余额: 1000.00
收入:
  - 日期: {start}
    来源: 街道拨付工作经费
    金额: 5000.00
    凭证号: 记-001
支出:
  - 日期: {start}
    类别: 办公费
    收款方: 文具店
    金额: 250.50
    凭证号: 记-002
    审批人: 居委会主任
期末余额: 5749.50
"""


def _site(root: Path, as_of: dt.date, period_start: dt.date) -> Path:
    files = community_files()
    files["site_data/ceshi/dangwu/a.yaml"] = meeting(
        "b-1",
        TITLE,
        as_of.isoformat(),
        公示期=f"{{开始: {period_start.isoformat()}, 天数: 10}}",
        正文="居民反映夜间出行不便，社区决定更换路灯。",
    )
    files["site_data/ceshi/dangwu/b.yaml"] = meeting("b-2", "第二党支部支部委员会会议", as_of.isoformat())
    quarter_start = as_of - dt.timedelta(days=10)
    files["site_data/ceshi/caiwu/c.yaml"] = STATEMENT.format(date=as_of, start=quarter_start, end=as_of)
    return build_project(root, files, as_of=as_of)


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def site_url(tmp_path_factory, browser):
    with serving(_site(tmp_path_factory.mktemp("browser"), TODAY, TODAY - dt.timedelta(days=2))) as url:
        yield url


@pytest.fixture
def page(browser):
    with phone(browser) as p:
        yield p


def test_home_shows_a_notice_under_publicity_with_days_left(page: Page, site_url: str):
    page.goto(site_url + "ceshi/")
    item = page.locator("ul.gk-open-now li", has_text=TITLE)
    days_left = (TODAY + dt.timedelta(days=7) - TODAY).days + 1  # 10 days from two days ago
    assert item.locator(".gk-badge").inner_text() == f"公示中 · 剩 {days_left} 天"
    assert "监督电话 0395-7654321" in item.inner_text()


def test_search_finds_a_word_from_the_middle_of_a_title(page: Page, site_url: str):
    page.goto(site_url + "ceshi/")
    page.locator("label.md-header__button[for=__search]").click()
    search = page.locator("input.md-search__input")
    search.press_sequentially("照明")  # typed key by key, as on a phone keyboard
    result = page.locator(".md-search-result__item a").first
    result.wait_for(timeout=15000)
    result.click()
    page.wait_for_url("**/ceshi/party/b-1/**")
    assert page.locator("article h1").inner_text() == TITLE


def test_large_text_stays_on_across_pages(page: Page, site_url: str):
    page.goto(site_url + "ceshi/")
    size = "getComputedStyle(document.querySelector('article li')).fontSize"
    before = float(page.evaluate(size).removesuffix("px"))
    page.locator("#gk-large-toggle").click()
    assert page.locator("#gk-large-toggle").get_attribute("aria-pressed") == "true"
    page.goto(site_url + "ceshi/party/")
    assert page.evaluate("document.documentElement.classList.contains('gk-large')")
    after = float(page.evaluate(size).removesuffix("px"))
    assert after >= before * 1.25


@pytest.mark.parametrize("path", ["ceshi/", "ceshi/party/b-1/", "ceshi/finance/b-cw-1/", "search"])
def test_no_serious_accessibility_violations(page: Page, site_url: str, path: str):
    if path == "search":
        page.goto(site_url + "ceshi/")
        page.locator("label.md-header__button[for=__search]").click()
        page.locator("input.md-search__input").fill("会议")
        page.locator(".md-search-result__item").first.wait_for(timeout=15000)
        # The search overlay fades in; on a loaded machine axe could measure the box's colours
        # mid-transition (seen as a contrast failure on .md-search__input). Let it settle.
        page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')", timeout=15000)
    else:
        page.goto(site_url + path)
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], "\n".join(f"{v['id']}: {v['help']} ({len(v['nodes'])}) {v['nodes'][0]['target']}" for v in bad)


def test_states_follow_the_readers_date_not_only_the_build(browser, tmp_path):
    as_of = TODAY - dt.timedelta(days=20)  # built three weeks ago: the notice was open then
    with serving(_site(tmp_path, as_of, as_of - dt.timedelta(days=1))) as url:
        page = browser.new_page()
        page.goto(url + "ceshi/party/b-1/")
        assert page.locator(".gk-facts .gk-badge").inner_text() == "已结束"
        page.route("**/*.js", lambda route: route.abort())  # without script: the build-time state
        page.goto(url + "ceshi/party/b-1/")
        assert page.locator(".gk-facts .gk-badge").inner_text().startswith("公示中 · 剩 ")
        page.close()
