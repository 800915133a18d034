"""Faults around a build: killed processes, two builds at once, a broken environment. The previous
site stays, no worker or temporary folder outlives the run, every message is clear."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, community_files, make_project, meeting
from generator.lock import output_lock

AS_OF = ["--as-of", "2024-11-28"]
linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")


def printable(rid: str, title: str, body: str = "经研究，现予公示。") -> str:
    return meeting(rid, title, "2024-11-20", 公示期="{开始: 2024-11-20, 天数: 10}", 正文=body)


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if ".building-" in p.name or p.name.endswith(".old"))


def gongkai(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """`python -m generator` as a user runs it, in its own process; its temporary folder beside
    the project (what a killed build leaves there goes with the test's folder, not into /tmp)."""
    machine_tmp = root.parent / "machine-tmp"
    machine_tmp.mkdir(exist_ok=True)
    full = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(machine_tmp), **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "generator", *args, "--root", str(root), *AS_OF],
        env=full,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def unbuilt(tmp_path: Path) -> Path:
    files = community_files()
    files["site_data/ceshi/m0.yaml"] = printable("m-0", "会议")
    return make_project(tmp_path / "p", files)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    files = community_files()
    for i in range(6):
        files[f"site_data/ceshi/m{i}.yaml"] = printable(f"m-{i}", f"第{i}次会议")
    root = make_project(tmp_path / "p", files)
    done = gongkai(root, "build")
    _, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    return root


def test_a_long_temporary_folder_still_starts_the_pdf_workers(tmp_path: Path) -> None:
    """The PDF workers' fork server listens on a socket in the temporary folder, and an AF_UNIX
    address holds 108 bytes: under a TMPDIR of 90 characters the build stopped with "AF_UNIX path
    too long" (and left its workers' folder behind). It builds, and leaves the folder empty."""
    files = community_files()
    for i in range(3):
        files[f"site_data/ceshi/m{i}.yaml"] = printable(f"m-{i}", f"第{i}次会议")
    root = make_project(tmp_path / "p", files)
    deep = tmp_path / ("t" * 90)
    deep.mkdir()
    done = gongkai(root, "build", env={"TMPDIR": str(deep), "GONGKAI_CACHE": str(tmp_path / "c")})
    _, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    assert len((root / "site/ceshi/party/m-0/notice-a4.pdf").read_bytes()) > 1000
    assert list(deep.iterdir()) == []


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _pythons(pids: set[int]) -> set[int]:
    """Those of `pids` that run Python (not the compilers ctypes runs to find libraries)."""
    python = os.path.realpath(sys.executable)
    found = set()
    for pid in pids:
        try:
            if os.path.realpath(f"/proc/{pid}/exe") == python:
                found.add(pid)
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(condition, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return False


@linux_only
@pytest.mark.parametrize("processes", [2, 4], ids=["pool-starting", "workers-rendering"])
def test_sigkill_during_pdfs_takes_the_workers_along_and_a_rebuild_works(
    project: Path, tmp_path: Path, processes: int
) -> None:
    """Killed as its pool starts (resource tracker and fork server only, still loading WeasyPrint)
    or while its two workers render: every process of the pool is gone within two seconds."""
    before = digest(project / "site")
    long = "|\n" + "".join(
        f"  第{i}段：经研究，现予公示。居民如有异议，请在公示期内向居委会反映。\n\n" for i in range(200)
    )
    for i in range(6):  # PDFs of several pages: a worker is busy for seconds with each
        (project / f"site_data/ceshi/m{i}.yaml").write_text(printable(f"m-{i}", f"第{i}次会议", long), encoding="utf-8")
    # The killed build's temporary folder of its own, removed below: a process killed with SIGKILL
    # cannot remove its fork server's socket folder (pymp-*), which would pile up in /tmp.
    machine_tmp = tempfile.mkdtemp(prefix="gk-killed-")  # short: the socket's path must fit
    fresh = {"GONGKAI_CACHE": str(tmp_path / "empty-cache")}  # nothing cached: the workers must render
    build = gongkai(project, "build", env={**fresh, "TMPDIR": machine_tmp})
    workers: set[int] = set()

    def rendering() -> bool:
        workers.update(_pythons(_descendants(build.pid)))
        return len(workers) >= processes

    try:
        assert _wait_for(rendering, 120), "the build never started its PDF workers"
        build.send_signal(signal.SIGKILL)
        build.wait(10)
        assert _wait_for(lambda: not any(_alive(pid) for pid in workers), 2), "PDF workers outlived the build"
    finally:
        build.kill()
        build.wait(10)
        shutil.rmtree(machine_tmp, ignore_errors=True)
    assert digest(project / "site") == before
    rebuilt = gongkai(project, "build", env=fresh)
    _, err = rebuilt.communicate(timeout=300)
    assert rebuilt.returncode == 0, err
    assert leftovers(project) == []
    assert (project / "site/ceshi/party/m-5/index.html").is_file()


@linux_only
@pytest.mark.parametrize("group", [False, True], ids=["kill-pid", "systemd-stop"])
def test_sigterm_during_pdfs_stops_at_once_and_leaves_no_temporary_file(
    project: Path, tmp_path: Path, group: bool
) -> None:
    """SIGTERM to the build (`kill PID`) or to its whole process group (systemd's stop, a CI's
    cancel) while its workers render: it stops within seconds, not after their batches, says so,
    exits 143, keeps the previous site, and nothing is left in the temporary folder (each worker
    held its own copy of the print font there)."""
    before = digest(project / "site")
    long = "|\n" + "".join(f"  第{i}段：经研究，现予公示。居民如有异议，请向居委会反映。\n\n" for i in range(200))
    for i in range(6):
        (project / f"site_data/ceshi/m{i}.yaml").write_text(printable(f"m-{i}", f"第{i}次会议", long), encoding="utf-8")
    machine_tmp = tmp_path / "tmp"
    machine_tmp.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(machine_tmp), "GONGKAI_CACHE": str(tmp_path / "c")}
    build = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--root", str(project), *AS_OF],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert _wait_for(lambda: any(machine_tmp.glob("gongkai-pdf-*/weasyprint-*")), 120), "no worker rendered"
    os.killpg(build.pid, signal.SIGTERM) if group else build.send_signal(signal.SIGTERM)
    started = time.monotonic()
    _, err = build.communicate(timeout=60)
    assert time.monotonic() - started < 10
    assert build.returncode == 143 and "已中断" in err
    assert digest(project / "site") == before
    assert sorted(p.name for p in machine_tmp.iterdir()) == []


@linux_only
def test_a_killed_builds_folder_is_removed_by_the_next_build(project: Path) -> None:
    before = digest(project / "site")
    (project / "site_data/ceshi/new.yaml").write_text(printable("new-1", "新会议"), encoding="utf-8")
    build = gongkai(project, "build")
    assert _wait_for(lambda: any(".building-" in p.name for p in project.iterdir()), 120)
    build.send_signal(signal.SIGKILL)
    build.wait(10)
    assert leftovers(project) != []  # what SIGKILL leaves: nothing could clean it up
    assert digest(project / "site") == before
    rebuilt = gongkai(project, "build")
    _, err = rebuilt.communicate(timeout=300)
    assert rebuilt.returncode == 0, err
    assert leftovers(project) == []
    assert (project / "site/ceshi/party/new-1/index.html").is_file()


def test_a_second_build_waits_for_the_first_and_says_so(project: Path) -> None:
    (project / "site_data/ceshi/new.yaml").write_text(printable("new-1", "新会议"), encoding="utf-8")
    with output_lock(project / "site"):  # a first build holds the project
        second = gongkai(project, "build")
        assert second.stderr is not None
        said = ""
        while "gongkai" not in said and second.poll() is None:
            said = second.stderr.readline()
        assert "另一个 gongkai 正在生成，等它结束后继续" in said
        assert "another gongkai is building" in said
        time.sleep(1)
        assert second.poll() is None  # still waiting: it has not touched the site
        assert not (project / "site/ceshi/party/new-1").exists()
    _, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    assert (project / "site/ceshi/party/new-1/index.html").is_file()


def test_two_builds_at_once_both_succeed(project: Path) -> None:
    (project / "site_data/ceshi/new.yaml").write_text(printable("new-1", "新会议"), encoding="utf-8")
    runs = [gongkai(project, "build"), gongkai(project, "boards")]
    results = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    assert all("Traceback" not in err for _, err in results)
    assert (project / "site/ceshi/party/new-1/index.html").is_file()
    assert (project / "print/ceshi").is_dir()
    assert leftovers(project) == []


def test_the_lock_is_released_when_its_holder_is_killed(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from generator.lock import output_lock\n"
            "with output_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(600)",
            str(tmp_path / "site"),
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    holder.send_signal(signal.SIGKILL)
    holder.wait(10)
    acquired = threading.Event()

    def take() -> None:
        with output_lock(tmp_path / "site"):
            acquired.set()

    threading.Thread(target=take, daemon=True).start()
    assert acquired.wait(10)


def _fake_package(folder: Path, name: str) -> dict[str, str]:
    """A PYTHONPATH on which `import name` fails, as in an environment where it is broken."""
    (folder / name).mkdir(parents=True)
    (folder / name / "__init__.py").write_text("raise ImportError('simulated: not installed')\n", encoding="utf-8")
    return {"PYTHONPATH": f"{folder}{os.pathsep}{ROOT}"}


def test_missing_jieba_stops_the_build_with_a_clear_message(project: Path, tmp_path: Path) -> None:
    before = digest(project / "site")
    (project / "site_data/ceshi/new.yaml").write_text(printable("new-1", "新会议"), encoding="utf-8")
    run = gongkai(project, "build", env=_fake_package(tmp_path / "fake", "jieba"))
    _, err = run.communicate(timeout=120)
    assert run.returncode == 2
    assert "jieba 无法加载（中文搜索需要）" in err
    assert "jieba cannot be imported, needed for Chinese search" in err
    assert "Traceback" not in err
    assert digest(project / "site") == before


def test_missing_weasyprint_stops_boards_with_a_clear_message(unbuilt: Path, tmp_path: Path) -> None:
    run = gongkai(unbuilt, "boards", env=_fake_package(tmp_path / "fake", "weasyprint"))
    _, err = run.communicate(timeout=120)
    assert run.returncode == 2
    assert "weasyprint 无法加载（生成 PDF需要）" in err
    assert "Traceback" not in err
    assert not (unbuilt / "print").exists()


@pytest.mark.parametrize("value", ["0", "", "abc", "-5", "1e9", "99999999999999999999", "4102444800", "315532799"])
def test_bad_source_date_epoch_is_refused_before_anything_is_built(unbuilt: Path, value: str) -> None:
    run = gongkai(unbuilt, "build", env={"SOURCE_DATE_EPOCH": value})
    _, err = run.communicate(timeout=120)
    assert run.returncode == 2
    assert err.startswith(f"环境变量 SOURCE_DATE_EPOCH=“{value}”不对：应是 1980 年到 2100 年之间的秒数（整数）")
    assert f"(SOURCE_DATE_EPOCH='{value}' is not valid" in err
    assert "Traceback" not in err
    assert not (unbuilt / "site").exists()


def test_a_good_source_date_epoch_dates_the_sitemap(project: Path) -> None:
    run = gongkai(project, "build", env={"SOURCE_DATE_EPOCH": "1732752000"})  # 2024-11-28 00:00 UTC
    _, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    assert "<lastmod>2024-11-28</lastmod>" in (project / "site/sitemap.xml").read_text(encoding="utf-8")
