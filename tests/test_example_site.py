"""The example community built end to end, read back from the HTML a resident gets."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import EXAMPLE_AS_OF, ROOT, article, make_project, soup
from generator.build import build
from generator.records import KINDS
from records_on_disk import is_public, notices, open_on, page_of

RECORDS = notices(ROOT / "site_data")
PUBLIC = [r for r in RECORDS if is_public(r)]
COMMUNITIES = sorted({r["_community"] for r in RECORDS})
FAMILY_COMMUNITY = [(c, f) for c in COMMUNITIES for f in ("party", "residential", "finance", "legal")]


def public_of(community: str) -> list[dict]:
    return [r for r in PUBLIC if r["_community"] == community]


def text_of(path: Path) -> str:
    return article(path).get_text(" ", strip=True)


def money(value: str) -> str:
    return f"{Decimal(value):,.2f}"


def test_example_covers_every_kind_and_enough_records():
    assert len(RECORDS) >= 25
    assert {r["类型"] for r in RECORDS} == set(KINDS)


@pytest.mark.parametrize("record", PUBLIC, ids=lambda r: r["编号"])
def test_every_public_record_has_its_page_with_its_title(example_site, record):
    page = page_of(example_site, record)
    assert page.is_file(), f"no page for {record['编号']}"
    assert article(page).find("h1").get_text(strip=True) == record["标题"]
    assert soup(page).title.get_text().startswith(record["标题"])


def test_records_not_for_the_public_never_reach_the_site(example_site):
    hidden = [r for r in RECORDS if not is_public(r)]
    assert hidden, "the example should contain a record that is not public"
    every_page = "\n".join(p.read_text(encoding="utf-8") for p in example_site.rglob("*.html"))
    index = (example_site / "search" / "search_index.json").read_text(encoding="utf-8")
    for r in hidden:
        assert not page_of(example_site, r).exists()
        assert r["标题"] not in every_page
        assert r["编号"] not in every_page + index


@pytest.mark.parametrize("record", [r for r in PUBLIC if r["类型"] == "收支公开"], ids=lambda r: r["编号"])
def test_statement_page_shows_balances_and_totals(example_site, record):
    text = text_of(page_of(example_site, record))
    income = sum((Decimal(i["金额"]) for i in record.get("收入", [])), Decimal(0))
    spent = sum((Decimal(e["金额"]) for e in record.get("支出", [])), Decimal(0))
    for figure in (record["期初余额"], record["期末余额"], str(income), str(spent)):
        assert money(figure) in text
    for line in record.get("支出", []):
        assert line["凭证号"] in text and money(line["金额"]) in text


def test_special_fund_page_shows_sources_and_rates(example_site):
    fund = next(r for r in PUBLIC if r["类型"] == "专项资金")
    text = text_of(page_of(example_site, fund))
    assert money(fund["合计"]) in text
    for source in fund["来源"]:
        assert source["来源"] in text and money(source["金额"]) in text


def test_decision_page_shows_every_stage_dated_with_votes(example_site):
    decision = next(r for r in PUBLIC if r["类型"] == "四议两公开")
    text = article(page_of(example_site, decision)).select_one("ol.gk-steps").get_text(" ", strip=True)
    positions = []
    for step in decision["步骤"]:
        day = dt.date.fromisoformat(step["日期"])
        positions.append(text.index(step["步骤"]))
        assert f"{day.year}年{day.month}月{day.day}日" in text
        if "表决" in step:
            v = step["表决"]
            votes = f"赞成 {v['赞成']} 票，反对 {v['反对']} 票，弃权 {v['弃权']} 票"
            assert f"应到 {v['应到']} 人，实到 {v['实到']} 人；{votes}" in text
    assert positions == sorted(positions), "stages must be shown in order"


@pytest.mark.parametrize("record", [r for r in PUBLIC if r["类型"] == "普法活动"], ids=lambda r: r["编号"])
def test_campaign_page_shows_its_figures(example_site, record):
    text = text_of(page_of(example_site, record))
    for activity in record.get("活动内容", []):
        count = activity.get("数量")
        if count is None:  # an item without a count, as publishers write them
            assert activity["项目"] in text
        else:  # exact counts with separators; approximate ones ("500余") as written
            shown = f"{int(count):,}" if count.isdigit() else count
            assert f"{shown} {activity['单位']} {activity['项目']}" in text
    for law in record["宣传法律"]:
        assert law in text


@pytest.mark.parametrize(("community", "family"), FAMILY_COMMUNITY)
def test_each_section_index_lists_its_records_newest_first(example_site, community, family):
    page = example_site / community / family / "index.html"
    links = [a["href"] for a in article(page).select("ul.gk-list a") if not a["href"].startswith("tel:")]
    ids = [href.strip("/").split("/")[-1] for href in links]
    expected = [r for r in public_of(community) if r["_family"] == family]
    assert sorted(ids) == sorted(r["编号"] for r in expected)
    dates = [next(r["发布日期"] for r in expected if r["编号"] == i) for i in ids]
    assert dates == sorted(dates, reverse=True)


def _open_now_ids(site: Path) -> list[str]:
    homes = [article(site / c / "index.html") for c in COMMUNITIES]
    return [a["href"].strip("/").split("/")[-1] for h in homes for a in h.select("ul.gk-open-now li > a:first-child")]


def test_home_lists_exactly_the_notices_under_publicity_on_the_as_of_date(example_site):
    expected = {r["编号"] for r in PUBLIC if open_on(r, EXAMPLE_AS_OF)}
    assert expected, "the example should have notices under 公示 on its as-of date"
    assert set(_open_now_ids(example_site)) == expected


def test_home_under_publicity_follows_another_as_of_date(tmp_path):
    day = dt.date(2024, 11, 30)
    make_project(tmp_path, {}, example=True)
    build(tmp_path, day, tmp_path / "site")
    expected = {r["编号"] for r in PUBLIC if open_on(r, day)}
    assert set(_open_now_ids(tmp_path / "site")) == expected
    assert expected != {r["编号"] for r in PUBLIC if open_on(r, EXAMPLE_AS_OF)}


def test_home_shows_end_date_and_phone_of_each_open_notice(example_site):
    home = article(example_site / "lijianglu" / "index.html")
    for item in home.select("ul.gk-open-now > li"):
        text = item.get_text(" ", strip=True)
        assert re.search(r"公示至 \d{4}年\d{1,2}月\d{1,2}日", text)
        assert re.search(r"监督电话 [\d-]+", text)
        assert re.search(r"剩 \d+ 天", text)


def test_home_shows_the_community_profile(example_site):
    text = text_of(example_site / "lijianglu" / "index.html")
    for figure in ("1.3 平方公里", "3,796 户", "11,298 人", "5,489 人"):
        assert figure in text


@pytest.mark.parametrize("community", COMMUNITIES)
def test_archive_lists_every_public_record_by_year_and_month(example_site, community):
    public = public_of(community)
    archive = article(example_site / community / "archive" / "index.html")
    years = {a.get_text(strip=True): a["href"] for a in archive.select("ul.gk-years a")}
    assert set(years) == {f"{r['发布日期'][:4]}年" for r in public}
    listed, months = set(), set()
    for href in years.values():
        year = article(example_site / community / "archive" / href.strip("/").split("/")[-1] / "index.html")
        listed |= {a["href"].strip("/").split("/")[-1] for a in year.select("ul.gk-list li > a:first-child")}
        months |= {h.get_text(strip=True).split("（")[0] for h in year.find_all("h2")}
    assert listed == {r["编号"] for r in public}
    assert months == {f"{r['发布日期'][:4]}年{int(r['发布日期'][5:7])}月" for r in public}


def test_every_tag_has_a_page_listing_its_notices(example_site):
    tags = article(example_site / "lijianglu" / "tags" / "index.html")
    links = {a.get_text(strip=True).split("（")[0]: a["href"] for a in tags.select("a.md-tag")}
    tagged = {tag for r in PUBLIC for tag in r.get("标签", [])}
    assert set(links) == tagged
    for r in PUBLIC:
        for tag in r.get("标签", []):
            page = article(example_site / "lijianglu" / "tags" / links[tag].strip("/").split("/")[-1] / "index.html")
            assert r["编号"] in {a["href"].strip("/").split("/")[-1] for a in page.select("ul.gk-list li > a")}
            notice = article(page_of(example_site, r))
            slugs = {a["href"].strip("/").split("/")[-1] for a in notice.select("a.md-tag") if a.get_text() == tag}
            assert slugs == {links[tag].strip("/").split("/")[-1]}


def test_withdrawn_notice_stays_listed_with_its_reason(example_site):
    withdrawn = [r for r in PUBLIC if r["状态"] == "已撤回"]
    assert withdrawn
    for r in withdrawn:
        text = text_of(page_of(example_site, r))
        assert "本通知已撤回" in text and r["撤回原因"] in text


def test_correction_and_corrected_notice_link_each_other(example_site):
    fix = next(r for r in PUBLIC if "更正" in r)
    old = next(r for r in PUBLIC if r["编号"] == fix["更正"])
    fix_links = [a["href"] for a in article(page_of(example_site, fix)).find_all("a")]
    old_links = [a["href"] for a in article(page_of(example_site, old)).find_all("a")]
    assert any(old["编号"] in h for h in fix_links)
    assert any(fix["编号"] in h for h in old_links)


def test_footer_shows_organisation_phone_and_record_number(example_site):
    footer = soup(example_site / "lijianglu" / "index.html").find("footer").get_text(" ", strip=True)
    assert "漓江路社区居民委员会" in footer
    assert "0395-" in footer
    assert "豫ICP备" in footer


def test_benefit_list_rows_disappear_after_its_publicity_period(tmp_path):
    benefit = next(r for r in PUBLIC if r["类型"] == "救助名单" and "更正" not in r)
    start = dt.date.fromisoformat(benefit["公示期"]["开始"])
    make_project(tmp_path, {}, example=True)
    build(tmp_path, start + dt.timedelta(days=400), tmp_path / "site")
    page = page_of(tmp_path / "site", benefit)
    text = text_of(page)
    assert "公示期已于" in text and "名单和正文不再在网上公开" in text
    every_file = [p for p in (tmp_path / "site").rglob("*") if p.is_file() and p.suffix != ".pdf"]
    assert {p.suffix for p in every_file} >= {".html", ".json", ".xml", ".csv", ".ics"}
    published = "\n".join(p.read_bytes().decode("utf-8", "replace") for p in every_file)
    searchable = published.replace("\u200b", "")  # the search index segments words with zero-width spaces
    elsewhere = "".join(
        p.read_text(encoding="utf-8")
        for p in (ROOT / "site_data").rglob("*.yaml")
        if "类型: 救助名单" not in p.read_text(encoding="utf-8")
    )
    names = [p["姓名"] for p in benefit["名单"] if p["姓名"] not in elsewhere]  # a namesake in another notice
    assert names
    for name in names:
        assert name not in searchable, name
    assert not (page.parent / "notice-a4.pdf").exists()
