"""A village is first-class: its sections read 村务公开, its boards take 村务公开, its two accounts
(政经分离) are checked against each other, and its phones and counts are written as villages do."""

from __future__ import annotations

import datetime as dt

import pypdf
import pytest

from conftest import ROOT, article, build_project, community_files, soup
from generator.errors import RecordsInvalid
from records_on_disk import notices

VILLAGE = """\
编号: cun
名称: 测试村
类别: 村
街道: 测试镇
组织:
  - 编号: cunweihui
    名称: 测试村村民委员会
    类别: 村民委员会
    监督电话: 0395-1234567
  - 编号: hezuoshe
    名称: 测试村股份经济合作社
    类别: 村股份经济合作社
主办单位: cunweihui
"""


def statement(rid: str, org: str, account: str, lines: str, opening: str, closing: str) -> str:
    return (
        f"编号: {rid}\n类型: 收支公开\n标题: {account}收支\n发布单位: {org}\n发布日期: 2024-10-10\n状态: 已发布\n"
        f"账户: {account}\n周期: 季度\n期间开始: 2024-07-01\n期间结束: 2024-09-30\n期初余额: {opening}\n"
        f"{lines}期末余额: {closing}\n"
    )


OUT = (
    "支出:\n  - 日期: 2024-09-10\n    类别: 公益金\n    收款方: 测试村村民委员会\n    金额: 24000.00\n"
    "    凭证号: 经-1\n    审批人: 理事长\n    对方账户: 行政账\n"
)
IN = (
    "收入:\n  - 日期: 2024-09-10\n    来源: 合作社拨付公益金\n    金额: {amount}\n"
    "    凭证号: 记-1\n    对方账户: 经济账\n"
)


def village_files(**extra: str) -> dict[str, str]:
    files = {**community_files(), "site_data/cun/community.yaml": VILLAGE}
    files.update(extra)
    return files


def test_a_transfer_is_checked_on_both_sides(tmp_path):
    economic = statement("e-1", "hezuoshe", "经济账", OUT, "30000.00", "6000.00")
    wrong = statement("a-1", "cunweihui", "行政账", IN.format(amount="2400.00"), "0.00", "2400.00")
    with pytest.raises(RecordsInvalid) as caught:
        build_project(
            tmp_path / "a", village_files(**{"site_data/cun/e.yaml": economic, "site_data/cun/a.yaml": wrong})
        )
    found = {(p.file, p.field) for p in caught.value.problems}
    assert found == {("site_data/cun/e.yaml", "支出[1].对方账户"), ("site_data/cun/a.yaml", "收入[1].对方账户")}
    message = next(p for p in caught.value.problems if p.file.endswith("e.yaml")).message_zh
    assert "24000.00" in message and "行政账" in message and "a.yaml" in message
    right = statement("a-1", "cunweihui", "行政账", IN.format(amount="24000.00"), "0.00", "24000.00")
    site = build_project(
        tmp_path / "b", village_files(**{"site_data/cun/e.yaml": economic, "site_data/cun/a.yaml": right})
    )
    page = article(site / "cun/finance/a-1/index.html").get_text(" ", strip=True)
    assert "合作社拨付公益金（转自经济账）" in page


def test_a_transfer_whose_other_account_is_not_yet_published_is_a_warning(tmp_path):
    economic = statement("e-1", "hezuoshe", "经济账", OUT, "30000.00", "6000.00")
    site = build_project(tmp_path, village_files(**{"site_data/cun/e.yaml": economic}))
    assert "转入行政账" in article(site / "cun/finance/e-1/index.html").get_text()


def test_village_sections_and_nav_say_cunwu(tmp_path):
    notice = (
        "编号: g-1\n类型: 公告\n栏目: 村务公开\n标题: 秸秆禁烧通知\n发布单位: cunweihui\n发布日期: 2024-10-08\n"
        "状态: 已发布\n联系方式:\n  - 电话: [0395－3512202, 13912345678, 0395—3512201]\n"
    )
    site = build_project(tmp_path, village_files(**{"site_data/cun/g.yaml": notice}))
    page = soup(site / "cun/residential/g-1/index.html")
    assert "村务公开" in article(site / "cun/residential/g-1/index.html").get_text()
    sections = [n.get_text(" ", strip=True) for n in page.select("nav.md-nav--primary nav.md-nav")]
    village = next(text for text in sections if text.startswith("测试村"))
    community = next(text for text in sections if text.startswith("测试社区"))
    assert "村务公开" in village and "居务公开" not in village
    assert "居务公开" in community and "村务公开" not in community
    # Lists that name each notice's section, and the section's feed, speak the village's words too.
    for listing in ("index.html", "cun/index.html", "cun/archive/2024/index.html"):
        line = next(li for li in article(site / listing).select("li") if "秸秆禁烧通知" in li.get_text())
        assert "村务公开" in line.get_text() and "居务公开" not in line.get_text(), listing
    assert "<title>测试村·村务公开</title>" in (site / "cun/residential/feed.xml").read_text("utf-8")
    phones = [a["href"] for a in article(site / "cun/residential/g-1/index.html").select("a[href^='tel:']")]
    assert phones[-3:] == ["tel:0395-3512202", "tel:13912345678", "tel:0395-3512201"]


def test_a_mobile_outside_a_contact_field_is_refused_whatever_its_dashes(tmp_path):
    notice = (
        "编号: g-1\n类型: 公告\n标题: 通知\n发布单位: cunweihui\n发布日期: 2024-10-08\n状态: 已发布\n"
        "正文: 报名请联系村干部 139－1234－5678。\n"
    )
    with pytest.raises(RecordsInvalid) as caught:
        build_project(tmp_path, village_files(**{"site_data/cun/g.yaml": notice}))
    (p,) = caught.value.problems
    assert p.field == "正文" and "手机号" in p.message_zh and "139****5678" in p.hint_zh


def test_the_example_village_board_carries_its_cunwu_section(example_site):
    board = example_site / "liuzhuang" / "boards" / "2024q4-liuzhuang-gongkailan" / "board.pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(board).pages).replace(" ", "")
    assert "村务公开" in text and "柳庄村党务村务财务公开栏" in text
    village = [r for r in notices(ROOT / "site_data") if r["_community"] == "liuzhuang"]
    shown = [r["标题"] for r in village if r["发布日期"] >= "2024-07-01" and r.get("栏目", "") != "普法宣传"]
    assert any(title.replace(" ", "")[:12] in text for title in shown)


def test_the_example_village_page_shows_village_vocabulary(example_site):
    decision = article(example_site / "liuzhuang/residential/2024-lz-cw-101/index.html").get_text(" ", strip=True)
    for words in ("村民代表会议决议", "应到 42 人，实到 36 人", "中共召陵区老窝镇柳庄村支部委员会", "240,000.00"):
        assert words in decision
    profile = article(example_site / "liuzhuang/index.html").get_text(" ", strip=True)
    assert "召陵区 老窝镇" in profile
    campaign = article(example_site / "liuzhuang/legal/2024-lz-pf-001/index.html").get_text(" ", strip=True)
    assert "500余 份 宣传折页" in campaign and "约300 人" in campaign


def test_dates_in_the_future_still_refused_for_new_kinds(tmp_path):
    notice = "编号: g-1\n类型: 公约\n标题: 村规民约\n发布单位: cunweihui\n发布日期: 2030-01-01\n状态: 已发布\n"
    notice += "文本类别: 村规民约\n通过会议: 村民会议\n条款: [一条]\n"
    with pytest.raises(RecordsInvalid) as caught:
        build_project(tmp_path, village_files(**{"site_data/cun/g.yaml": notice}), as_of=dt.date(2024, 11, 28))
    assert [p.field for p in caught.value.problems] == ["发布日期"]
