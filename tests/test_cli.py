"""The commands a publisher runs: exit codes, messages, and a previous site left intact."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from conftest import community_files, make_project, meeting, soup
from generator.cli import main

AS_OF = ["--as-of", "2024-11-28"]


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_build_then_check_the_example(tmp_path, capsys):
    make_project(tmp_path, {}, example=True)
    assert main(["build", "--root", str(tmp_path), *AS_OF]) == 0
    assert (tmp_path / "site" / "index.html").is_file()
    assert main(["check", "--root", str(tmp_path), *AS_OF]) == 0
    assert "检查通过" in capsys.readouterr().out


def test_bad_records_report_every_problem_and_keep_the_previous_site(tmp_path, capsys):
    files = community_files()
    files["site_data/ceshi/a.yaml"] = meeting("ok-1", "正常会议")
    make_project(tmp_path, files)
    assert main(["build", "--root", str(tmp_path), *AS_OF]) == 0
    before = tree_digest(tmp_path / "site")
    (tmp_path / "site_data/ceshi/b.yaml").write_text(meeting("bad-1", "会议", 实到="9"), encoding="utf-8")
    (tmp_path / "site_data/ceshi/c.yaml").write_text(meeting("bad-2", "会议", 发布日期="2024/5/1"), encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--root", str(tmp_path), *AS_OF]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:2] == [
        "site_data/ceshi/b.yaml:10:5: 实到: 实到人数 9 多于应到人数 7 → 核对签到表",
        "site_data/ceshi/c.yaml:5:7: 发布日期: 日期格式不对：“2024/5/1” → 写成 2024-05-01",
    ]
    assert err[-1] == "共 2 处错误、0 处警告，未发布任何内容。请逐条改正后重试。"
    assert tree_digest(tmp_path / "site") == before
    assert not list(tmp_path.glob(".site.building-*"))


def test_messages_in_english(tmp_path, capsys):
    files = community_files()
    files["site_data/ceshi/b.yaml"] = meeting("bad-1", "会议", 实到="9")
    make_project(tmp_path, files)
    assert main(["check", "--root", str(tmp_path), "--lang", "en", *AS_OF]) == 1
    err = capsys.readouterr().err
    assert "site_data/ceshi/b.yaml:10:5: 实到: present (9) exceeds expected (7) → check the attendance sheet" in err
    assert "1 error(s), 0 warning(s): nothing was published." in err


def test_bad_as_of_is_a_usage_error(tmp_path, capsys):
    assert main(["check", "--root", str(tmp_path), "--as-of", "2024/11/28"]) == 2
    assert "--as-of 日期格式不对" in capsys.readouterr().err


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300, env={**os.environ, **env})


def test_python_dash_m_generator_works(tmp_path):
    make_project(tmp_path, {}, example=True)
    done = _run([sys.executable, "-m", "generator", "check", *AS_OF], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "检查通过" in done.stdout


def test_mkdocs_build_strict_passes_on_the_example(tmp_path):
    make_project(tmp_path, {}, example=True)
    mkdocs = Path(sys.executable).with_name("mkdocs")
    done = _run([str(mkdocs), "build", "--strict"], tmp_path, GONGKAI_AS_OF="2024-11-28")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site" / "lijianglu" / "finance" / "index.html").is_file()


def test_mkdocs_build_stops_on_bad_records_with_our_message(tmp_path):
    files = community_files()
    files["site_data/ceshi/b.yaml"] = meeting("bad-1", "会议", 实到="9")
    make_project(tmp_path, files)
    mkdocs = Path(sys.executable).with_name("mkdocs")
    done = _run([str(mkdocs), "build"], tmp_path, GONGKAI_AS_OF="2024-11-28")
    assert done.returncode != 0
    assert "site_data/ceshi/b.yaml:10:5: 实到: 实到人数 9 多于应到人数 7 → 核对签到表" in done.stderr


def test_a_hand_written_page_may_not_take_a_generated_path(tmp_path, capsys, caplog):
    files = community_files()
    files["content/index.md"] = "# 我的首页\n"
    make_project(tmp_path, files)
    assert main(["build", "--root", str(tmp_path), *AS_OF]) == 1
    assert "content/index.md 与自动生成的页面重名，请改名" in caplog.text  # logged by mkdocs
    assert "网站生成失败" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_hand_written_pages_are_published_and_in_the_nav(tmp_path):
    files = community_files()
    files["content/guide.md"] = "# 办事指南\n\n带好身份证。\n"
    make_project(tmp_path, files)
    assert main(["build", "--root", str(tmp_path), *AS_OF]) == 0
    page = tmp_path / "site" / "guide" / "index.html"
    assert "带好身份证" in page.read_text(encoding="utf-8")
    nav = soup(tmp_path / "site" / "index.html").select_one("nav.md-nav--primary").get_text()
    assert "办事指南" in nav


def test_live_preview_watches_records_and_templates(tmp_path):
    from mkdocs.config import load_config

    make_project(tmp_path, community_files())
    config = load_config(str(tmp_path / "mkdocs.yml"))
    plugin = config.plugins["gongkai"]
    plugin.on_config(config)

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    server = plugin.on_serve(Server(), config=config, builder=None)
    assert sorted(server.watched) == sorted([str(tmp_path / "site_data"), str(tmp_path / "templates")])
