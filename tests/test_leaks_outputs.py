"""What reaches site/ and print/ (issue 14): no commit message, no withheld list, no metadata of
an office machine; corrections shown; CSV cells and CI annotations that cannot run as commands."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pypdf
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import ROOT, community_files, make_project, meeting
from generator.build import build
from generator.cli import main
from generator.errors import RecordsInvalid
from generator.gate.extract import html_text
from generator.reading.numbers import find_numbers
from generator.today import parse_as_of

AS_OF = "2024-11-28"
LIST = "site_data/ceshi/juwu/2024-jw-001.yaml"


def benefit(period: str, title: str = "关于2024年11月临时救助对象的公示", extra: str = "", body: str = "") -> str:
    return f"""编号: 2024-jw-001
类型: 救助名单
标题: {title}
发布单位: juweihui
发布日期: 2024-11-01
状态: 已发布
公示期: {period}
项目: 临时救助
金额单位: 元（一次性）
{body}{extra}名单:
  - 姓名: 赵秀兰
    家庭人口: 3
    金额: 2000.00
    理由: 因病致贫
    网格: 第二网格（湘江苑）
"""


def git(root: Path, *args: str) -> None:
    who = ["-c", "user.name=测试", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *who, *args], cwd=root, capture_output=True, check=True)


def every_file(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages).replace(" ", "")


def minimal_pdf(author: str) -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": author, "/Title": "低保名单（内部）"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_commit_message_with_a_phone_number_is_nowhere_on_the_site(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "p", {**community_files(), "site_data/ceshi/dangwu/a.yaml": meeting("2024-dw-001", "会议")}
    )
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "王大妈说电话改成 13812345678")
    (root / "site_data/ceshi/dangwu/a.yaml").write_text(meeting("2024-dw-001", "会议（修订）"), encoding="utf-8")
    git(root, "commit", "-q", "-am", "张三家的低保停了，电话 13912345678")
    build(root, parse_as_of(None), root / "site")
    files = every_file(root / "site")
    page = files["ceshi/party/2024-dw-001/index.html"].decode("utf-8")
    history = [li.get_text() for li in BeautifulSoup(page, "html.parser").select(".gk-history li")]
    assert len(history) == 2 and history[0].endswith("：修改") and history[1].endswith("：发布")
    for words in ("13812345678", "13912345678", "王大妈", "张三家"):
        assert not [name for name, data in files.items() if words.encode("utf-8") in data], words


def test_an_in_place_correction_is_on_the_page_and_on_the_a4(tmp_path: Path) -> None:
    record = meeting("2024-dw-001", "发展对象公示", "2024-11-20", 公示期="{开始: 2024-11-20, 天数: 10}")
    root = make_project(tmp_path / "p", {**community_files(), "site_data/ceshi/dangwu/a.yaml": record})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "records")
    corrected = record.replace("实到: 6", "实到: 5") + "更正说明: 实到人数应为5人\n"
    (root / "site_data/ceshi/dangwu/a.yaml").write_text(corrected, encoding="utf-8")
    git(root, "commit", "-q", "-am", "fix")
    today = parse_as_of(None)
    build(root, today, root / "site")
    page = BeautifulSoup((root / "site/ceshi/party/2024-dw-001/index.html").read_text(encoding="utf-8"), "html.parser")
    day = f"{today.year}年{today.month}月{today.day}日"
    assert page.select_one(".gk-correction-note").get_text().strip().endswith(f"本通知于{day}更正：实到人数应为5人")
    assert next(li.get_text() for li in page.select(".gk-history li")) == f"{day}：更正：实到人数应为5人"
    a4 = pdf_text((root / "site/ceshi/party/2024-dw-001/notice-a4.pdf").read_bytes())
    assert "本通知已更正：实到人数应为5人" in a4


@pytest.mark.parametrize(
    ("period", "state"),
    [("{开始: 2024-11-01, 结束: 2024-11-07}", "公示已结束"), ("{开始: 2024-12-01, 结束: 2024-12-07}", "公示尚未开始")],
)
def test_a_list_outside_its_publicity_leaves_nothing_behind(tmp_path: Path, period: str, state: str) -> None:
    files = {
        **community_files(),
        LIST: benefit(
            period,
            extra="附件:\n  - 文件: 附件/名单.pdf\n    说明: 名单原件\n",
            body="正文: 经评议，赵秀兰家庭符合条件。\n",
        ),
    }
    root = make_project(tmp_path / "p", files)
    (root / "site_data/ceshi/juwu/附件").mkdir()
    (root / "site_data/ceshi/juwu/附件/名单.pdf").write_bytes(minimal_pdf("社区"))
    build(root, parse_as_of(AS_OF), root / "site")
    published = every_file(root / "site")
    assert [n for n in published if n.startswith("ceshi/residential/2024-jw-001/")] == [
        "ceshi/residential/2024-jw-001/index.html"
    ]
    assert not [n for n, data in published.items() if "赵秀兰".encode() in data]
    page = BeautifulSoup(published["ceshi/residential/2024-jw-001/index.html"].decode("utf-8"), "html.parser")
    assert state in page.get_text() and "关于2024年11月临时救助对象的公示" in page.get_text()
    main(["boards", "--root", str(root), "--as-of", AS_OF])
    assert not list((root / "print").rglob("*2024-jw-001*"))


def test_the_same_list_during_its_publicity_is_published_whole(tmp_path: Path) -> None:
    """The counterpart of the test above: the files it looks for exist while the list is up."""
    files = {
        **community_files(),
        LIST: benefit("{开始: 2024-11-25, 结束: 2024-12-01}", extra="附件:\n  - 文件: 名单.pdf\n"),
    }
    root = make_project(tmp_path / "p", files)
    (root / "site_data/ceshi/juwu/名单.pdf").write_bytes(minimal_pdf("社区"))
    build(root, parse_as_of(AS_OF), root / "site")
    folder = root / "site/ceshi/residential/2024-jw-001"
    assert {p.name for p in folder.iterdir()} >= {"index.html", "1-名单.pdf", "notice-a4.pdf"}
    assert "赵秀兰" in (folder / "index.html").read_text(encoding="utf-8")


def test_a_withheld_name_anywhere_stops_the_build(tmp_path: Path) -> None:
    title = "关于赵秀兰家庭临时救助的公示"  # the title stays online after the 公示期: the name with it
    root = make_project(
        tmp_path / "p", {**community_files(), LIST: benefit("{开始: 2024-11-01, 结束: 2024-11-07}", title)}
    )
    (root / "site").mkdir()
    (root / "site/index.html").write_text("昨天的网站", encoding="utf-8")
    with pytest.raises(RecordsInvalid) as caught:
        build(root, parse_as_of(AS_OF), root / "site")
    assert {p.file for p in caught.value.problems} == {LIST}
    assert all("名单上的姓名“赵秀兰”" in p.message_zh for p in caught.value.problems)
    assert every_file(root / "site") == {"index.html": "昨天的网站".encode()}


def test_attachments_are_published_without_their_metadata(tmp_path: Path) -> None:
    extra = '附件:\n  - 文件: "附件/会议 #1 照片.jpg"\n    说明: 照片\n  - 文件: 附件/纪要?.pdf\n    说明: 纪要\n'
    root = make_project(
        tmp_path / "p", {**community_files(), "site_data/ceshi/dangwu/a.yaml": meeting("2024-dw-001", "会议") + extra}
    )
    folder = root / "site_data/ceshi/dangwu/附件"
    folder.mkdir()
    exif = Image.Exif()
    exif[0x010E] = "owner 13812345678"  # ImageDescription
    exif[0x013B] = "Zhang San"  # Artist
    photo = io.BytesIO()
    Image.new("RGB", (16, 8), "red").save(photo, "JPEG", exif=exif)
    (folder / "会议 #1 照片.jpg").write_bytes(photo.getvalue())
    (folder / "纪要?.pdf").write_bytes(minimal_pdf("13912345678"))
    build(root, parse_as_of(AS_OF), root / "site")
    page_dir = root / "site/ceshi/party/2024-dw-001"
    links = [
        a["href"]
        for a in BeautifulSoup((page_dir / "index.html").read_text("utf-8"), "html.parser").select(".gk-attachments a")
    ]
    assert links == ["1-%E4%BC%9A%E8%AE%AE%20%231%20%E7%85%A7%E7%89%87.jpg", "2-%E7%BA%AA%E8%A6%81%3F.pdf"]
    published = [page_dir / unquote(link) for link in links]
    with Image.open(published[0]) as img:
        assert img.size == (16, 8) and not img.getexif() and "exif" not in img.info
    assert b"13812345678" not in published[0].read_bytes()
    reader = pypdf.PdfReader(published[1])
    assert reader.metadata is None and len(reader.pages) == 1
    assert b"13912345678" not in published[1].read_bytes()


def test_boards_refuse_a_leak_and_keep_the_old_print_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = "正文: 有异议请联系 1381234<!-- -->5678\n"
    root = make_project(
        tmp_path / "p", {**community_files(), LIST: benefit("{开始: 2024-11-25, 结束: 2024-12-01}", body=body)}
    )
    (root / "print").mkdir()
    (root / "print/old.pdf").write_bytes(b"%PDF-old")
    capsys.readouterr()
    assert main(["boards", "--root", str(root), "--as-of", AS_OF]) == 1
    err = capsys.readouterr().err
    assert f"{LIST}:1:1: 生成的 print/ceshi/residential/2024-jw-001/notice-a4.pdf 里有手机号“138****5678”" in err
    assert every_file(root / "print") == {"old.pdf": b"%PDF-old"}


def test_public_contact_numbers_are_published_and_only_those(tmp_path: Path) -> None:
    roster = """编号: 2024-jw-002
类型: 人员公示
标题: 社区网格员公示
发布单位: juweihui
发布日期: 2024-05-01
状态: 已发布
监督渠道: {监督电话: 13700001111}
人员:
  - 姓名: 李明
    岗位: 专职网格员
    职责: 第一网格
    服务电话: 13912345678
"""
    root = make_project(tmp_path / "p", {**community_files(), "site_data/ceshi/juwu/r.yaml": roster})
    build(root, parse_as_of(AS_OF), root / "site")
    page = (root / "site/ceshi/residential/2024-jw-002/index.html").read_text(encoding="utf-8")
    assert "13912345678" in page and "13700001111" in page


def test_csv_cells_never_run_as_formulas(tmp_path: Path) -> None:
    example = (ROOT / "generator/records/examples/收支公开.yaml").read_text(encoding="utf-8")
    hostile = example.replace("摘要: A4打印纸、墨盒", '摘要: \'=HYPERLINK("http://evil.example","点此")\'')
    hostile = hostile.replace("来源: 银行存款利息", "来源: '@SUM(1+1)'")
    assert hostile.count("HYPERLINK") == 1 and hostile.count("@SUM") == 1
    root = make_project(tmp_path / "p", {**community_files(), "site_data/ceshi/caiwu/a.yaml": hostile})
    build(root, parse_as_of(AS_OF), root / "site")
    for name in ("ceshi/*/example-cw-001/lines.csv", "ceshi/opendata/expenditure.csv", "ceshi/opendata/revenue.csv"):
        text = next((root / "site").glob(name)).read_text(encoding="utf-8-sig")
        cells = [cell for line in text.splitlines() for cell in line.split(",")]
        assert not [c for c in cells if c.lstrip('"')[:1] in ("=", "@")], name
    lines = next((root / "site").glob("ceshi/*/example-cw-001/lines.csv")).read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in lines and "'@SUM(1+1)" in lines


def test_file_names_cannot_inject_ci_commands_or_terminal_escapes(tmp_path: Path, capsys) -> None:
    bad = meeting("2024-dw-001", "会议").replace("应到: 7", "应到: 7\n应到: 8")  # a duplicate key: one problem
    name = "site_data/ceshi/坏\x1b[2K\n::error file=x::伪造 100%.yaml"
    root = make_project(tmp_path / "p", {**community_files(), name: bad})
    capsys.readouterr()
    assert main(["check", "--root", str(root), "--as-of", AS_OF, "--format", "github"]) == 1
    err = capsys.readouterr().err
    commands = [line for line in err.splitlines() if line.startswith("::")]
    assert len(commands) == 1 and "%0A" in commands[0] and "伪造 100%25" in commands[0]
    assert main(["check", "--root", str(root), "--as-of", AS_OF]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "坏\ufffd[2K\ufffd::error" in err


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("1 430.00 287.00 287.00", []),  # a row of a printed list: a row number, then amounts
        ("3 杨*刚 2 179.00 1,276.00 1,076.00", []),
        ("430.00 138 0013 8000", ["13800138000"]),  # a mobile after an amount is still found
        ("138.0013.8000", ["13800138000"]),
        ("合计 1.50 13800138000", ["13800138000"]),
    ],
)
def test_amounts_in_a_row_are_not_read_as_one_mobile_number(text: str, found: list[str]) -> None:
    assert [f.number for f in find_numbers(text)] == found


def test_a_charts_own_style_sheet_is_not_read_as_text_but_its_labels_are() -> None:
    # Found at 2,000 records: a chart's generated id (hex digits) in its SVG's <style> rules was
    # taken for a mobile number and stopped the build.
    chart = '<svg id="chart-17271824600b"><style>#chart-17271824600b .axis{fill:none}</style><text>{label}</text></svg>'
    assert list(find_numbers(html_text(chart.replace("{label}", "支出 2,362.53")))) == []
    leaked = html_text(chart.replace("{label}", "联系 13800138000"))
    assert [f.number for f in find_numbers(leaked)] == ["13800138000"]


def test_a_change_is_dated_by_the_day_in_beijing(tmp_path: Path) -> None:
    """A commit made at 00:30 in China from a machine set to UTC is that Chinese day's change."""
    import os

    from generator.web.history import Change, file_history

    root = make_project(
        tmp_path / "p", {**community_files(), "site_data/ceshi/dangwu/a.yaml": meeting("2024-dw-001", "会议")}
    )
    git(root, "init", "-q")
    git(root, "add", "-A")
    env = {
        **os.environ,
        "GIT_COMMITTER_DATE": "2024-11-25T16:30:00+00:00",
        "GIT_AUTHOR_DATE": "2024-11-25T16:30:00+00:00",
    }
    who = ["-c", "user.name=测试", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *who, "commit", "-q", "-m", "records"], cwd=root, env=env, check=True)
    assert file_history(root)["site_data/ceshi/dangwu/a.yaml"] == [Change(parse_as_of("2024-11-26"))]
