"""Print: PDFs read back — page boxes, embedded fonts, text, QR codes, ink, fitting and failing."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp

from conftest import community_files, make_project, meeting
from generator.cli import main
from generator.records.board import PRESETS

AS_OF = ["--as-of", "2024-11-28"]
MM = 72 / 25.4
SITE_URL = "https://gongkai.example.org/"


def notice(rid: str, title: str, body: str = "经支部委员会研究，拟确定以下同志为发展对象。") -> str:
    return meeting(rid, title, "2024-11-20", 正文=body, 公示期="{开始: 2024-11-20, 天数: 10}")


def board(bid: str, size: str, **extra: str) -> str:
    fields = {
        "编号": bid,
        "类型": "展板",
        "标题": f"{size}测试板",
        "发布单位": "juweihui",
        "尺寸": size,
        "栏数": "2",
        "类别": "[党务公开]",
    }
    fields.update(extra)
    return "".join(f"{k}: {v}\n" for k, v in fields.items())


def boards_project(root: Path, files: dict[str, str]) -> Path:
    base = community_files()
    base.update(files)
    make_project(root, base)
    return root


def run_boards(root: Path, *extra: str) -> int:
    return main(["boards", "--root", str(root), *AS_OF, *extra])


def pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(path).pages).replace(" ", "")


def fonts_of(path: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font of every page."""
    found = []
    for page in pypdf.PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.append((str(font["/BaseFont"]), embedded))
    return found


def colour_operators(path: Path) -> set[str]:
    """The colour-setting operators used in every content stream (pages and form XObjects)."""
    ops = set()
    reader = pypdf.PdfReader(path)
    for page in reader.pages:
        streams = [page.get_contents().get_data()]
        for xobject in (page["/Resources"].get("/XObject") or {}).values():
            streams.append(xobject.get_object().get_data())
        for data in streams:
            ops.update(
                m.decode() for m in re.findall(rb"(?<![A-Za-z/])(rg|RG|k|K|g|G|sc|SC|scn|SCN)(?![A-Za-z])", data)
            )
    return ops


def test_a4_notice_reads_back_as_a_gbt9704_notice(tmp_path):
    root = boards_project(tmp_path, {"site_data/ceshi/a.yaml": notice("pr-1", "确定张三为发展对象")})
    assert run_boards(root) == 0
    pdf = root / "print/ceshi/party/pr-1/notice-a4.pdf"
    page = pypdf.PdfReader(pdf).pages[0]
    assert round(float(page.trimbox.width) / MM) == 210 and round(float(page.trimbox.height) / MM) == 297
    text = pdf_text(pdf)
    assert "关于确定张三为发展对象的公示" in text
    assert "公示期：2024年11月20日至2024年11月29日" in text
    assert "0395-7654321" in text  # the publishing organisation's 监督电话
    assert "特此公示" in text and "2024年11月20日" in text
    fonts = fonts_of(pdf)
    assert fonts and all(embedded for _, embedded in fonts)
    assert all("+" in name for name, _ in fonts)  # subset
    assert any("CJK-SC" in name or "CJKSC" in name for name, _ in fonts)


def test_qr_code_on_paper_decodes_to_the_notice_page(tmp_path):
    root = boards_project(tmp_path, {"site_data/ceshi/a.yaml": notice("pr-2", "支部委员会会议")})
    assert run_boards(root) == 0
    document = pdfium.PdfDocument(root / "print/ceshi/party/pr-2/notice-a4.pdf")
    urls = set()
    for page in document:
        urls.update(code.text for code in zxingcpp.read_barcodes(page.render(scale=300 / 72).to_pil()))
    assert urls == {f"{SITE_URL}ceshi/party/pr-2/"}


def test_no_rgb_colour_anywhere(tmp_path):
    root = boards_project(
        tmp_path,
        {
            "site_data/ceshi/a.yaml": notice("pr-3", "会议"),
            "site_data/ceshi/b.yaml": board("b-1", "展板", 出血="3"),
        },
    )
    assert run_boards(root) == 0
    for pdf in (root / "print").rglob("*.pdf"):
        ops = colour_operators(pdf)
        assert ops & {"scn", "SCN", "k", "K"}, pdf  # colours are set…
        assert not ops & {"rg", "RG", "g", "G"}, (pdf, ops)  # …and never as RGB or grey


@pytest.mark.parametrize("size", list(PRESETS))
def test_every_preset_has_its_trim_and_bleed(tmp_path, size):
    w, h, _ = PRESETS[size]
    root = boards_project(
        tmp_path,
        {
            "site_data/ceshi/a.yaml": notice("pr-4", "会议"),
            "site_data/ceshi/b.yaml": board("b-2", size, 出血="3"),
        },
    )
    assert run_boards(root) == 0
    page = pypdf.PdfReader(root / "print/ceshi/boards/b-2/board.pdf").pages[0]
    assert (round(float(page.trimbox.width) / MM), round(float(page.trimbox.height) / MM)) == (w, h)
    assert (round(float(page.bleedbox.width) / MM), round(float(page.bleedbox.height) / MM)) == (w + 6, h + 6)
    assert "会议" in pdf_text(root / "print/ceshi/boards/b-2/board.pdf")


def test_custom_size_and_orientation(tmp_path):
    root = boards_project(
        tmp_path,
        {
            "site_data/ceshi/a.yaml": notice("pr-5", "会议"),
            "site_data/ceshi/b.yaml": board("b-3", "1200x900", 方向="竖向"),
        },
    )
    assert run_boards(root) == 0
    page = pypdf.PdfReader(root / "print/ceshi/boards/b-3/board.pdf").pages[0]
    assert (round(float(page.trimbox.width) / MM), round(float(page.trimbox.height) / MM)) == (900, 1200)


def test_panel_text_stays_legible_and_too_much_flows_to_more_panels(tmp_path, capsys):
    files = {f"site_data/ceshi/n{i}.yaml": notice(f"pr-f{i}", f"第{i}次会议", "会议内容。" * 60) for i in range(8)}
    files["site_data/ceshi/b.yaml"] = board("b-4", "展板")
    root = boards_project(tmp_path, files)
    assert run_boards(root) == 0
    out = capsys.readouterr().out
    pages, body = re.search(r"board\.pdf，(\d+) 块，正文 ([\d.]+) 磅", out).groups()
    assert int(pages) > 1 and float(body) >= 34
    assert len(pypdf.PdfReader(root / "print/ceshi/boards/b-4/board.pdf").pages) == int(pages)
    text = pdf_text(root / "print/ceshi/boards/b-4/board.pdf")
    assert all(f"第{i}次会议" in text for i in range(8))  # nothing silently cut


def test_overflow_fails_when_the_board_says_so(tmp_path, capsys):
    files = {f"site_data/ceshi/n{i}.yaml": notice(f"pr-g{i}", f"第{i}次会议", "会议内容。" * 60) for i in range(8)}
    files["site_data/ceshi/b.yaml"] = board("b-5", "展板", 放不下时="报错")
    root = boards_project(tmp_path, files)
    assert run_boards(root) == 1
    err = capsys.readouterr().err
    assert "site_data/ceshi/b.yaml:5:5: 尺寸: 一块板放不下（需要 2 块），放不下的通知：" in err and "“第0次会议”" in err
    assert "放不下时: 分版" in err  # the options are named
    assert not (root / "print/ceshi/boards/b-5/board.pdf").exists()
    assert all((root / f"print/ceshi/party/pr-g{i}/notice-a4.pdf").is_file() for i in range(8))  # the rest is written


def test_a_notice_taller_than_a_column_fails_naming_it(tmp_path, capsys):
    files = {
        # three paragraphs, each under the 10,000-character limit of one paragraph
        "site_data/ceshi/long.yaml": notice(
            "pr-long", "超长的通知", '"' + ("很长的正文。" * 1000 + "\\n\\n") * 3 + '"'
        ),
        "site_data/ceshi/b.yaml": board("b-6", "A4"),
    }
    root = boards_project(tmp_path, files)
    assert run_boards(root) == 1
    err = capsys.readouterr().err
    assert "这条通知有一段（或表格的一行）缩到最小字号 12 磅仍高过一栏，无法续排：“超长的通知”" in err
    assert (root / "print/ceshi/party/pr-long/notice-a4.pdf").is_file()  # its own A4 is still printed


def test_pdfx_is_refused_without_a_cmyk_profile(tmp_path, capsys):
    root = boards_project(tmp_path, {"site_data/ceshi/a.yaml": notice("pr-6", "会议")})
    srgb = Path(__import__("weasyprint").__file__).parent / "pdf" / "sRGB2014.icc"
    assert run_boards(root, "--icc", str(srgb)) == 1
    assert "PDF/X-4 需要 CMYK 输出（印刷）特性文件，这个文件不是" in capsys.readouterr().err
    assert run_boards(root, "--icc", str(tmp_path / "missing.icc")) == 1
    assert "找不到 ICC 文件" in capsys.readouterr().err
    assert not (root / "print").exists()


def test_missing_chinese_font_stops_with_a_clear_message(tmp_path):
    root = boards_project(tmp_path, {"site_data/ceshi/a.yaml": notice("pr-7", "会议")})
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig></fontconfig>')
    env = {**os.environ, "FONTCONFIG_FILE": str(empty)}
    done = subprocess.run(
        [sys.executable, "-m", "generator", "boards", *AS_OF],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1
    assert "没有安装中文字体，打印件会显示成方框。请安装：sudo apt-get install fonts-noto-cjk" in done.stderr
    assert not (root / "print").exists()


def test_configured_licensed_font_is_used_when_installed(tmp_path):
    files = {"site_data/ceshi/a.yaml": notice("pr-8", "会议")}
    root = boards_project(tmp_path, files)
    site_yaml = root / "site_data/site.yaml"
    site_yaml.write_text(
        site_yaml.read_text(encoding="utf-8") + "字体:\n  正文: Noto Sans CJK SC\n  标题: 方正小标宋简体\n",
        encoding="utf-8",
    )
    assert run_boards(root) == 0
    names = [name for name, _ in fonts_of(root / "print/ceshi/party/pr-8/notice-a4.pdf")]
    assert any("Sans-CJK-SC" in n and "Bold" not in n for n in names)  # the body font
    assert not any("FZ" in n or "方正" in n for n in names)  # not installed: fell back, no empty boxes


def test_cached_pdfs_are_reused_and_changed_ones_rerendered(tmp_path, capsys):
    os.environ.pop("GONGKAI_CACHE_UNUSED", None)
    root = boards_project(
        tmp_path,
        {"site_data/ceshi/a.yaml": notice("pr-9", "会议"), "site_data/ceshi/b.yaml": notice("pr-10", "另一次会议")},
    )
    assert run_boards(root) == 0
    first = {p: p.read_bytes() for p in (root / "print").rglob("*.pdf")}
    (root / "site_data/ceshi/b.yaml").write_text(notice("pr-10", "改过标题的会议"), encoding="utf-8")
    assert run_boards(root) == 0
    second = {p: p.read_bytes() for p in (root / "print").rglob("*.pdf")}
    changed = {p.parent.name for p in first if first[p] != second[p]}
    assert changed == {"pr-10"}
    ours = [k for k in Path(os.environ["GONGKAI_CACHE"]).glob("*.pdf") if k.read_bytes() in second.values()]
    assert len(ours) == 2
    for kept in ours:  # gone from the cache, their notes (.json) left
        kept.unlink()
    assert run_boards(root) == 0  # rendered again, not a missing file copied
    assert {p: p.read_bytes() for p in (root / "print").rglob("*.pdf")} == second


def test_the_print_cache_drops_what_no_build_used_for_two_months(tmp_path, monkeypatch):
    """Content-addressed, the cache only grows (each edit, each template change adds PDFs): once a
    day a build removes what no build used for 60 days, and what killed writes left; what it
    uses is marked as used, however old."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("GONGKAI_CACHE", str(cache))
    root = boards_project(tmp_path / "p", {"site_data/ceshi/a.yaml": notice("pr-1", "会议")})
    assert run_boards(root) == 0
    printed = {p: p.read_bytes() for p in (root / "print").rglob("*.pdf")}
    ours = sorted(p.name for p in cache.iterdir() if p.is_file() and not p.name.startswith("."))
    assert ours and any(n.endswith(".pdf") for n in ours)
    stale = ["0" * 64 + ".json", "0" * 64 + ".pdf", "." + "1" * 64 + ".pdf.77.abc.tmp"]
    for name in [*stale, "notes.txt"]:  # notes.txt: not the cache's (GONGKAI_CACHE may be any folder)
        (cache / name).write_bytes(b"x")
    fresh_partial = cache / ("." + "2" * 64 + ".pdf.78.def.tmp")  # a write in progress elsewhere
    long_ago = dt.datetime(2024, 1, 1).timestamp()
    for path in cache.iterdir():  # everything, ours included, last touched long ago
        if path.is_file():
            os.utime(path, (long_ago, long_ago))
    fresh_partial.write_bytes(b"y")
    assert run_boards(root) == 0
    left = sorted(p.name for p in cache.iterdir() if p.is_file() and not p.name.startswith("."))
    assert left == sorted([*ours, "notes.txt"])  # used again: kept; never used since: gone
    assert not (cache / stale[2]).exists() and fresh_partial.exists()
    assert all(dt.datetime.now().timestamp() - (cache / n).stat().st_mtime < 600 for n in ours)
    assert {p: p.read_bytes() for p in (root / "print").rglob("*.pdf")} == printed
    (cache / stale[0]).write_bytes(b"x")
    os.utime(cache / stale[0], (long_ago, long_ago))
    assert run_boards(root) == 0  # the same day: no second look
    assert (cache / stale[0]).exists()


def test_a_font_installed_while_the_preview_runs_is_used_by_its_next_build(tmp_path, monkeypatch):
    """Each build renders with the system's fonts as they are when it starts: a process that runs
    for hours (the preview renders the edited notice itself) must not print a font installed
    meanwhile with a substitute, and cache that PDF as if made with the font."""
    import io
    import shutil

    from generator.paper.pdf import render_jobs
    from generator.paper.printing import PrintJob

    fonts, cache = tmp_path / "fonts", tmp_path / "cache"
    fonts.mkdir()
    conf = tmp_path / "fonts.conf"  # the system's fonts (without any, Pango crashes) and a folder of ours
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f'<include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>{fonts}</dir>'
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    if "FandolFang" in subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout:
        pytest.skip("FandolFang 已装在本机系统里，无法测试安装新字体 (FandolFang is installed system-wide here)")

    def build(n: int) -> set[str]:
        html = f'<p style="font-family: FandolFang">第{n}次公开</p>'  # another PDF each time: never cached
        (rendered, _), *_ = render_jobs([PrintJob(f"{n}.pdf", html, "a.yaml")], cache).values()
        pages = pypdf.PdfReader(io.BytesIO(Path(rendered.pdf).read_bytes())).pages
        return {
            str(f.get_object()["/BaseFont"]).split("+")[-1] for p in pages for f in p["/Resources"]["/Font"].values()
        }

    assert "FandolFang" not in build(1)  # not installed: a substitute
    shutil.copy(Path(__file__).resolve().parent.parent / "templates/print/fonts/FandolFang-Regular.otf", fonts)
    assert build(2) == {"FandolFang"}


def test_website_links_notice_pdf_and_board_page_with_preview(tmp_path):
    files = {"site_data/ceshi/a.yaml": notice("pr-11", "会议"), "site_data/ceshi/b.yaml": board("b-7", "A3")}
    root = boards_project(tmp_path, files)
    assert main(["build", "--root", str(root), *AS_OF]) == 0
    site = root / "site"
    assert 'href="notice-a4.pdf"' in (site / "ceshi/party/pr-11/index.html").read_text(encoding="utf-8")
    assert (site / "ceshi/party/pr-11/notice-a4.pdf").read_bytes().startswith(b"%PDF")
    page = (site / "ceshi/boards/b-7/index.html").read_text(encoding="utf-8")
    assert 'src="preview.png"' in page and 'href="board.pdf"' in page
    assert (site / "ceshi/boards/b-7/preview.png").read_bytes().startswith(b"\x89PNG")
    fingerprint = re.search(
        r"记录指纹 <code>([0-9a-f]{10})</code>", (site / "ceshi/party/pr-11/index.html").read_text()
    )
    assert fingerprint and fingerprint.group(1) in pdf_text(site / "ceshi/party/pr-11/notice-a4.pdf")


def test_fingerprint_is_the_git_blob_id(tmp_path):
    root = boards_project(tmp_path, {"site_data/ceshi/a.yaml": notice("pr-12", "会议")})
    assert run_boards(root) == 0
    blob = subprocess.run(["git", "hash-object", "site_data/ceshi/a.yaml"], cwd=root, capture_output=True, text=True)
    assert blob.stdout.strip()[:10] in pdf_text(root / "print/ceshi/party/pr-12/notice-a4.pdf")


def test_dates_are_today_for_the_build_not_the_clock(tmp_path):
    root = boards_project(tmp_path, {"site_data/ceshi/a.yaml": notice("pr-13", "会议")})
    assert run_boards(root) == 0
    info = pypdf.PdfReader(root / "print/ceshi/party/pr-13/notice-a4.pdf").metadata
    assert info["/CreationDate"].startswith("D:20241128") and dt.date.today().year > 2024


def test_a_project_moved_elsewhere_finds_its_pdfs_in_the_print_cache(tmp_path, monkeypatch):
    """The bundled print font is loaded by a file: URL naming where the project lies. The PDFs'
    cache keys used that URL, so a project moved, or checked out in another folder (a CI runner's,
    a cluster worker's), rendered every PDF again (35 s for the example's 40). The font counts by
    its bytes: the moved project renders nothing and publishes the same PDFs."""
    monkeypatch.setenv("GONGKAI_CACHE", str(tmp_path / "cache"))
    files = {**community_files(), **{f"site_data/ceshi/n{i}.yaml": notice(f"n-{i}", f"第{i}次公示") for i in range(2)}}
    first = make_project(tmp_path / "here", files)
    assert main(["build", "--root", str(first), *AS_OF]) == 0
    rendered = sorted((tmp_path / "cache").glob("*.pdf"))
    assert len(rendered) == 2
    moved = tmp_path / "elsewhere" / "project"
    moved.parent.mkdir()
    first.rename(moved)
    shutil.rmtree(moved / "site")
    assert main(["build", "--root", str(moved), *AS_OF]) == 0
    assert sorted((tmp_path / "cache").glob("*.pdf")) == rendered  # nothing rendered again
    pdfs = sorted(moved.glob("site/ceshi/**/*.pdf"))
    assert {p.read_bytes() for p in pdfs} == {p.read_bytes() for p in rendered}


def test_a_print_font_replaced_in_place_is_a_new_pdf(tmp_path):
    """What a PDF's HTML loads from disk counts by its bytes in the cache key: the same bytes
    anywhere give the same key, other bytes at the same place another."""
    from generator.paper.keys import job_key
    from generator.paper.printing import PrintJob

    def job(font: Path) -> PrintJob:
        uri = font.resolve().as_uri()
        html = f'<style>@font-face {{ font-family: F; src: url("{uri}") }}</style><p>公示</p>'
        return PrintJob("a/notice-a4.pdf", html, "site_data/a.yaml", files=(uri,))

    here, there = tmp_path / "here.otf", tmp_path / "there" / "f.otf"
    there.parent.mkdir()
    here.write_bytes(b"font one")
    there.write_bytes(b"font one")
    assert job_key(job(here)) == job_key(job(there))
    before = job_key(job(here))
    here.write_bytes(b"font two, longer")
    assert job_key(job(here)) != before
    # The live preview asks for the key of the same job (kept in its memo) on every edit: a key
    # kept for it follows its font too.
    kept = job(here)
    first = job_key(kept)
    assert job_key(kept) == first == job_key(job(here))
    os.utime(here, ns=(1, 1))  # the same bytes, another version: the same key
    assert job_key(kept) == first
    here.write_bytes(b"font three, longer still")
    assert job_key(kept) != first
    assert job_key(kept) == job_key(job(here))
