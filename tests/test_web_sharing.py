"""Notices that travel: description and Open Graph tags on every page, a share image per notice
(read back: size, its text from the record, a QR code that opens the page), feeds that are Atom
with authors, tag URLs residents can read, 索引号 and 文号, the 公开指南 and 依申请公开 pages."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import replace

import pypdf
import pytest
import zxingcpp
from PIL import Image

from conftest import article, build_project, community_files, meeting, soup
from generator.web.share_image import ShareText, cached_share

SITE_URL = "https://gongkai.example.org/"
ATOM = "{http://www.w3.org/2005/Atom}"
STATEMENT = """\
编号: sh-cw-1
类型: 收支公开
标题: 关于2024年第三季度居务收支情况的公示
发布单位: juweihui
发布日期: 2024-10-10
文号: 测社发〔2024〕12号
状态: 已发布
公示期: {开始: 2024-10-10, 天数: 10}
标签: [收支公开, 水电/燃气]
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
  - 日期: 2024-07-05
    类别: 办公费
    收款方: 文具店
    金额: 250.50
    凭证号: 记-002
    审批人: 居委会主任
期末余额: 5749.50
"""
BENEFITS = """\
编号: sh-jw-{n}
类型: 救助名单
标题: 关于临时救助对象的公示（{n}）
发布单位: juweihui
发布日期: {start}
状态: 已发布
公示期: {{开始: {start}, 天数: 7}}
项目: 临时救助
名单:
  - 姓名: 吴春梅
    家庭人口: 3
    金额: 2000.00
    理由: 突发重病住院
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    files = community_files()
    files["site_data/site.yaml"] += "依申请公开答复期限: 15\n"
    files["site_data/ceshi/caiwu/a.yaml"] = STATEMENT
    files["site_data/ceshi/juwu/open.yaml"] = BENEFITS.format(n=1, start="2024-11-25")  # open on 11-28
    files["site_data/ceshi/juwu/over.yaml"] = BENEFITS.format(n=2, start="2024-10-01")  # withheld
    files["site_data/ceshi/dangwu/m.yaml"] = meeting("sh-dw-1", "第一党支部召开支部委员会会议", 标签="[收支公开]")
    return build_project(tmp_path_factory.mktemp("sharing"), files)


def _og(page) -> dict[str, str]:
    return {m["property"]: m["content"] for m in soup(page).select("meta[property^='og:']")}


def test_share_image_says_what_the_record_says_and_its_qr_opens_the_page(site):
    png = (site / "ceshi" / "finance" / "sh-cw-1" / "share.png").read_bytes()
    image = Image.open(io.BytesIO(png))
    assert image.width == 1080 and image.height > 800
    assert image.text["Title"] == "关于2024年第三季度居务收支情况的公示"
    lines = image.text["Description"].split("\n")
    assert "公示期：2024年10月10日 至 2024年10月19日" in lines
    assert {"期初余额：1,000.00 元", "本期收入：5,000.00 元", "本期支出：250.50 元", "期末余额：5,749.50 元"} <= set(
        lines
    )
    [code] = zxingcpp.read_barcodes(image)
    assert code.text == SITE_URL + "ceshi/finance/sh-cw-1/"
    fingerprint = article(site / "ceshi" / "finance" / "sh-cw-1" / "index.html").select_one(".gk-source code")
    assert fingerprint.get_text() in image.text["Comment"]


def test_a_list_shares_its_size_never_its_names_and_a_withheld_list_shares_nothing(site):
    image = Image.open(site / "ceshi" / "residential" / "sh-jw-1" / "share.png")
    assert "名单：1 户" in image.text["Description"]
    assert "吴春梅" not in "".join(image.text.values())
    assert not (site / "ceshi" / "residential" / "sh-jw-2" / "share.png").exists()
    og = _og(site / "ceshi" / "residential" / "sh-jw-2" / "index.html")
    assert "og:image" not in og and "吴春梅" not in og["og:description"]


def test_open_graph_tags_describe_the_notice_and_point_to_its_image(site):
    page = site / "ceshi" / "finance" / "sh-cw-1" / "index.html"
    og = _og(page)
    assert og["og:title"] == "关于2024年第三季度居务收支情况的公示"
    assert og["og:url"] == SITE_URL + "ceshi/finance/sh-cw-1/"
    assert og["og:image"] == og["og:url"] + "share.png"
    assert og["og:type"] == "article"
    description = soup(page).select_one("meta[name=description]")["content"]
    assert og["og:description"] == description
    assert "公示期 2024年10月10日 至 2024年10月19日" in description and "期末余额 5,749.50 元" in description


def test_every_page_has_a_description_and_open_graph_tags(site):
    pages = [p for p in site.rglob("index.html") if p.parent.name != "search"]
    assert len(pages) > 20
    for page in pages:
        og = _og(page)
        assert soup(page).select_one("meta[name=description]")["content"].strip(), page
        assert og["og:title"].strip() and og["og:description"].strip() and og["og:url"].startswith(SITE_URL), page


def test_feeds_are_atom_with_authors_and_pages_announce_them(site):
    family = soup(site / "ceshi" / "finance" / "index.html")
    link = family.select_one("link[rel=alternate][type='application/atom+xml']")
    feed_file = (site / "ceshi" / "finance" / link["href"]).resolve()
    feed = ET.parse(feed_file).getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}").text.strip()
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "测试社区居民委员会"
    [entry] = feed.findall(f"{ATOM}entry")
    for required in ("id", "title", "updated", "summary"):
        assert entry.find(f"{ATOM}{required}").text.strip()
    assert entry.find(f"{ATOM}link").get("href") == SITE_URL + "ceshi/finance/sh-cw-1/"
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "测试社区居民委员会"


def test_tag_urls_read_as_the_tag(site):
    page = article(site / "ceshi" / "finance" / "sh-cw-1" / "index.html")
    hrefs = {a.get_text(): a["href"] for a in page.select("a.md-tag")}
    assert hrefs == {"收支公开": "../../tags/收支公开/", "水电/燃气": "../../tags/水电-燃气/"}
    assert (site / "ceshi" / "tags" / "收支公开" / "index.html").is_file()
    listed = article(site / "ceshi" / "tags" / "收支公开" / "index.html").get_text()
    assert "第一党支部召开支部委员会会议" in listed and "关于2024年第三季度居务收支情况的公示" in listed


def test_notices_show_index_number_and_document_number(site):
    facts = article(site / "ceshi" / "finance" / "sh-cw-1" / "index.html").select_one("dl.gk-facts")
    terms, values = facts.select("dt"), facts.select("dd")
    pairs = dict(zip([t.get_text() for t in terms], [v.get_text() for v in values], strict=True))
    assert pairs["索引号"] == "ceshi-CW-sh-cw-1"
    assert pairs["文号"] == "测社发〔2024〕12号"
    page = article(site / "ceshi" / "finance" / "sh-cw-1" / "index.html").get_text()
    assert page.count("测社发〔2024〕12号") == 1  # in the details only, not again under the text
    a4 = site / "ceshi" / "finance" / "sh-cw-1" / "notice-a4.pdf"
    assert "测社发〔2024〕12号" in "".join(p.extract_text() for p in pypdf.PdfReader(a4).pages).replace(" ", "")
    meeting_facts = article(site / "ceshi" / "party" / "sh-dw-1" / "index.html").select_one("dl.gk-facts")
    assert "文号" not in meeting_facts.get_text() and "ceshi-DW-sh-dw-1" in meeting_facts.get_text()


def test_guide_and_request_pages_come_from_the_community_and_site_settings(site):
    guide = article(site / "ceshi" / "guide" / "index.html").get_text(" ", strip=True)
    assert "测试社区居民委员会" in guide and "0395-1234567" in guide and "服务大厅门口" in guide
    assert "社区编号-栏目代码-记录编号" in guide
    request = article(site / "ceshi" / "request" / "index.html").get_text(" ", strip=True)
    assert "15 个工作日" in request and "测试社区居民委员会" in request and "0395-1234567" in request
    home = article(site / "ceshi" / "index.html")
    assert {"公开指南", "依申请公开"} <= {a.get_text() for a in home.select("nav.gk-sections a")}


def test_share_images_drawn_once_are_read_back_and_never_for_other_text(tmp_path):
    text = ShareText(
        "关于测试的公示", ("公示期：2024年1月1日 至 2024年1月7日",), SITE_URL + "a/", "0123456789", "x-DW-a"
    )
    first = cached_share(text, "测试网", tmp_path)
    assert isinstance(first, bytes)  # drawn, and kept
    [kept] = tmp_path.glob("*.png")
    assert cached_share(text, "测试网", tmp_path) == kept and kept.read_bytes() == first  # the kept file
    kept.write_bytes(b"kept")
    assert cached_share(text, "测试网", tmp_path).read_bytes() == b"kept"  # read back, not drawn again
    other = cached_share(replace(text, lines=("公示期：2024年1月1日 至 2024年1月8日",)), "测试网", tmp_path)
    assert Image.open(io.BytesIO(other)).text["Description"] == "公示期：2024年1月1日 至 2024年1月8日"


def test_a_title_written_over_two_lines_still_gets_its_share_image(tmp_path):
    # Found by the fuzz test: a 标题 with a line break in it stopped the build (Pillow cannot
    # measure multi-line text). Each line of the text starts a line of the image.
    text = ShareText("关于测试的\n公示", ("第一行\n第二行",), SITE_URL + "a/", "0123456789", "x-DW-a")
    image = Image.open(io.BytesIO(cached_share(text, "测试网", tmp_path)))
    assert image.size[0] > 0 and image.format == "PNG"


def test_share_images_no_build_used_for_two_months_are_removed(tmp_path, monkeypatch):
    """Every edited title or figure draws another share image into the cache, which only grew:
    once a day a build removes the images no build used for 60 days (each use marks its image),
    and never another file of the folder or an image it publishes."""
    import datetime as dt
    import os

    from conftest import make_project
    from generator.build import build

    monkeypatch.setenv("GONGKAI_CACHE", str(tmp_path / "cache"))
    root = make_project(tmp_path / "p", {**community_files(), "site_data/ceshi/a.yaml": meeting("s-1", "支部会议")})
    build(root, dt.date(2024, 11, 28), root / "site")
    share = tmp_path / "cache" / "share"
    ours = sorted(p.name for p in share.glob("*.png"))
    assert ours
    stale = share / ("0" * 64 + ".png")
    stale.write_bytes(b"an image of a title since edited")
    (share / "notes.txt").write_bytes(b"not the cache's")
    long_ago = dt.datetime(2024, 1, 1).timestamp()
    for path in share.iterdir():
        os.utime(path, (long_ago, long_ago))
    published = {p.read_bytes() for p in (root / "site").rglob("share.png")}
    build(root, dt.date(2024, 11, 28), root / "site")
    assert sorted(p.name for p in share.iterdir() if not p.name.startswith(".")) == sorted([*ours, "notes.txt"])
    assert all((share / n).stat().st_mtime > long_ago for n in ours)  # used: marked
    assert {p.read_bytes() for p in (root / "site").rglob("share.png")} == published != set()
