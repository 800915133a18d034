"""A new user's first hour: every problem at once, drafts that never block the site, messages that
point at the fix, scaffolds that lead to a complete notice, a preview that never hangs, and no
print with the example's address."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, community_files, make_project, meeting
from generator.cli import main

AS_OF = ["--as-of", "2024-11-28"]
STATEMENT = (ROOT / "generator" / "records" / "examples" / "收支公开.yaml").read_text(encoding="utf-8")
STATEMENT_FILE = "site_data/ceshi/caiwu/2024-cw-001.yaml"


def _statement(**changes: str) -> str:
    """The example statement with whole lines replaced: {"发布日期: 2024-11-08": "发布日期: …"}."""
    text = STATEMENT.replace("example-cw-001", "2024-cw-001")
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    return text


def _line(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def _errors(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if ".yaml:" in line or "mkdocs.yml:" in line]


def test_a_bad_date_and_an_unbalanced_statement_in_one_run(tmp_path, capsys):
    text = _statement(**{"发布日期: 2024-11-08": "发布日期: 2024-02-30", "期末余额: 11133.96": "期末余额: 11133.00"})
    make_project(tmp_path, {**community_files(), STATEMENT_FILE: text})
    assert main(["check", "--root", str(tmp_path), *AS_OF]) == 1
    errors = _errors(capsys)
    assert (
        f"{STATEMENT_FILE}:{_line(text, '发布日期')}:7: 发布日期: 日期“2024-02-30”不存在 → "
        "检查月份和日期，例如 2024-02-29" in errors
    )
    assert any(e.startswith(f"{STATEMENT_FILE}:{_line(text, '期末余额')}:") and "账不平" in e for e in errors)


def test_a_bad_line_date_leaves_the_balance_checked(tmp_path, capsys):
    """Only the field that failed is left out: the amounts of the same line still add up."""
    text = _statement(**{"  - 日期: 2024-10-21": "  - 日期: 2024-10-32", "期末余额: 11133.96": "期末余额: 1.00"})
    make_project(tmp_path, {**community_files(), STATEMENT_FILE: text})
    assert main(["check", "--root", str(tmp_path), *AS_OF]) == 1
    errors = _errors(capsys)
    assert any("收入[2].日期" in e for e in errors)
    assert any("期末余额" in e and "11133.96，但期末余额写的是 1.00" in e for e in errors)


def test_cross_record_checks_run_on_a_record_with_errors(tmp_path, capsys):
    """A duplicate id and a wrong organisation are found in a record whose title is missing."""
    broken = meeting("2024-dw-001", "学习会", 发布单位="nobody").replace("标题: 学习会\n", "")
    files = {
        **community_files(),
        "site_data/ceshi/dangwu/a.yaml": meeting("2024-dw-001", "支委会"),
        "site_data/ceshi/dangwu/b.yaml": broken,
    }
    make_project(tmp_path, files)
    assert main(["check", "--root", str(tmp_path), *AS_OF]) == 1
    errors = "\n".join(_errors(capsys))
    assert "b.yaml:1:1: 标题: 缺少必填字段“标题”" in errors
    assert "b.yaml:1:5: 编号: 编号“2024-dw-001”与 site_data/ceshi/dangwu/a.yaml 重复" in errors
    assert (
        "b.yaml:3:7: 发布单位: 发布单位“nobody”不是本社区的组织 → "
        "写本社区组织的编号，可选：juweihui（测试社区居民委员会）" in errors
    )


def test_several_rules_of_one_record_all_reported(tmp_path, capsys):
    text = _statement(**{"期间结束: 2024-10-31": "期间结束: 2024-09-30", "期末余额: 11133.96": "期末余额: 0.00"})
    make_project(tmp_path, {**community_files(), STATEMENT_FILE: text})
    assert main(["check", "--root", str(tmp_path), *AS_OF]) == 1
    errors = "\n".join(_errors(capsys))
    assert "期间结束早于期间开始" in errors and "账不平" in errors


def test_a_draft_with_errors_does_not_stop_the_build(tmp_path, capsys):
    draft = meeting("2024-dw-002", "草拟中", 状态="草稿", 应到="abc")
    files = {
        **community_files(),
        "site_data/ceshi/dangwu/2024-dw-001.yaml": meeting("2024-dw-001", "支部委员会会议"),
        "site_data/ceshi/dangwu/2024-dw-002.yaml": draft + "发布单位：x\n",  # even broken YAML
    }
    make_project(tmp_path, files)
    assert main(["build", "--root", str(tmp_path), *AS_OF]) == 0
    err = capsys.readouterr().err
    assert "2024-dw-002.yaml:" in err and "（草稿，不发布）" in err
    site = tmp_path / "site"
    assert (site / "ceshi" / "party" / "2024-dw-001" / "index.html").is_file()
    assert not (site / "ceshi" / "party" / "2024-dw-002").exists()
    assert "草拟中" not in (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert main(["check", "--strict", "--root", str(tmp_path), *AS_OF]) == 1


def test_a_party_notice_from_the_residents_committee_is_refused(tmp_path, capsys):
    files = {
        **community_files(),
        "site_data/ceshi/dangwu/2024-dw-001.yaml": meeting("2024-dw-001", "支委会", 发布单位="juweihui"),
    }
    make_project(tmp_path, files)
    assert main(["check", "--root", str(tmp_path), *AS_OF]) == 1
    errors = _errors(capsys)
    assert errors == [
        "site_data/ceshi/dangwu/2024-dw-001.yaml:4:7: 发布单位: 党务公开应由党组织发布：“测试社区居民委员会”"
        "不能发布“党务会议” → 可选：dangwei（中共测试社区委员会）"
    ]


def test_a_residential_notice_from_the_party_committee_is_refused(tmp_path, capsys):
    example = (ROOT / "generator" / "records" / "examples" / "服务窗口.yaml").read_text(encoding="utf-8")
    text = example.replace("example-jw", "2024-jw").replace("发布单位: juweihui", "发布单位: dangwei")
    make_project(tmp_path, {**community_files(), "site_data/ceshi/juwu/2024-jw-001.yaml": text})
    assert main(["check", "--root", str(tmp_path), *AS_OF]) == 1
    assert "居务（村务）公开应由居（村）民委员会等组织发布" in capsys.readouterr().err


def test_an_organisation_name_gets_its_id(tmp_path, capsys):
    files = {
        **community_files(),
        "site_data/ceshi/dangwu/2024-dw-001.yaml": meeting("2024-dw-001", "支委会", 发布单位="中共测试社区委员会"),
    }
    make_project(tmp_path, files)
    assert main(["check", "--root", str(tmp_path), *AS_OF]) == 1
    assert _errors(capsys) == [
        "site_data/ceshi/dangwu/2024-dw-001.yaml:4:7: 发布单位: “中共测试社区委员会”是组织的名称，"
        "发布单位要写组织的编号 → 改为 dangwei"
    ]


def test_a_full_width_colon_is_named_at_its_own_line(tmp_path, capsys):
    text = meeting("2024-dw-001", "支委会").replace("标题: 支委会", "标题：支委会")
    make_project(tmp_path, {**community_files(), "site_data/ceshi/dangwu/2024-dw-001.yaml": text})
    assert main(["check", "--root", str(tmp_path), "--lang", "en", *AS_OF]) == 1
    assert _errors(capsys) == [
        "site_data/ceshi/dangwu/2024-dw-001.yaml:3:3: a full-width colon '：' after a field name: "
        "YAML needs ':' followed by a space → replace '：' with ': '"
    ]


def test_new_in_a_community_that_does_not_exist_says_how_to_create_it(tmp_path, capsys):
    make_project(tmp_path, community_files())
    assert main(["new", "党务会议", "--community", "xincun", "--root", str(tmp_path), *AS_OF]) == 2
    err = capsys.readouterr().err
    assert "没有社区“xincun”" in err and "已有的社区：ceshi" in err
    assert "gongkai new 社区 --community xincun" in err
    assert main(["new", "社区", "--community", "xincun", "--root", str(tmp_path), *AS_OF]) == 0
    created = (tmp_path / "site_data" / "xincun" / "community.yaml").read_text(encoding="utf-8")
    assert created.splitlines()[1].startswith("编号: xincun") and "类别:" in created and "主办单位:" in created
    assert main(["new", "党务会议", "--community", "xincun", "--root", str(tmp_path), *AS_OF]) == 0


def test_new_statement_carries_what_publishing_and_printing_need(tmp_path, capsys):
    make_project(tmp_path, community_files())
    assert main(["new", "收支公开", "--root", str(tmp_path), *AS_OF]) == 0
    text = next((tmp_path / "site_data" / "ceshi").rglob("2024-cw-*.yaml")).read_text(encoding="utf-8")
    for line in (
        "公示期:",
        "  开始: 2024-11-28",
        "  天数: 7",
        "监督渠道:",
        "  监督电话:",
        "民主理财小组:",
        "  审核日期:",
    ):
        assert any(row.startswith(line) for row in text.splitlines()), line


def _site_without_example_marker(root: Path) -> None:
    site = root / "site_data" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("示例网站: 是\n", ""), encoding="utf-8")


@pytest.mark.parametrize("command", ["boards", "build"])
def test_print_and_publish_refuse_the_example_address(tmp_path, capsys, command):
    make_project(
        tmp_path, {**community_files(), "site_data/ceshi/dangwu/2024-dw-001.yaml": meeting("2024-dw-001", "会")}
    )
    _site_without_example_marker(tmp_path)
    assert main([command, "--root", str(tmp_path), *AS_OF]) == 1
    assert _errors(capsys) == [
        "mkdocs.yml:4:1: site_url: 网站网址还是示例地址 https://gongkai.example.org/：二维码、打印件和订阅里的网址"
        "都会指向它 → 在 mkdocs.yml 里把 site_url 改为本网站的正式网址（例如 https://gongkai.某某街道.gov.cn/）"
    ]
    assert not (tmp_path / "print").exists() and not (tmp_path / "site").exists()
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text().replace("gongkai.example.org", "gongkai.tianqiao.gov.cn"), encoding="utf-8")
    assert main([command, "--root", str(tmp_path), *AS_OF]) == 0


def test_the_example_project_only_warns_about_its_address(tmp_path, capsys):
    make_project(
        tmp_path, {**community_files(), "site_data/ceshi/dangwu/2024-dw-001.yaml": meeting("2024-dw-001", "会")}
    )
    assert main(["build", "--root", str(tmp_path), *AS_OF]) == 0
    assert "mkdocs.yml:4:1: site_url: 警告：网站网址还是示例地址" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    """One request that must be answered within a second."""
    try:
        with urllib.request.urlopen(url, timeout=1) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def _until(url: str, wanted: str, seconds: float = 120) -> str:
    """Poll until the page shows `wanted`; while the server starts or a build runs, requests may
    wait or be refused."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            _, text = _get(url)
        except (OSError, urllib.error.URLError):  # not up yet, or waiting for a build: try again
            time.sleep(0.3)
            continue
        if wanted in text:
            return text
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {wanted!r}")


def test_serve_answers_at_once_while_a_record_is_broken(tmp_path):
    record = tmp_path / "site_data" / "ceshi" / "dangwu" / "2024-dw-001.yaml"
    make_project(
        tmp_path, {**community_files(), "site_data/ceshi/dangwu/2024-dw-001.yaml": meeting("2024-dw-001", "支委会")}
    )
    port = _free_port()
    command = [sys.executable, "-m", "generator", "serve", "--root", str(tmp_path), *AS_OF]
    machine_tmp = tmp_path / ".machine-tmp"  # the temporary folder the preview builds its site in
    machine_tmp.mkdir()
    server = subprocess.Popen(
        [*command, "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "TMPDIR": str(machine_tmp)},
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        _until(base + "ceshi/party/2024-dw-001/", "支委会")
        record.write_text(meeting("2024-dw-001", "支委会", 实到="9"), encoding="utf-8")  # 实到 > 应到
        _until(base + "ceshi/party/2024-dw-001/", "gongkai-problems")  # the failed build is done
        for _ in range(3):  # from now on every request answers within a second (_get's timeout)
            status, page = _get(base + "ceshi/party/2024-dw-001/")
            assert status == 200 and "支委会" in page  # the previous page…
            assert "2024-dw-001.yaml:10:5: 实到" in page  # …with the problems
        status, missing = _get(base + "ceshi/no-such-page/")
        assert status == 404 and "gongkai-problems" in missing
        record.write_text(meeting("2024-dw-001", "支委会改"), encoding="utf-8")
        assert "gongkai-problems" not in _until(base + "ceshi/party/2024-dw-001/", "支委会改")
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert server.returncode == 0  # SIGTERM (systemd, kill) stops it as Ctrl+C does…
    assert sorted(os.listdir(machine_tmp)) == []  # …so the site it served and its print fonts are gone


def test_serve_shows_the_problems_when_nothing_was_ever_built(tmp_path):
    make_project(tmp_path, {**community_files(), "site_data/ceshi/dangwu/2024-dw-001.yaml": meeting("x", "会")})
    (tmp_path / "site_data" / "ceshi" / "dangwu" / "2024-dw-001.yaml").write_text("编号: [\n", encoding="utf-8")
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "serve",
            "--root",
            str(tmp_path),
            *AS_OF,
            "--dev-addr",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page = _until(f"http://127.0.0.1:{port}/", "gongkai-problems")
        assert "还没有可以显示的网站" in page and "2024-dw-001.yaml:" in page
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_the_test_command_stops_at_once_on_a_disk_without_room(tmp_path):
    """`./dev.sh test` checks the temporary folder's free space before the suite, which would
    otherwise fail test after test with ENOSPC, twenty minutes in (dev.sh's own function, run
    with more than any disk has)."""
    script = (ROOT / "dev.sh").read_text(encoding="utf-8")
    functions = script[script.index("say() {") : script.index("quietly() {")]
    need = script[script.index("need_space() {") : script.index("next_steps() {")]
    done = subprocess.run(
        ["bash", "-c", functions + need + "need_space 999999999; echo still-here"],
        env={**os.environ, "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "still-here" not in done.stdout
    assert f"磁盘空间不足：{tmp_path} 只剩" in done.stderr and "not enough disk space" in done.stderr
    roomy = subprocess.run(
        ["bash", "-c", functions + need + "need_space 1; echo still-here"], capture_output=True, text=True, check=False
    )
    assert roomy.returncode == 0 and roomy.stdout == "still-here\n"


def _pick_python(tmp_path: Path, tools: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """dev.sh's pick_python (and the apt_install it calls) run as root with only `tools` on PATH:
    name → a script's body, or "" for the real command of that name."""
    script = (ROOT / "dev.sh").read_text(encoding="utf-8")
    functions = script[script.index("say() {") : script.index("system_setup() {")]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(parents=True)
    for name, body in {"id": "echo 0", "mktemp": "", "rm": "", "tail": "", "env": "", **tools}.items():
        if body:
            (bin_dir / name).write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
            (bin_dir / name).chmod(0o755)
        else:
            (bin_dir / name).symlink_to(shutil.which(name) or name)
    return subprocess.run(
        ["/bin/bash", "-c", functions + 'set -e; PYTHON=$(pick_python); echo "picked $PYTHON"'],
        env={"PATH": str(bin_dir), "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_set_up_installs_python_where_the_system_has_none(tmp_path):
    """A container's Debian (debian:12) has no Python: dev.sh installs it with apt-get, as it does
    its other system packages, and goes on with it."""
    shim = tmp_path / "python3"  # what apt-get installs: this Python
    shim.write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    apt = f'case "$*" in *install*) /bin/cp -p "{shim}" "{tmp_path}/bin/python3";; esac'
    done = _pick_python(tmp_path, {"apt-get": apt})
    assert done.returncode == 0, done.stderr
    assert done.stdout == "picked python3\n"
    assert "正在安装系统软件包 (installing system packages): python3 python3-venv" in done.stderr


def test_the_set_up_says_what_to_do_without_a_python_it_can_use(tmp_path):
    """No apt-get to install one with, or a Python older than 3.11 (installing the system's again
    would not help): dev.sh stops at once and says what is needed, without `sudo` for root."""
    for tools in ({}, {"python3": "exit 1", "apt-get": "echo apt-get was run >&2; exit 1"}):
        done = _pick_python(tmp_path / str(len(tools)), tools)
        assert done.returncode == 2 and "picked" not in done.stdout
        assert "未找到 Python 3.11 或更高版本" in done.stderr and "Python 3.11+ not found" in done.stderr
        assert "：apt-get install python3" in done.stderr and "apt-get was run" not in done.stderr


def test_a_cache_folder_that_cannot_be_written_is_named_before_any_work(tmp_path, monkeypatch, capsys):
    """GONGKAI_CACHE naming a file (a typo, a stale mount point): the build stopped halfway, with a
    traceback from the word segmenter and "cannot write the output". Now build, boards and serve
    say at once which folder cannot be used, why and what to do; check needs no cache and runs."""
    root = make_project(
        tmp_path / "p", {**community_files(), "site_data/ceshi/dangwu/2024-dw-001.yaml": meeting("2024-dw-001", "会")}
    )
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    for cache in (blocker, blocker / "inside"):
        monkeypatch.setenv("GONGKAI_CACHE", str(cache))
        for command in (["build"], ["boards"], ["serve", "--dev-addr", "127.0.0.1:1"]):
            assert main([*command, "--root", str(root), *AS_OF]) == 2, command
            err = capsys.readouterr().err
            assert f"缓存文件夹 {cache} 无法使用：路径上有一个同名的文件，不是文件夹" in err
            assert "GONGKAI_CACHE" in err and "a file is in the way" in err and "Traceback" not in err
        assert not (root / "site").exists() and not (root / "print").exists()
        assert main(["check", "--root", str(root), *AS_OF]) == 0
        capsys.readouterr()
