"""Boards read back: every panel holds a notice and the footer strip, the reported panel count is
the page count, a long list continues across columns with its header repeated, one board's
problem leaves the other PDFs written, PDF/X-4 with a real CMYK profile, crop marks, QR quiet zone."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import segno
from test_print import MM, board, boards_project, notice, run_boards

CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # Debian: libgs-common
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "建国淑芬德华春梅秀英志强桂兰海燕"


def page_texts(path: Path) -> list[str]:
    return [page.extract_text().replace(" ", "") for page in pypdf.PdfReader(path).pages]


def benefit_list(rid: str, rows: int) -> str:
    people = "".join(
        f"  - 姓名: {SURNAMES[i % len(SURNAMES)]}{GIVEN[(i * 2) % len(GIVEN)]}{GIVEN[(i * 3 + 1) % len(GIVEN)]}\n"
        f"    家庭人口: {1 + i % 5}\n    金额: {500 + i}.00\n    理由: 家庭收入低于当地最低生活保障标准\n"
        f"    网格: 第{1 + i % 4}网格\n"
        for i in range(rows)
    )
    return (
        f"编号: {rid}\n类型: 救助名单\n标题: 关于2024年第四季度城市最低生活保障对象的公示\n发布单位: juweihui\n"
        "发布日期: 2024-11-25\n状态: 已发布\n公开范围: 向社会公开\n公示期: {开始: 2024-11-25, 结束: 2024-12-05}\n"
        f"项目: 城市低保\n金额单位: 元/月\n名单:\n{people}"
        "正文: 经本人申请、入户调查和民主评议，拟将以下家庭纳入城市低保。\n"
    )


def reported(out: str, bid: str) -> int:
    return int(re.search(rf"{bid}/board\.pdf，(\d+) 块", out).group(1))


def test_panels_each_hold_a_notice_and_the_footer_and_the_count_is_the_page_count(tmp_path, capsys):
    titles = [f"第{i}次支部委员会会议" for i in range(7)]
    files = {f"site_data/ceshi/n{i}.yaml": notice(f"bd-{i}", t, "会议内容。" * 40) for i, t in enumerate(titles)}
    files["site_data/ceshi/b.yaml"] = board("b-1", "1200x900", 方向="横向")
    files["site_data/ceshi/c.yaml"] = board("b-2", "A4", 方向="横向")
    root = boards_project(tmp_path, files)
    assert run_boards(root) == 0
    out = capsys.readouterr().out
    for bid in ("b-1", "b-2"):
        pages = page_texts(root / f"print/ceshi/boards/{bid}/board.pdf")
        assert reported(out, bid) == len(pages)
        for n, text in enumerate(pages, start=1):
            assert any(t in text for t in titles), (bid, n)  # never a page without a notice card
            assert "监督电话0395-1234567" in text and f"第{n}块/共{len(pages)}块" in text  # footer strip
            if n > 1:
                assert f"{'1200x900' if bid == 'b-1' else 'A4'}测试板（续）" in text  # title repeated
        assert "".join(pages).count("党务公开") >= 1
    assert reported(out, "b-2") > 1  # the A4 board needed more than one panel and said so


def test_a_60_row_list_continues_and_other_boards_are_still_written(tmp_path, capsys):
    files = {
        "site_data/ceshi/list.yaml": benefit_list("bd-list", 60),
        "site_data/ceshi/m.yaml": notice("bd-m", "支部委员会会议"),
        "site_data/ceshi/b1.yaml": board("b-long", "展板", 类别="[居务公开]"),
        "site_data/ceshi/b2.yaml": board("b-strict", "A3", 类别="[居务公开]", 放不下时="报错"),
        "site_data/ceshi/b3.yaml": board("b-party", "A3"),
    }
    root = boards_project(tmp_path, files)
    assert run_boards(root) == 1  # b-strict cannot hold the list on one panel…
    captured = capsys.readouterr()
    assert "b2.yaml:5:5: 尺寸: 一块板放不下" in captured.err
    assert "以上 1 份 PDF 无法排版；其余 4 份已生成" in captured.err and "未发布任何内容" not in captured.err
    assert not (root / "print/ceshi/boards/b-strict/board.pdf").exists()
    # …but everything else is written: the other boards and every A4, the list's own included.
    assert (root / "print/ceshi/boards/b-party/board.pdf").is_file()
    assert (root / "print/ceshi/residential/bd-list/notice-a4.pdf").is_file()
    assert (root / "print/ceshi/party/bd-m/notice-a4.pdf").is_file()
    pages = page_texts(root / "print/ceshi/boards/b-long/board.pdf")
    text = "".join(pages)
    assert reported(captured.out, "b-long") == len(pages)
    for i in range(60):
        assert f"{500 + i}.00" in text  # every row is printed, none cut
    assert text.count("家庭人口") >= 2  # the header row is repeated where the table continues
    assert "关于2024年第四季度城市最低生活保障对象的公示（续）" in text


def test_pdfx4_with_a_debian_cmyk_profile_has_an_output_intent(tmp_path):
    assert CMYK_PROFILE.is_file(), "install libgs-common (dev.sh does)"
    files = {"site_data/ceshi/a.yaml": notice("bd-x", "会议"), "site_data/ceshi/b.yaml": board("b-x", "A3")}
    root = boards_project(tmp_path, files)
    assert run_boards(root, "--icc", str(CMYK_PROFILE)) == 0
    for pdf in (root / "print/ceshi/boards/b-x/board.pdf", root / "print/ceshi/party/bd-x/notice-a4.pdf"):
        reader = pypdf.PdfReader(pdf)
        intents = reader.trailer["/Root"]["/OutputIntents"]
        intent = intents[0].get_object()
        assert intent["/S"] == "/GTS_PDFX"
        profile = intent["/DestOutputProfile"].get_object().get_data()
        assert profile[36:40] == b"acsp" and profile[16:20] == b"CMYK"
        assert "PDF/X-4" in str(reader.trailer["/Root"]["/Metadata"].get_object().get_data())


def test_crop_marks_widen_the_page_around_the_trim(tmp_path):
    files = {"site_data/ceshi/a.yaml": notice("bd-c", "会议"), "site_data/ceshi/b.yaml": board("b-c", "A3", 出血="3")}
    root = boards_project(tmp_path, files)
    assert run_boards(root, "--crop-marks") == 0
    page = pypdf.PdfReader(root / "print/ceshi/boards/b-c/board.pdf").pages[0]
    assert (round(float(page.trimbox.width) / MM), round(float(page.trimbox.height) / MM)) == (297, 420)
    assert (round(float(page.mediabox.width) / MM), round(float(page.mediabox.height) / MM)) == (317, 440)
    stream = page.get_contents().get_data()
    assert stream.count(b" l") >= 8  # the marks: line segments outside the trim


def test_qr_codes_have_a_quiet_zone_of_four_modules():
    from generator.paper.printing import qr_svg

    url = "https://gongkai.example.org/ceshi/party/pr-1/"
    size = segno.make(url, error="m").symbol_size(border=0)[0]
    view = re.search(r'viewBox="0 0 (\d+) (\d+)"', str(qr_svg(url)))
    assert view and int(view.group(1)) == size + 8


def test_qr_codes_are_kept_between_builds_and_read_back(tmp_path):
    # Encoding a QR code takes 9-18 ms: a thousand A4 notices would add 10-20 s to every build.
    from generator.paper.printing import qr_svg

    url = "https://gongkai.example.org/ceshi/party/pr-2/"
    first = qr_svg(url, tmp_path)
    assert first == qr_svg(url)  # the same drawing, kept or not
    [kept] = tmp_path.glob("*.svg")
    assert kept.read_text(encoding="utf-8") == str(first)
    qr_svg.cache_clear()  # a new process: only the file is left
    kept.write_text('<svg id="kept"/>', encoding="utf-8")
    assert qr_svg(url, tmp_path) == '<svg id="kept"/>'  # read back, not encoded again
    assert qr_svg(url + "x/", tmp_path) != first and len(list(tmp_path.glob("*.svg"))) == 2
    (tmp_path / "a-file").write_text("", encoding="utf-8")  # no folder can be made under it, even by root
    assert qr_svg(url, tmp_path / "a-file" / "qr") == first  # a cache that cannot be written costs only time


def test_packer_back_fills_a_gap_and_never_opens_an_empty_panel():
    from generator.paper.packing import Sizes, pack

    def card(*units: float) -> Sizes:
        return Sizes(10.0, 10.0, units, (None,) * len(units), (), (False,) * len(units))

    # Column 100 mm: a (60) fits; b (80, two blocks of 35 + the QR 10) fits nowhere in the 30 mm left,
    # but c (20) does: it is pulled up; b opens the next column.
    sizes = {"a": card(50.0), "b": card(35.0, 35.0, 10.0), "c": card(10.0)}
    packed = pack([("党务公开", ["a", "b", "c"])], sizes, zone_mm=5.0, card_mm=0.0, column_mm=100.0, columns=2)
    assert len(packed.panels) == 1 and not packed.too_tall
    first, second = ([p.card for z in col.zones for p in z.pieces] for col in packed.panels[0].columns)
    assert first == ["a", "c"] and second == ["b"]
