"""The A4 公示 measured against GB/T 9704-2012 with a PDF text-position reader (pdfium): the 版心,
28 characters × 22 lines, the 仿宋 body, "— n —" page numbers, the title broken between words,
the closing kept with body text, and the finance sign-off boxes."""

from __future__ import annotations

import ctypes
import itertools
from collections import defaultdict
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from test_print import boards_project, pdf_text, run_boards

from conftest import meeting

MM = 72 / 25.4
PX_PT = 0.75  # WeasyPrint's user unit: font sizes read back in CSS px


def chars(path: Path) -> list[list[tuple[str, float, float, float, str]]]:
    """Per page: (character, origin x mm, baseline y mm from the top, size pt, font name)."""
    pages = []
    for page in pdfium.PdfDocument(path):
        text, height = page.get_textpage(), page.get_height()
        found = []
        for i in range(text.count_chars()):
            c = text.get_text_range(i, 1)
            if not c.strip():
                continue
            x, y = ctypes.c_double(), ctypes.c_double()
            raw.FPDFText_GetCharOrigin(text, i, x, y)
            name = ctypes.create_string_buffer(256)
            raw.FPDFText_GetFontInfo(text, i, name, 256, None)
            size = raw.FPDFText_GetFontSize(text, i) * PX_PT
            found.append((c, x.value / MM, (height - y.value) / MM, round(size, 1), name.value.decode()))
        pages.append(found)
    return pages


def lines(page: list[tuple[str, float, float, float, str]], size: float) -> list[list[tuple]]:
    """Characters of one size grouped into lines by baseline, top to bottom."""
    by_line: dict[float, list[tuple]] = defaultdict(list)
    for c in page:
        if c[3] == size:
            by_line[round(c[2], 1)].append(c)
    return [sorted(by_line[y], key=lambda c: c[1]) for y in sorted(by_line)]


HAN = "公开透明是基层治理的基本要求社区居民委员会依法接受群众监督每一笔收支都要让居民看得明白" * 3


def long_notice(rid: str, title: str, paragraphs: int) -> str:
    body = "\n\n".join(HAN for _ in range(paragraphs))
    return meeting(
        rid, title, "2024-11-20", 正文="|\n  " + body.replace("\n", "\n  "), 公示期="{开始: 2024-11-20, 天数: 10}"
    )


def test_a4_text_block_grid_font_and_page_numbers(tmp_path):
    title = "社区党支部关于确定张三同志李四同志王五同志为中共预备党员人选"
    root = boards_project(tmp_path, {"site_data/ceshi/a.yaml": long_notice("gb-1", title, 8)})
    assert run_boards(root) == 0
    pdf = root / "print/ceshi/party/gb-1/notice-a4.pdf"
    pages = chars(pdf)
    assert len(pages) >= 2

    # The title: 2号 (22 pt), its first line's em box at the top of the 版心 (37 mm), broken
    # between words into lines of more than one character.
    title_lines = lines(pages[0], 22.0)
    assert len(title_lines) == 2
    assert all(len(line) > 1 for line in title_lines)
    assert "".join(c[0] for line in title_lines for c in line) == f"关于{title}的公示"
    first = title_lines[0][0]
    assert abs((first[2] - 0.88 * 22 / MM) - 37) <= 0.5

    # The body: 3号 (16 pt) 仿宋, 28 characters a full line from 28 mm to 184 mm, 22 lines a page.
    body = lines(pages[1], 16.0)
    assert len(body) == 22
    assert body[-1][0][2] + 0.12 * 16 / MM <= 37 + 225 + 0.5  # the last line's em box ends in the 版心
    # A line followed by an unindented line is a full line of its paragraph (not its last).
    full = [line for line, after in itertools.pairwise(body) if abs(after[0][1] - 28) < 0.5]
    assert len(full) >= 10
    for line in full:
        indented = abs(line[0][1] - 28 - 2 * 156 / 28) <= 0.5  # a paragraph's first line: two characters in
        assert indented or abs(line[0][1] - 28) <= 0.5
        assert len(line) == (26 if indented else 28)
        advance = line[-1][1] - line[-2][1]
        assert abs(line[-1][1] + advance - (28 + 156)) <= 0.5  # justified: the line ends at the right edge
    assert all("Fang" in c[4] for line in body for c in line)

    # Page numbers: "— n —" in 4号 (14 pt), below the 版心, odd pages right, even pages left.
    for n, page in enumerate(pages, start=1):
        number = [c for c in page if c[3] == 14.0]
        assert "".join(c[0] for c in number).replace(" ", "") == f"—{n}—"
        assert all(37 + 225 + 5 < c[2] < 37 + 225 + 15 for c in number)
        if n % 2:
            assert number[-1][1] > 170
        else:
            assert number[0][1] < 40


def test_a4_closing_keeps_body_lines_and_follows_the_sealed_rule(tmp_path):
    # Enough text that a naive layout would put only 特此公示 and the 落款 on the last page.
    files = {f"site_data/ceshi/c{k}.yaml": long_notice(f"gb-c{k}", f"第{k}次会议", k) for k in range(2, 6)}
    root = boards_project(tmp_path, files)
    assert run_boards(root) == 0
    for k in range(2, 6):
        pages = chars(root / f"print/ceshi/party/gb-c{k}/notice-a4.pdf")
        last = pages[-1]
        body = lines(last, 16.0)
        text = ["".join(c[0] for c in line) for line in body]
        closing = next(i for i, line in enumerate(text) if line.startswith("特此公示"))
        assert closing >= 2, (k, text)  # at least two lines of body above the closing
        org = [line for line in body if "".join(c[0] for c in line) == "中共测试社区委员会"][-1]
        date = [line for line in body if "".join(c[0] for c in line) == "2024年11月20日"][-1]
        # 成文日期 four characters in from the right; the organisation centred over it.
        assert abs(date[-1][1] + 16 / MM - (184 - 4 * 156 / 28)) <= 1
        centre = lambda line: (line[0][1] + line[-1][1]) / 2  # noqa: E731
        assert abs(centre(org) - centre(date)) <= 3
        assert org[0][2] < date[0][2]


def test_every_public_notice_gets_an_a4_and_finance_ones_the_signoff_boxes(tmp_path):
    statement = (Path(__file__).parents[1] / "generator/records/examples/收支公开.yaml").read_text(encoding="utf-8")
    statement = statement.replace("example-cw-001", "cw-1").replace("发布单位: juweihui", "发布单位: juweihui")
    no_period = meeting("gb-n", "支部委员会会议纪要", "2024-11-20")
    root = boards_project(tmp_path, {"site_data/ceshi/s.yaml": statement, "site_data/ceshi/m.yaml": no_period})
    assert run_boards(root) == 0
    minutes = pdf_text(root / "print/ceshi/party/gb-n/notice-a4.pdf")
    assert "支部委员会会议纪要" in minutes and "特此公开" in minutes and "公示期" not in minutes
    text = pdf_text(root / "print/ceshi/finance/cw-1/notice-a4.pdf")
    for words in (
        "民主理财小组审核意见",
        "收支凭证齐全，审批手续完备，同意公开",
        "成员签名",
        "周建国",
        "何振华",
        "吕淑芬",
    ):
        assert words in text
