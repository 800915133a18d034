"""Fourteen real notices (tests/real_notices/, from ../shared/real-notices/README.md) typed as
records: the checker passes them and names every place the record differs from the source, the
build makes their pages, and each page and A4 reads back with the notice's figures, dates,
phones and signatories. Where the source is inconsistent, the source's own values are refused
with a located message."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pypdf
import pytest

from conftest import ROOT, article, build_project, community_files, make_project
from generator.build import build
from generator.errors import RecordsInvalid
from generator.reading.reader import read_site

DATA = ROOT / "tests" / "real_notices" / "site_data"
AS_OF = dt.date(2025, 7, 1)

#: notice id → (community, family, what a resident must find on its page and its A4).
KEYS: dict[str, tuple[str, str, list[str]]] = {
    "2021-ql-001": (
        "qinglan",
        "residential",
        ["7米", "4、5米", "5、5米", "3、8米", "8月底", "2021年7月9日", "中共青兰村支部委员会", "青兰村村民委员会"],
    ),
    "2018-mld-001": ("molidawa", "residential", ["34.5", "垧", "3,800.00", "131,100.00", "2018年", "(131,100)"]),
    "2023-lhk-001": (
        "lianghekou",
        "party",
        ["各支部：", "8 万元", "5.3 万元", "0.7 万元", "唐家沟村", "张家坝村", "2023年8月30日", "中共两河口镇委员会"],
    ),
    "2023-ls-001": ("liangshan", "residential", ["城市低保", "2023年5月23日"]),
    "2019-zq-001": (
        "zhiqian",
        "residential",
        ["社头村", "东浦村", "指前村", "建春村", "2018年度农村综合考核优胜村", "2019年2月1日", "各党(总)支部"],
    ),
    "2021-xyb-002": (
        "xiyebiqi",
        "residential",
        ["第二号", "2021年1月16日 10:00", "2021年2月4日 10:00", "2021年2月5日", "腾克镇西也必奇村民选举委员会(章)"],
    ),
    "2021-zd-001": (
        "zhudong",
        "residential",
        ["2021年12月15日", "12月  日", "2021年10月28日", "2021年11月14日", "祝东村村民选举委员会", "2021年10月29日"],
    ),
    "2021-yl-001": (
        "yulong",
        "residential",
        ["2021年1月5日", "2021年1月7日", "2021年1月8日", "玉龙社区工作站", "玉龙社区居委会居民选举委员会(公章)"],
    ),
    "2024-dj-001": (
        "dongjie",
        "finance",
        ["0591-87603855", "125,000.00", "100,000.00", "25,000.00", "2025-04", "鼓民〔2025〕29号", "专此公告"],
    ),
    "2022-fd-001": ("fengdu", "legal", ["30多", "60多", "2022年5月7日", "双珠村寿林洋自然村新村", "凤都司法所"]),
    "2022-hcl-001": (
        "huancuilou",
        "residential",
        ["0631-5222837", "0631-5861606", "hclbscsqb@wh.shandong.cn", "2022年5月17日", "2020年10月24日"],
    ),
    "2021-cd-001": (
        "chengdong",
        "residential",
        ["十、", "文眀祥和", "防盜", "注意个人卫", "居民会议", "2021年12月24日"],
    ),
    "2021-xj-001": (
        "xiangjia",
        "residential",
        ["100,000.00", "220,000.00", "88,000.00", "0.6 亩", "20年", "2021年12月31日 17:00", "2021年12月27日"],
    ),
    "2024-ln-001": (
        "longnan",
        "residential",
        ["1800 ㎡", "150,000.00", "11,900.00", "35,550.00", "2027年7月8日", "3,000.00", "自2024年 7 月 9 日起"],
    ),
}


def _copy(root: Path, only: str | None = None) -> Path:
    make_project(root, {})
    shutil.copytree(DATA, root / "site_data", ignore=None)
    if only is not None:
        for folder in (root / "site_data").iterdir():
            if folder.is_dir() and folder.name != only:
                shutil.rmtree(folder)
    return root


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _copy(tmp_path_factory.mktemp("real"))
    build(root, AS_OF, root / "site")
    return root


def _page_text(root: Path, nid: str) -> str:
    community, family, _ = KEYS[nid]
    return article(root / "site" / community / family / nid / "index.html").get_text(" ", strip=True)


def _pdf_text(pdf: bytes, path: Path) -> str:
    path.write_bytes(pdf)
    return "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def test_all_fourteen_are_typed():
    files = [p for p in DATA.rglob("*.yaml") if p.name not in ("community.yaml", "site.yaml")]
    assert len(files) == 14
    ids = {re.search(r"^编号: (\S+)", p.read_text(encoding="utf-8"), re.M).group(1) for p in files}
    assert ids == set(KEYS)


def test_check_passes_and_names_every_difference_from_the_source():
    site = read_site(DATA.parent, AS_OF)
    notes = [w for w in site.warnings if w.field.startswith("原文说明")]
    written = sum(p.read_text(encoding="utf-8").count("\n  - 字段:") for p in DATA.rglob("*.yaml"))
    assert len(notes) == written > 14
    ln = next(w for w in notes if w.file.endswith("longnan/2024-shichang.yaml") and "租期结束" in w.message_zh)
    text = (DATA / "longnan/2024-shichang.yaml").read_text(encoding="utf-8").splitlines()
    assert "自2024年 7 月 9 日起至 2024 年 7 月 8 日止" in text[ln.line - 1] and "2027-07-08" in ln.message_zh
    by_field = {(Path(w.file).parent.name, w.field): w for w in site.warnings}
    blank = by_field[("zhudong", "日程[6].日期原文")]
    assert "12月  日" in blank.message_zh and "2021-12-15" in blank.message_zh
    shares = by_field[("longnan", "租金分配")]
    assert "47450.00" in shares.message_zh and "102550.00" in shares.message_zh


@pytest.mark.parametrize("nid", sorted(KEYS))
def test_page_shows_the_notices_facts(real, nid):
    text = _page_text(real, nid)
    missing = [key for key in KEYS[nid][2] if key not in text]
    assert not missing, f"{nid}: {missing}"
    if nid != "2023-ls-001":  # a list of people whose 公示期 has ended keeps only its title online
        assert "原文说明" in text  # every real notice differs from its source somewhere, and says so


def test_a4_of_every_notice_shows_its_facts(real, tmp_path):
    for nid, (community, family, keys) in KEYS.items():
        if nid == "2023-ls-001":
            continue  # its 公示期 ended: no names on paper either (see the test below)
        a4 = real / "site" / community / family / nid / "notice-a4.pdf"  # as published beside its page
        text = _pdf_text(a4.read_bytes(), tmp_path / f"{nid}.pdf")
        flat = text.replace(" ", "").replace("\n", "")
        missing = [key for key in keys if key.replace(" ", "") not in flat]
        assert not missing, f"{nid} A4: {missing}"


def test_built_a4_of_the_open_consultation(real):
    a4 = real / "site" / "huancuilou" / "residential" / "2022-hcl-001" / "notice-a4.pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(a4).pages).replace(" ", "")
    for key in ("0631-5222837", "hclbscsqb@wh.shandong.cn", "2022年5月17日", "环翠楼街道"):
        assert key in text


def test_benefit_list_shows_its_figures_during_the_period_and_leaves_after(real, tmp_path):
    after = _page_text(real, "2023-ls-001")
    assert "王*兵" not in after and "1,276.00" not in after and "公示已结束" in after
    root = _copy(tmp_path / "during", only="liangshan")
    build(root, dt.date(2023, 5, 25), root / "site")
    page = article(root / "site/liangshan/residential/2023-ls-001/index.html").get_text(" ", strip=True)
    for key in (
        "王*兵",
        "1,000.00",
        "860.00",
        "140.00",
        "430.00",
        "金桥村",
        "家庭补差救助",
        "成员重点救助",
        "原文说明",
    ):
        assert key in page
    a4 = root / "site/liangshan/residential/2023-ls-001/notice-a4.pdf"
    assert "1,276.00" in "".join(p.extract_text() for p in pypdf.PdfReader(a4).pages)


def _problems(tmp_path: Path, folder: str, name: str, old: str, new: str) -> list:
    root = _copy(tmp_path / "p", only=folder)
    path = root / "site_data" / folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RecordsInvalid) as caught:
        read_site(root, AS_OF)
    return [p for p in caught.value.problems if p.severity == "error"]


def test_the_sources_own_lease_dates_are_refused_where_they_stand(tmp_path):
    (p,) = _problems(tmp_path, "longnan", "2024-shichang.yaml", "租期结束: 2027-07-08", "租期结束: 2024-07-08")
    lines = (DATA / "longnan/2024-shichang.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[p.line - 1].startswith("租期结束:")
    assert p.field == "租期结束" and "早于" in p.message_zh and "2027-07-08" in p.hint_zh


def test_a_table_row_short_of_its_header_is_refused(tmp_path):
    files = community_files()
    files["site_data/ceshi/t.yaml"] = (
        "编号: t-1\n类型: 公告\n标题: 交易标的明细表\n发布单位: juweihui\n发布日期: 2024-06-14\n状态: 已发布\n"
        "表格:\n  - 表头: [标号, 标的名称, 面积, 标底价, 年金额, 交易保证金, 交易履约金]\n"
        "    行:\n      - [1, 莲华镇隆城生活市场经营权出租, 1800, 15万元, 3年, 3000]\n"
    )
    with pytest.raises(RecordsInvalid) as caught:
        build_project(tmp_path, files)
    (p,) = caught.value.problems
    assert (p.field, p.line) == ("表格[1].行[1]", 10) and "6 格" in p.message_zh and "7 列" in p.message_zh


def test_figures_that_do_not_add_up_are_refused(tmp_path):
    (dues,) = _problems(tmp_path / "a", "lianghekou", "2023-zhuanxiang-dangfei.yaml", "合计: 8\n", "合计: 9\n")
    assert dues.field == "合计" and "8" in dues.hint_zh
    (land,) = _problems(tmp_path / "b", "molidawa", "2018-jidongdi.yaml", "金额: 131100.00", "金额: 131000.00")
    assert land.field == "核算[1].金额" and "131100.00" in land.hint_zh


def test_a_blank_schedule_day_needs_the_published_text(tmp_path):
    (p,) = _problems(tmp_path, "zhudong", "2021-gongkaixin.yaml", "    日期原文: 12月  日\n", "")
    assert p.field == "日程[6].开始" and "日期原文" in p.message_zh
