"""The sharded build (issue 20): every community a site of its own under site/<community>/, the
portal at the root; on a real Dask scheduler with two workers the output is byte for byte the
output of the same build run in this process."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pypdf
import pytest

import generator.paper.pdf as pdf_module
import generator.shards as shards
import generator.shards.part as part_module
from conftest import EXAMPLE_AS_OF, ROOT, article, community_files, make_project, meeting, write_files
from generator.cli import main
from generator.shards.inputs import part_digests, part_inputs

AS_OF = ["--as-of", EXAMPLE_AS_OF.isoformat()]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("district"), {}, example=True)


@pytest.fixture(scope="module")
def in_process(project: Path) -> Path:
    site = project / "site-here"
    assert main(["build", "--root", str(project), *AS_OF, "--shards", "--workers", "0", "--site-dir", str(site)]) == 0
    return site


def _dask(*args: str, **env: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "distributed.cli.dask_" + args[0], *args[1:]]
    return subprocess.Popen(command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _address(scheduler_file: Path, started: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert started.poll() is None, "the Dask scheduler stopped"
        if scheduler_file.is_file() and scheduler_file.stat().st_size:
            return str(json.loads(scheduler_file.read_text())["address"])
        time.sleep(0.2)
    raise AssertionError("the Dask scheduler did not start within 60 s")


def test_two_workers_of_a_real_scheduler_build_what_this_process_builds(project, in_process, tmp_path):
    scheduler_file = tmp_path / "scheduler.json"
    processes = [
        _dask(
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(scheduler_file),
            TMPDIR=str(tmp_path),
        )
    ]
    try:
        address = _address(scheduler_file, processes[0])
        for _ in range(2):  # workers make PDFs in processes of their own: not daemons (docs/scale.md)
            processes.append(
                _dask(
                    "worker", address, "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1",
                    DASK_DISTRIBUTED__WORKER__DAEMON="False", TMPDIR=str(tmp_path),
                )
            )  # fmt: skip
        site = tmp_path / "site"
        assert main(["build", "--root", str(project), *AS_OF, "--cluster", address, "--site-dir", str(site)]) == 0
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            p.wait(timeout=30)
    built, here = _tree(site), _tree(in_process)
    assert sorted(built) == sorted(here)
    assert [name for name in built if built[name] != here[name]] == []


def test_the_local_cluster_builds_what_this_process_builds_and_leaves_nothing_in_tmp(project, in_process, tmp_path):
    """`build --shards` as users run it: Dask's embedded cluster (two workers here), in a process
    of its own whose temporary folder is watched: the cluster's scratch folders and locks, the
    workers' print fonts, all gone when it ends."""
    machine_tmp, site = tmp_path / "tmp", tmp_path / "site"
    machine_tmp.mkdir()
    argv = ["build", "--root", str(project), *AS_OF, "--shards", "--workers", "2", "--site-dir", str(site)]
    env = {**os.environ, "TMPDIR": str(machine_tmp), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "generator", *argv], env=env, capture_output=True, timeout=900)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    built, here = _tree(site), _tree(in_process)
    assert sorted(built) == sorted(here)
    assert [name for name in built if built[name] != here[name]] == []
    assert sorted(os.listdir(machine_tmp)) == []


def test_each_community_is_a_site_of_its_own_and_the_portal_lists_them(in_process):
    for community in ("lijianglu", "liuzhuang"):
        shard = in_process / community
        assert (shard / "search" / "search_index.json").is_file()  # its own search…
        assert (shard / "sitemap.xml").is_file()  # …its own sitemap…
        index = json.loads((shard / "search" / "search_index.json").read_text("utf-8"))
        assert index["docs"] and all(not d["location"].startswith(f"{community}/") for d in index["docs"])
        nav = [a.get_text(strip=True) for a in article(shard / "index.html").find_parent("html").select("nav a")]
        assert "返回门户首页" in nav
    village = article(in_process / "liuzhuang/residential/2024-lz-cw-101/index.html").get_text(" ", strip=True)
    assert "村务公开" in village and "240,000.00" in village
    assert (in_process / "liuzhuang/residential/2024-lz-cw-101/notice-a4.pdf").read_bytes().startswith(b"%PDF")
    portal = in_process / "index.html"
    assert "漓江路社区" in article(portal).get_text() and "柳庄村" in article(portal).get_text()
    assert not (in_process / "search" / "search_index.json").read_text("utf-8").count('"location":"liuzhuang/')
    links = {a["href"] for a in article(in_process / "liuzhuang/index.html").select("a[href]")}
    assert all(not h.startswith("/") for h in links)  # relative: the site may live under a sub-path


def test_a_worker_with_another_checkout_is_refused_and_told_what_differs(project, tmp_path):
    from generator.errors import BuildFailed
    from generator.shards import build_part

    mine = part_inputs(project, ["lijianglu"], EXAMPLE_AS_OF)["lijianglu"]
    other = {**mine, "libraries": "0" * 64, "records": "1" * 64}  # the client's, another machine
    with pytest.raises(BuildFailed, match="同一版本") as refused:
        build_part(str(project), "lijianglu", EXAMPLE_AS_OF.isoformat(), other)
    assert "已安装的库不同、该社区的记录不同" in str(refused.value)
    assert "Gongkai 的代码" not in str(refused.value)  # only what differs is named
    with pytest.raises(BuildFailed, match="项目不存在"):
        build_part(str(tmp_path / "nowhere"), "lijianglu", EXAMPLE_AS_OF.isoformat(), mine)


def test_a_folder_twice_on_the_path_is_the_same_inputs(project, monkeypatch):
    """A Dask worker's sys.path holds entries twice where the client's does not: the libraries
    installed must not count twice (every part was refused after an edit in a benchmark)."""
    from importlib import metadata

    before = part_digests(project, ["lijianglu"], EXAMPLE_AS_OF)
    packages = str(metadata.distribution("jinja2").locate_file(""))
    monkeypatch.setattr(sys, "path", [*sys.path, packages, packages])
    assert part_digests(project, ["lijianglu"], EXAMPLE_AS_OF) == before


def test_a_negative_number_of_workers_is_a_usage_error(project, capsys):
    assert main(["build", "--root", str(project), *AS_OF, "--shards", "--workers", "-1"]) == 2
    assert "--workers 应是 0 或正整数" in capsys.readouterr().err


def test_an_unreachable_cluster_is_named_and_nothing_is_published(project, capsys):
    site = project / "site-unreachable"
    argv = ["build", "--root", str(project), *AS_OF, "--cluster", "tcp://127.0.0.1:9", "--site-dir", str(site)]
    assert main(argv) == 2
    assert "连不上 Dask 集群 tcp://127.0.0.1:9" in capsys.readouterr().err
    assert not site.exists()


def test_a_rebuild_builds_only_the_community_that_changed_and_equals_a_full_build(project, tmp_path, monkeypatch):
    root = tmp_path / "p"
    shutil.copytree(project, root, ignore=shutil.ignore_patterns("site", "site-*", ".site*"))
    argv = ["build", "--root", str(root), *AS_OF, "--shards", "--workers", "0"]
    assert main([*argv, "--site-dir", str(root / "site")]) == 0
    record = next(p for p in (root / "site_data" / "liuzhuang").rglob("*.yaml") if "标题: " in p.read_text("utf-8"))
    text = record.read_text("utf-8")
    record.write_text(text.replace("标题: ", "标题: （更新）", 1), encoding="utf-8")
    built: list[str] = []
    real = part_module.build_part

    def spy(root: str, part: str, *args: object) -> part_module.Part:
        built.append(part)
        return real(root, part, *args)

    monkeypatch.setattr(part_module, "build_part", spy)
    kept = root / "site" / "lijianglu" / "index.html"
    before = kept.stat()
    assert main([*argv, "--site-dir", str(root / "site")]) == 0
    # The unchanged community is not even read (its ids and summary are kept from the last build).
    assert built == ["liuzhuang"]
    # Nor copied: its files are the same files under the new site (hard links), and once the old
    # site is gone nothing else shares them (the live preview rewrites a community in place).
    assert (kept.stat().st_ino, kept.stat().st_nlink) == (before.st_ino, 1)
    built.clear()
    assert main([*argv, "--site-dir", str(root / "fresh")]) == 0  # no earlier build there: all parts
    assert built == ["lijianglu", "liuzhuang"]
    again, fresh = _tree(root / "site"), _tree(root / "fresh")
    assert sorted(again) == sorted(fresh)
    assert [name for name in again if again[name] != fresh[name]] == []
    assert "（更新）" in (root / "site" / "index.html").read_text("utf-8") + "".join(
        p.read_text("utf-8") for p in (root / "site" / "liuzhuang").rglob("index.html")
    )


def _district(root: Path) -> Path:
    """Two small communities, a notice each."""
    return make_project(
        root,
        {
            **community_files("aaa", "甲社区"),
            **community_files("bbb", "乙社区"),
            "site_data/aaa/dangwu/a1.yaml": meeting("2024-a-001", "甲社区支部委员会会议"),
            "site_data/bbb/dangwu/b1.yaml": meeting("2024-b-001", "乙社区支部委员会会议"),
        },
    )


def test_a_part_reads_its_own_community_and_the_settings_only(tmp_path, monkeypatch):
    import generator.reading.reader as reader

    root = _district(tmp_path / "p")
    opened: list[str] = []
    real = reader.read_file
    monkeypatch.setattr(reader, "read_file", lambda path, *a: opened.append(path.as_posix()) or real(path, *a))
    inputs = part_inputs(root, ["aaa"], EXAMPLE_AS_OF)["aaa"]
    part = shards.build_part(str(root), "aaa", EXAMPLE_AS_OF.isoformat(), inputs)
    assert [p.split("site_data/")[1] for p in opened] == ["aaa/community.yaml", "aaa/dangwu/a1.yaml", "site.yaml"]
    assert part.problems == [] and part.public == 1 and "index.html" in part.files
    assert [i[0] for i in part.ids] == ["2024-a-001"]  # the light index the checks across communities use
    assert [e.notice.id for e in part.summary.entries] == ["2024-a-001"]  # what the portal lists


def test_a_part_that_sees_the_clients_folder_puts_its_site_there_and_sends_no_bytes(tmp_path):
    # A worker on the client's disk moves the community's site into the client's build folder
    # (a community's PDFs run to hundreds of megabytes: never sent back, never held); one that
    # cannot see the folder (another machine: the token is not the client's) sends the files.
    root = _district(tmp_path / "p")
    inputs = part_inputs(root, ["aaa"], EXAMPLE_AS_OF)["aaa"]
    work = tmp_path / "work"
    (work / "site").mkdir(parents=True)
    (work / part_module.TOKEN).write_text("the client's", encoding="utf-8")
    elsewhere = shards.build_part(str(root), "aaa", EXAMPLE_AS_OF.isoformat(), inputs, drop=(str(work), "another"))
    assert not elsewhere.dropped and "index.html" in elsewhere.files
    assert list((work / "site").iterdir()) == [] and sorted(p.name for p in work.iterdir()) == ["site", "token"]
    (work / "site" / "aaa").mkdir()  # left by a run of the part whose worker died before the client heard
    (work / "site" / "aaa" / "stale.html").write_text("old", encoding="utf-8")
    here = shards.build_part(str(root), "aaa", EXAMPLE_AS_OF.isoformat(), inputs, drop=(str(work), "the client's"))
    assert here.dropped and here.files == {} and here.problems == [] and here.public == 1
    assert _tree(work / "site" / "aaa") == elsewhere.files  # the same site, byte for byte
    assert sorted(p.name for p in work.iterdir()) == ["site", "token"]  # its scratch folder is gone


def test_every_problem_of_every_community_and_across_them_comes_at_once(tmp_path, capsys):
    root = _district(tmp_path / "p")
    argv = ["build", "--root", str(root), *AS_OF, "--shards", "--workers", "0"]
    assert main(argv) == 0
    before = _tree(root / "site")
    assert "甲社区支部委员会会议" in (root / "site" / "index.html").read_text("utf-8")  # the portal lists both
    assert "乙社区支部委员会会议" in (root / "site" / "index.html").read_text("utf-8")
    write_files(
        root,
        {
            "site_data/bbb/dangwu/b2.yaml": meeting("2024-a-001", "乙社区用了甲社区的编号"),
            "site_data/bbb/dangwu/b3.yaml": meeting(
                "2024-b-003", "乙社区更正甲社区的通知", 更正="2024-a-004", 更正说明="改了会议日期"
            ),
            "site_data/aaa/dangwu/a2.yaml": meeting("2024-a-002", "日期写错", 发布日期="2024-13-40"),
            "site_data/aaa/dangwu/a4.yaml": meeting("2024-a-004", "甲社区的另一次会议"),
        },
    )
    capsys.readouterr()
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "site_data/bbb/dangwu/b2.yaml:1:5: 编号: 编号“2024-a-001”与 site_data/aaa/dangwu/a1.yaml 重复" in err
    assert "site_data/bbb/dangwu/b3.yaml:" in err and "（更正只能针对本社区的通知）" in err
    assert "site_data/aaa/dangwu/a2.yaml:" in err and "发布日期" in err
    assert _tree(root / "site") == before  # nothing published
    # The same rules without shards: a correction reaches only its own community's notices.
    assert main(["check", "--root", str(root), *AS_OF]) == 1
    assert "site_data/bbb/dangwu/b3.yaml:" in capsys.readouterr().err


def test_the_sharded_preview_rebuilds_only_the_edited_community_and_ends_as_a_sharded_build(
    project, tmp_path, monkeypatch
):
    from generator.shards.preview import ShardedPreview

    root = tmp_path / "p"
    shutil.copytree(project, root, ignore=shutil.ignore_patterns("site", "site-*", ".site*"))
    url, served = "http://127.0.0.1:8000/", tmp_path / "served"
    preview = ShardedPreview(root, served, EXAMPLE_AS_OF, url, workers=0)
    preview.build()  # the first build: a sharded build
    assert preview.state.problems == ()
    other = _tree(served / "lijianglu")
    records = sorted((root / "site_data" / "liuzhuang").rglob("*.yaml"))
    record = next(p for p in records if "标题: " in p.read_text("utf-8"))
    text = record.read_text("utf-8")
    for n in (1, 2):  # the first edit builds the community once; the second only what changed
        record.write_text(text.replace("标题: ", f"标题: （第{n}次修改）", 1), encoding="utf-8")
        preview.note(str(record))
        preview.build()
        assert preview.state.problems == ()
        shown = "".join(p.read_text("utf-8") for p in (served / "liuzhuang").rglob("index.html"))
        assert f"（第{n}次修改）" in shown
    # A notice: its page first, its A4 PDF rendered after (in the community's own site, at the
    # place the community's build gives it).
    notice = root / "site_data/liuzhuang/caiwu/2024-cw-001.yaml"
    a4 = served / "liuzhuang/finance/2024-lz-cw-001/notice-a4.pdf"
    before, go = a4.read_bytes(), threading.Event()
    real = pdf_module.render_one
    held = lambda job: (job.board is not None or go.wait(60)) and real(job)  # noqa: E731
    monkeypatch.setattr(pdf_module, "render_one", held)
    text = notice.read_text("utf-8")
    try:
        notice.write_text(text.replace("标题: ", "标题: 先见页面的", 1), encoding="utf-8")
        preview.note(str(notice))
        preview.build()
        assert preview.state.problems == ()
        assert "先见页面的" in (a4.parent / "index.html").read_text("utf-8") and a4.read_bytes() == before
    finally:
        go.set()
    preview.settle()
    assert "先见页面的" in "".join(page.extract_text() for page in pypdf.PdfReader(a4).pages)

    # An A4 that cannot be rendered after the pages: shown on every page at once, and made again
    # by the next build, which the failure asks for (no file needs saving).
    def broken(job):
        if job.board is None:
            raise OSError("no space left on device")
        return real(job)

    monkeypatch.setattr(pdf_module, "render_one", broken)
    reloads: list[bool] = []
    preview.reload = lambda: reloads.append(True)
    notice.write_text(text.replace("标题: ", "标题: 未能生成的", 1), encoding="utf-8")
    preview.note(str(notice))
    preview.build()
    preview.settle()
    assert reloads == [True]
    [problem] = [p for p in preview.state.problems if p.startswith("A4 PDF 未能生成") and "no space left" in p]
    assert "site_data/liuzhuang/caiwu/2024-cw-001.yaml" in problem
    monkeypatch.setattr(pdf_module, "render_one", real)
    preview.build()
    preview.settle()
    assert preview.state.problems == ()
    assert "未能生成的" in "".join(page.extract_text() for page in pypdf.PdfReader(a4).pages)
    assert list(preview.previews) == ["liuzhuang"]
    assert _tree(served / "lijianglu") == other  # the other community was not touched
    fresh = tmp_path / "fresh"
    shards.build_sharded(root, EXAMPLE_AS_OF, fresh, workers=0, site_url=url)
    built, seen = _tree(fresh), _tree(served)
    assert sorted(built) == sorted(seen)
    assert [name for name in built if built[name] != seen[name]] == []
    # A mistake: shown on every page (file and line), the last good pages stay.
    record.write_text(text.replace("标题: ", "标题: [未闭合", 1), encoding="utf-8")
    preview.note(str(record))
    preview.build()
    assert any(record.name in p for p in preview.state.problems)
    assert "（第2次修改）" in "".join(p.read_text("utf-8") for p in (served / "liuzhuang").rglob("index.html"))


def _spied(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    built: list[str] = []
    real = part_module.build_part
    monkeypatch.setattr(part_module, "build_part", lambda root, part, *a: built.append(part) or real(root, part, *a))
    return built


def test_what_no_part_reads_is_checked_on_every_sharded_build(tmp_path, monkeypatch, capsys):
    root = _district(tmp_path / "p")
    argv = ["build", "--root", str(root), *AS_OF, "--shards", "--workers", "0"]
    assert main(argv) == 0
    before = _tree(root / "site")
    built = _spied(monkeypatch)
    outside = tmp_path / "secret.txt"
    outside.write_text("build machine", encoding="utf-8")
    (root / "content" / "leak.txt").symlink_to(outside)  # no community changed: every part is reused
    (root / "content" / "aaa").mkdir()
    (root / "content" / "aaa" / "index.md").write_text("# 盖住甲社区的首页\n", encoding="utf-8")
    (root / "content" / "bbb.md").write_text("# 也盖住乙社区的首页（bbb/index.html）\n", encoding="utf-8")
    (root / "site_data" / "stray.yaml").write_text(meeting("2024-x-001", "放错位置的记录"), encoding="utf-8")
    capsys.readouterr()
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "content/leak.txt" in err and "项目之外的链接" in err
    assert "content/aaa 与社区“aaa”的网站重名" in err and "content/bbb.md 与社区“bbb”的网站重名" in err
    assert "site_data/stray.yaml" in err and "记录文件要放在社区目录里" in err
    assert _tree(root / "site") == before
    assert built == ["aaa", "bbb"]  # a file at the top of site_data/ is every part's input


def test_a_plain_build_in_between_is_never_taken_for_a_sharded_one(tmp_path, monkeypatch):
    root = _district(tmp_path / "p")
    argv = ["build", "--root", str(root), *AS_OF]
    assert main([*argv, "--shards", "--workers", "0"]) == 0
    assert main(argv) == 0 and main(argv) == 0  # the folder name (and maybe its inode) comes back
    built = _spied(monkeypatch)
    assert main([*argv, "--shards", "--workers", "0"]) == 0
    assert built == ["aaa", "bbb"]
    assert main([*argv, "--shards", "--workers", "0", "--site-dir", str(root / "fresh")]) == 0
    assert _tree(root / "site") == _tree(root / "fresh")


def test_a_draft_reusing_another_communitys_id_is_a_warning_as_in_the_single_build(tmp_path, capsys):
    root = _district(tmp_path / "p")
    write_files(root, {"site_data/bbb/dangwu/b2.yaml": meeting("2024-a-001", "草稿", 状态="草稿")})
    assert main(["build", "--root", str(root), *AS_OF, "--shards", "--workers", "0"]) == 0
    assert "site_data/bbb/dangwu/b2.yaml:1:5: 编号: 警告：编号“2024-a-001”与 site_data/aaa/dangwu/a1.yaml 重复" in (
        capsys.readouterr().err
    )  # reported, and the build went on: a draft is never published
    assert main(["build", "--root", str(root), *AS_OF, "--shards", "--workers", "0", "--strict"]) == 1


def test_strict_refuses_what_the_engine_warns_of_as_in_the_single_build(tmp_path, capsys):
    root = _district(tmp_path / "p")
    write_files(root, {"content/about.md": "# 关于\n\n见[办事指南](missing.md)。\n"})
    argv = ["build", "--root", str(root), *AS_OF, "--shards", "--workers", "0"]
    assert main(argv) == 0
    assert main([*argv, "--strict", "--site-dir", str(root / "strict")]) == 1
    assert "mkdocs" in capsys.readouterr().err and not (root / "strict").exists()
    assert main(["build", "--root", str(root), *AS_OF, "--strict", "--site-dir", str(root / "one")]) != 0


def test_the_portal_is_checked_against_every_withheld_name_of_every_community(project, tmp_path, capsys):
    root = tmp_path / "p"
    shutil.copytree(project, root, ignore=shutil.ignore_patterns("site", "site-*", ".site*"))
    # 刘淑琴 is on a 2024 benefit list of lijianglu whose 公示期 is over: not among what the portal lists.
    (root / "content" / "about.md").write_text("# 关于\n\n联系人：刘淑琴\n", encoding="utf-8")
    argv = ["build", "--root", str(root), *AS_OF, "--site-dir", str(root / "out")]
    assert main([*argv, "--shards", "--workers", "0"]) == 1
    assert "刘淑琴" in capsys.readouterr().err and not (root / "out").exists()
    assert main(argv) == 1  # the single build refuses it too


def _checked(capsys, *argv: str) -> tuple[int, list[dict], str]:
    code = main(["check", *argv, "--format", "json"])
    out, err = capsys.readouterr()
    return code, json.loads(out or "[]"), err


def test_check_by_community_reports_what_the_whole_check_reports(tmp_path, capsys):
    """`check --shards`: each community read in a process of its own, the checks across them on
    the light index; the same problems (errors and warnings) as `check`, and the same summary."""
    root = _district(tmp_path / "p")
    argv = ["--root", str(root), *AS_OF]
    assert main(["check", *argv]) == 0
    whole = capsys.readouterr().out
    assert main(["check", *argv, "--shards", "--workers", "2"]) == 0
    assert capsys.readouterr().out == whole == "检查通过（2 条公开记录，0 处警告）\n"
    write_files(
        root,
        {
            "site_data/bbb/dangwu/b2.yaml": meeting("2024-a-001", "乙社区用了甲社区的编号"),
            "site_data/bbb/dangwu/b3.yaml": meeting("2024-b-003", "草稿也用了甲社区的编号")
            .replace("2024-b-003", "2024-a-001")
            .replace("状态: 已发布", "状态: 草稿"),
            "site_data/aaa/dangwu/a2.yaml": meeting("2024-a-002", "日期写错", 发布日期="2024-13-40"),
            "site_data/bbb/community.yaml": "名称: 乙社区\n",  # missing fields
            # Its id is a1's too, and it has an error: check names the sound record (a1) first.
            "site_data/aaa/dangwu/a0.yaml": meeting("2024-a-001", "日期也写错", 发布日期="2024-02-30"),
            "content/aaa/说明.md": "# 说明\n",  # a clash only for build --shards' portal
        },
    )
    code, whole, _ = _checked(capsys, *argv)
    assert code == 1 and len(whole) >= 4
    for workers in ("2", "0"):  # worker processes, or one after another in this process
        assert _checked(capsys, *argv, "--shards", "--workers", workers)[:2] == (1, whole)
    assert {p["file"] for p in whole} >= {"site_data/bbb/dangwu/b2.yaml", "site_data/aaa/dangwu/a2.yaml"}


def die_reading(root: str, community: str, as_of: str) -> None:
    """In a worker: killed while reading (as the kernel does when memory runs out)."""
    os._exit(9)


def test_a_checking_process_that_dies_is_reported_not_a_traceback(tmp_path, capsys, monkeypatch):
    root = _district(tmp_path / "p")
    monkeypatch.setattr(shards, "read_community", die_reading)
    assert main(["check", "--root", str(root), *AS_OF, "--shards", "--workers", "2"]) == 1
    err = capsys.readouterr().err
    assert "检查用的进程意外退出（很可能是内存不够）" in err and "--workers 0" in err
    assert "Traceback" not in err


def test_check_by_community_reads_again_only_what_changed_since_a_sound_check(tmp_path, capsys, monkeypatch):
    """What `check --shards` found in a community without errors is kept: the next check on the
    same day reads only the communities whose folder changed, and reports what `check` reports.
    Any change to the settings reads every community; one with errors is read every
    time (what was found in it is not kept)."""
    root = _district(tmp_path / "p")
    read: list[str] = []
    real = shards.read_community
    monkeypatch.setattr(shards, "read_community", lambda r, part, day: read.append(part) or real(r, part, day))
    argv = ["--root", str(root), *AS_OF]

    def checked(*more: str) -> tuple[int, list[dict], list[str]]:
        read.clear()
        code, found, _ = _checked(capsys, *argv, "--shards", "--workers", "0", *more)
        assert (code, found) == _checked(capsys, *argv, *more)[:2]  # the whole check, one process
        return code, found, sorted(read)

    assert checked() == (0, [], ["aaa", "bbb"])
    assert checked() == (0, [], [])  # nothing changed: nothing read
    write_files(root, {"site_data/aaa/dangwu/a2.yaml": meeting("2024-b-001", "甲社区用了乙社区的编号")})
    code, found, again = checked()
    assert again == ["aaa"] and code == 1  # the clash across communities, found with bbb's kept index
    assert [(p["file"], p["field"]) for p in found] == [("site_data/bbb/dangwu/b1.yaml", "编号")]
    assert checked() == (code, found, [])  # each community sound on its own: both kept, the clash still found
    write_files(root, {"site_data/bbb/dangwu/b1.yaml": meeting("2024-b-001", "日期写错", 发布日期="2024-13-40")})
    assert checked()[2] == ["bbb"]
    assert checked()[2] == ["bbb"]  # with an error: read every time
    (root / "site_data/aaa/dangwu/a2.yaml").unlink()
    write_files(root, {"site_data/bbb/dangwu/b1.yaml": meeting("2024-b-001", "乙社区支部委员会会议")})
    assert checked() == (0, [], ["aaa"])  # bbb as it was when last found sound: its kept check
    assert checked("--as-of", "2025-01-01")[2] == []  # another day on which the checks find the same
    site = root / "site_data" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "首页最新条数: 5\n", encoding="utf-8")
    assert checked()[2] == ["aaa", "bbb"]  # other settings
    kept = sorted((Path(os.environ["GONGKAI_CACHE"]) / "checked").glob("*/*.pickle"))
    shutil.rmtree(root / "site_data" / "bbb")
    assert checked() == (0, [], [])
    assert len(sorted((Path(os.environ["GONGKAI_CACHE"]) / "checked").glob("*/*.pickle"))) == len(kept) - 1


def test_a_kept_check_serves_the_days_it_holds_for_and_no_other(tmp_path, capsys, monkeypatch):
    """Two checks read the as-of day: a date after it is an error, and a catalogue row with a
    频次 falls overdue (a warning) the day after its due day. What `check --shards` found in a
    community is kept for the days on which it comes out the same: the first check of a new day
    reads no community, and one on a day when a date or a due day is crossed reads that
    community again. Each step reports what the one-process check reports that day."""
    root = _district(tmp_path / "p")
    monthly = {"公开事项": "支部会议", "公开内容": "会议情况", "公开依据": "党章", "公开时限": "每月"}
    monthly |= {"公开主体": "党委", "公开渠道": "公开栏", "公开对象": "党员", "公开方式": "主动公开"}
    monthly |= {"对应类型": "党务会议", "频次": "每月"}
    row = "".join(f"    {k}: {v}\n" for k, v in monthly.items()).replace("    ", "  - ", 1)
    write_files(root, {"site_data/aaa/catalogue.yaml": "目录:\n" + row})
    read: list[str] = []
    real = shards.read_community
    monkeypatch.setattr(shards, "read_community", lambda r, part, day: read.append(part) or real(r, part, day))

    def checked(day: str) -> tuple[int, list[str], list[str]]:
        read.clear()
        argv = ["--root", str(root), "--as-of", day]
        code, found, _ = _checked(capsys, *argv, "--shards", "--workers", "0")
        assert (code, found) == _checked(capsys, *argv)[:2]  # the whole check, one process
        return code, [f"{p['file']} {p['severity']}" for p in found], sorted(read)

    overdue = ["site_data/aaa/catalogue.yaml warning"]  # the meetings are of 2024-05-10: due by 06-25
    assert checked("2024-11-28") == (0, overdue, ["aaa", "bbb"])
    assert checked("2024-12-31") == (0, overdue, [])  # a new day: nothing read
    assert checked("2024-06-26") == (0, overdue, [])  # the first day it is overdue
    assert checked("2024-06-25") == (0, [], ["aaa"])  # its due day: aaa read again, bbb's check holds
    assert checked("2024-05-10") == (0, [], [])  # aaa's new check holds back to its latest date
    code, found, again = checked("2024-05-09")  # the meetings' day is after it: both read, errors
    assert (code, again) == (1, ["aaa", "bbb"]) and len(found) == 4
    assert checked("2024-05-09")[2] == ["aaa", "bbb"]  # errors are not kept
    assert checked("2024-12-31") == (0, overdue, ["aaa"])  # aaa's kept check is of 05-10 to 06-25


def test_the_days_a_check_holds_for_are_all_the_days_it_comes_out_the_same(project):
    """reading.checks.steady_days on the example's communities (every kind, a catalogue with
    频次): on its first and last day, and days between, a community's check finds exactly what
    it finds on the as-of day; the day before its first and the day after its last, it does not."""
    from generator.reading.parts import read_community

    def check(part: str, day: dt.date) -> tuple:
        problems, ids, public, config, _ = read_community(str(project), part, day.isoformat())
        return sorted(problems), ids, public, config

    one = dt.timedelta(days=1)
    for part in shards.communities(project):
        found = check(part, EXAMPLE_AS_OF)
        first, last = read_community(str(project), part, EXAMPLE_AS_OF.isoformat())[4]
        assert first <= EXAMPLE_AS_OF and (last is None or last >= EXAMPLE_AS_OF)
        inside = [first, first + (EXAMPLE_AS_OF - first) / 2, last or EXAMPLE_AS_OF + 3650 * one]
        assert all(check(part, day) == found for day in inside), part
        assert check(part, first - one) != found, part
        if last is not None:
            assert check(part, last + one) != found, part


def test_a_record_saved_while_its_community_is_checked_is_not_kept_for_its_old_bytes(tmp_path, capsys, monkeypatch):
    """A record fixed while `check --shards` reads its community: that check reads the fixed
    file, and what it found is not kept for the broken bytes it started from (put back, say by
    an undo, they are reported again). A name the disk holds in no encoding is no problem."""
    root = _district(tmp_path / "p")
    argv = ["--root", str(root), *AS_OF, "--shards", "--workers", "0"]
    (root / "site_data" / "aaa" / os.fsdecode(b"\xd5\xd5.jpg")).write_bytes(b"GBK name")  # not a record
    record = root / "site_data" / "aaa" / "dangwu" / "a1.yaml"
    sound = record.read_text(encoding="utf-8")
    broken = sound.replace("类型: 党务会议", "类型: 不存在的类型")
    record.write_text(broken, encoding="utf-8")
    code, found, _ = _checked(capsys, *argv)
    assert code == 1 and {p["file"] for p in found} == {"site_data/aaa/dangwu/a1.yaml"}
    real = shards.read_community

    def fixed_meanwhile(r: str, part: str, day: str):  # the check took the digest of the broken bytes
        record.write_text(sound, encoding="utf-8")
        return real(r, part, day)

    monkeypatch.setattr(shards, "read_community", fixed_meanwhile)
    assert _checked(capsys, *argv)[:2] == (0, [])
    monkeypatch.setattr(shards, "read_community", real)
    record.write_text(broken, encoding="utf-8")
    assert _checked(capsys, *argv)[:2] == (code, found)


def test_a_project_in_a_folder_named_in_no_encoding_is_checked(tmp_path, capsys):
    """The reads and checks caches are named by the project's path: any path the disk holds (a
    folder named in GBK on a UTF-8 system used to stop `check` with a UnicodeEncodeError)."""
    root = _district(tmp_path / os.fsdecode(b"\xd5\xd5 project"))
    argv = ["--root", str(root), *AS_OF]
    whole = _checked(capsys, *argv)
    assert whole[:2] == (0, [])
    for _ in range(2):  # every community read, then every community's check kept
        assert _checked(capsys, *argv, "--shards", "--workers", "0") == whole
