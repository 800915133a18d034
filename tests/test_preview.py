"""The live preview rebuilds only what changed, and its output equals a full build's, byte for byte.

One preview (the builder `gongkai serve` runs) follows a sequence of edits to the example project;
after each, a fresh full build of the same project is made and every file of the two compared.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest

from conftest import EXAMPLE_AS_OF, ROOT, make_project
from generator.engine.builds import Preview, build_site
from generator.engine.mkdocs_plugin import GongkaiPlugin

AS_OF = EXAMPLE_AS_OF.isoformat()
DATA = "site_data/lijianglu"


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _git(root: Path, *args: str) -> None:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t"}
    env |= {"GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": "2024-06-01T10:00:00+08:00"}
    env |= {"GIT_COMMITTER_DATE": "2024-06-01T10:00:00+08:00", "PATH": "/usr/bin:/bin"}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def _add_meeting(root: Path) -> None:
    text = (root / DATA / "dangwu/2024-dw-001.yaml").read_text(encoding="utf-8")
    text = text.replace("编号: 2024-dw-001", "编号: 2024-dw-900").replace("标题: ", "标题: 新增会议：", 1)
    (root / DATA / "dangwu/2024-dw-900.yaml").write_text(text.replace("发布日期: 2024-02-22", "发布日期: 2024-11-20"))


def _pdf(width: int) -> bytes:
    """A one-page PDF, told apart by its page width (its metadata is removed on publishing)."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width, 200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _attach(root: Path) -> None:
    (root / DATA / "dangwu/附件").mkdir()
    (root / DATA / "dangwu/附件/会议纪要.pdf").write_bytes(_pdf(100))
    _edit(root, f"{DATA}/dangwu/2024-dw-009.yaml", "发布单位:", "附件:\n  - 文件: 附件/会议纪要.pdf\n发布单位:")


def _replace_attachment(root: Path) -> None:
    """As `cp -p` or unpacking an archive would: new content, an old modification time."""
    path = root / DATA / "dangwu/附件/会议纪要.pdf"
    path.write_bytes(_pdf(300))
    os.utime(path, (1_000_000_000, 1_000_000_000))


def _commit(root: Path) -> None:
    _edit(root, f"{DATA}/dangwu/2024-dw-002.yaml", "标题: ", "标题: 已提交的")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "更正会议标题")


# Each step changes the project the way a user would; the preview must then equal a full build.
STEPS: list[tuple[str, Callable[[Path], None]]] = [
    ("nothing changed", lambda root: None),
    ("a title edited", lambda r: _edit(r, f"{DATA}/dangwu/2024-dw-001.yaml", "标题: ", "标题: 修改后的")),
    ("a notice added", _add_meeting),
    ("a notice deleted", lambda root: (root / DATA / "dangwu/2024-dw-900.yaml").unlink()),
    (
        "a corrected notice's title edited (the correction's page names it)",
        lambda r: _edit(r, f"{DATA}/juwu/2024-jw-002.yaml", "标题: 关于", "标题: 关于修改后"),
    ),
    (
        "a new tag (other notices' tag links move)",
        lambda r: _edit(r, f"{DATA}/dangwu/2024-dw-003.yaml", "标签: [", "标签: [一个新标签, "),
    ),
    (
        "a notice withdrawn",
        lambda r: _edit(r, f"{DATA}/dangwu/2024-dw-004.yaml", "状态: 已发布", "状态: 已撤回\n撤回原因: 重复发布"),
    ),
    ("an organisation's phone changed", lambda r: _edit(r, f"{DATA}/community.yaml", "0395-", "0396-")),
    ("a change committed (the history shown on the page)", _commit),
    ("a template changed", lambda r: _edit(r, "templates/pages/notice.md.j2", "记录编号", "本页记录编号")),
    (
        "a print template changed (every A4 made again)",
        lambda r: _edit(r, "templates/print/notice-a4.html.j2", "扫码查看网上原文", "扫码查看网上的原文"),
    ),
    ("a hand-written page added (the nav changes)", lambda r: (r / "content/help.md").write_text("# 帮助\n\n说明。\n")),
    (
        "a hand-written page's heading edited (every nav shows it)",
        lambda r: _edit(r, "content/help.md", "# 帮助", "# 使用帮助"),
    ),
    ("an attachment added", _attach),
    ("an attachment replaced by an older file of the same name", _replace_attachment),
]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("preview") / "project", {}, example=True)
    shutil.copytree(ROOT / "content", root / "content", dirs_exist_ok=True)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "初始记录")
    return root


@pytest.fixture(scope="module")
def preview(project: Path) -> Preview:
    preview = Preview(project, project.parent / "preview", AS_OF, a4_after_pages=True)  # as `gongkai serve`'s
    preview.build()
    return preview


def _differences(project: Path, preview: Preview) -> list[str]:
    preview.settle()  # the A4 PDFs it renders after the pages
    full = project.parent / "full"
    shutil.rmtree(full, ignore_errors=True)
    build_site(project, full, AS_OF)
    a, b = _tree(preview.site_dir), _tree(full)
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


def test_every_change_gives_what_a_full_build_gives(project: Path, preview: Preview) -> None:
    assert _differences(project, preview) == []
    for what, change in STEPS:
        change(project)
        preview.build()
        # Every A4 made again is too many to leave for after the pages: the build renders them.
        assert preview.after is None or "every A4" not in what, what
        assert _differences(project, preview) == [], f"after: {what}"
    assert (preview.site_dir / "help/index.html").is_file()
    assert not (preview.site_dir / "lijianglu/party/2024-dw-900").exists()
    [attachment] = (preview.site_dir / "lijianglu/party/2024-dw-009").glob("*会议纪要.pdf")
    assert pypdf.PdfReader(attachment).pages[0].mediabox.width == 300


def test_an_edit_rewrites_only_the_pages_that_show_it(project: Path, preview: Preview) -> None:
    site = preview.site_dir
    other = site / "lijianglu/party/2024-dw-008/index.html"
    edited = site / "lijianglu/party/2024-dw-006/index.html"
    family = site / "lijianglu/party/index.html"
    before = {p: p.stat().st_mtime_ns for p in (other, edited, family)}
    _edit(project, f"{DATA}/dangwu/2024-dw-006.yaml", "标题: ", "标题: 再次修改的")
    preview.build()
    assert "再次修改的" in edited.read_text(encoding="utf-8")
    assert "再次修改的" in family.read_text(encoding="utf-8")
    assert other.stat().st_mtime_ns == before[other], "an unrelated notice's page was written again"
    assert edited.stat().st_mtime_ns != before[edited]
    assert _differences(project, preview) == []


def test_an_edit_makes_only_its_own_a4_again(project: Path, preview: Preview, monkeypatch: pytest.MonkeyPatch) -> None:
    # At 1,000 notices a community's A4 pages took seconds to render on every edit, only to find
    # which PDFs changed: the preview keeps each notice's print job under a key naming its inputs.
    from generator.paper import printing

    made: list[str] = []
    real = printing._Printer.notice
    monkeypatch.setattr(
        printing._Printer, "notice", lambda self, entry: made.append(entry.notice.id) or real(self, entry)
    )
    preview.build()
    assert made == []  # nothing changed: every job from the memo
    _edit(project, f"{DATA}/dangwu/2024-dw-011.yaml", "标题: ", "标题: 又一次修改的")
    preview.build()
    assert made == ["2024-dw-011"]
    assert _differences(project, preview) == []  # its PDF is the new one, the others as a full build's


def test_files_gone_from_the_caches_while_the_preview_runs_are_made_again(project: Path, preview: Preview) -> None:
    # The preview keeps the paths of cached PDFs and share images between builds (not their
    # bytes): a cache emptied under it (rm -rf .cache) must not stop every later build.
    share = Path(os.environ["GONGKAI_CACHE"]) / "share"
    images = list(share.glob("*.png"))
    preview.settle()
    published = (preview.site_dir / "lijianglu/party/2024-dw-008/notice-a4.pdf").read_bytes()
    pdfs = [p for p in Path(os.environ["GONGKAI_CACHE"]).glob("*.pdf") if p.read_bytes() == published]
    assert images and len(pdfs) == 1
    for gone in [*images, *pdfs]:
        gone.unlink()
    (project / "content/cache.md").write_text("# 缓存\n\n说明。\n", encoding="utf-8")  # the nav: all written again
    preview.build()
    assert preview.state.problems == ()
    assert _differences(project, preview) == []  # the PDF after the pages (it is not in the cache)
    assert pdfs[0].is_file() and any(share.glob("*.png"))  # made again, and kept


def test_bad_records_leave_the_preview_as_it_was(
    project: Path, preview: Preview, caplog: pytest.LogCaptureFixture
) -> None:
    before = _tree(preview.site_dir)
    _edit(project, f"{DATA}/dangwu/2024-dw-007.yaml", "发布日期: ", "发布日期: 不是日期")
    preview.build()  # never raises: the server keeps answering, showing the problems
    assert "未生成网站" in caplog.text and "2024-dw-007.yaml:5:" in caplog.text
    assert [p for p in preview.state.problems if "2024-dw-007.yaml:5:" in p]
    assert _tree(preview.site_dir) == before
    _edit(project, f"{DATA}/dangwu/2024-dw-007.yaml", "发布日期: 不是日期", "发布日期: ")
    preview.build()
    assert _differences(project, preview) == []


def test_a_build_failing_halfway_is_followed_by_a_whole_one(
    project: Path, preview: Preview, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a failure once files were being written, nothing on disk can be trusted."""
    original = GongkaiPlugin.on_post_build

    def fail(self: GongkaiPlugin, config: object) -> None:
        raise OSError("disk full")

    _edit(project, f"{DATA}/dangwu/2024-dw-010.yaml", "标题: ", "标题: 写到一半的")
    monkeypatch.setattr(GongkaiPlugin, "on_post_build", fail)
    preview.build()
    assert preview.state.problems == ("OSError: disk full",)
    monkeypatch.setattr(GongkaiPlugin, "on_post_build", original)
    _edit(project, f"{DATA}/dangwu/2024-dw-010.yaml", "标题: 写到一半的", "标题: ")
    preview.build()
    assert preview.state.problems == ()
    assert _differences(project, preview) == []


def _held_a4(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], threading.Event]:
    """Rendering an A4 waits until the event is set (a board's does not: its page shows its
    panels, so the build renders it): what the preview shows before it is done."""
    from generator.paper import pdf

    rendered: list[str] = []
    go = threading.Event()
    real = pdf.render_one

    def held(job: pdf.PrintJob) -> pdf.Rendered:
        if job.board is None:
            assert go.wait(60), "the A4 was never let through"
            rendered.append(job.dest)
        return real(job)

    monkeypatch.setattr(pdf, "render_one", held)
    return rendered, go


def test_an_edited_notice_is_shown_before_its_a4_pdf_is_rendered(
    project: Path, preview: Preview, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Rendering the edited notice's A4 took a third of an edit at 100,000 notices: the page is
    # written first, its PDF after, and the site ends the same as a full build's.
    preview.settle()
    dest = "lijianglu/party/2024-dw-012/notice-a4.pdf"
    before = (preview.site_dir / dest).read_bytes()
    rendered, go = _held_a4(monkeypatch)
    try:
        _edit(project, f"{DATA}/dangwu/2024-dw-012.yaml", "标题: ", "标题: 先看到页面的")
        preview.build()  # returns while the A4 is held
        page = (preview.site_dir / "lijianglu/party/2024-dw-012/index.html").read_text(encoding="utf-8")
        assert "先看到页面的" in page and "notice-a4.pdf" in page
        assert rendered == [] and (preview.site_dir / dest).read_bytes() == before  # the previous A4 meanwhile
        assert preview.after is not None
    finally:
        go.set()
    assert _differences(project, preview) == []  # settled: the new A4, as a full build's
    assert rendered == [dest]
    assert "先看到页面的" in "".join(p.extract_text() for p in pypdf.PdfReader(preview.site_dir / dest).pages)
    # The same PDF as a build with a cache of its own renders (not the file the thread put there).
    monkeypatch.setenv("GONGKAI_CACHE", str(tmp_path / "own-cache"))
    build_site(project, tmp_path / "own", AS_OF)
    assert (tmp_path / "own" / dest).read_bytes() == (preview.site_dir / dest).read_bytes()
    monkeypatch.undo()
    # A new notice: its page first too; the PDF it links appears when rendered.
    rendered, go = _held_a4(monkeypatch)
    text = (project / DATA / "dangwu/2024-dw-001.yaml").read_text(encoding="utf-8")
    added = project / DATA / "dangwu/2024-dw-901.yaml"
    shown = preview.site_dir / "lijianglu/party/2024-dw-901"
    try:
        added.write_text(text.replace("编号: 2024-dw-001", "编号: 2024-dw-901").replace("标题: ", "标题: 后加的", 1))
        preview.build()
        assert "后加的" in (shown / "index.html").read_text(encoding="utf-8")
        assert not (shown / "notice-a4.pdf").exists()
    finally:
        go.set()
    assert _differences(project, preview) == []
    assert (shown / "notice-a4.pdf").is_file()
    added.unlink()
    preview.build()
    assert _differences(project, preview) == []


def test_an_a4_that_cannot_be_written_after_the_pages_is_shown_and_made_on_the_next_build(
    project: Path, preview: Preview, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rendered into the cache, then not written into the site (a full disk): the next build must
    # write it, though it is found in the cache and the plan names the same file.
    from generator import cachefiles
    from generator.engine.serve import banner

    preview.settle()
    real = cachefiles.write_whole

    def full(path: Path, data: bytes) -> None:
        if preview.site_dir in path.parents:
            raise OSError("no space left on device")
        real(path, data)

    monkeypatch.setattr(cachefiles, "write_whole", full)
    reloaded: list[bool] = []
    monkeypatch.setattr(preview, "reload", lambda: reloaded.append(True))
    _edit(project, f"{DATA}/dangwu/2024-dw-013.yaml", "标题: ", "标题: 写不进去的")
    preview.build()
    preview.settle()
    [problem] = preview.state.problems
    assert problem.startswith("A4 PDF 未能生成") and "no space left on device" in problem
    assert f"{DATA}/dangwu/2024-dw-013.yaml" in problem  # the record whose PDF it is
    assert reloaded == [True]  # the open pages show it at once
    assert "网页已更新" in banner(preview.state.problems) and "没有更新" not in banner(preview.state.problems)
    monkeypatch.setattr(cachefiles, "write_whole", real)
    _edit(project, f"{DATA}/boards/2024-pufa-zhanban.yaml", "标题: ", "标题: 2024年")  # another record saved
    preview.build()
    assert preview.after is None  # the A4 found in the cache, written by the build (the board too)
    assert _differences(project, preview) == []
    assert preview.state.problems == ()
