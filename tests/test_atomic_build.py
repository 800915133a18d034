"""A failed build — records, strict warnings, a full disk, Ctrl-C — leaves the previous site as it was."""

from __future__ import annotations

import errno
import hashlib
from pathlib import Path

import pytest

from conftest import community_files, make_project, meeting
from generator import build as building
from generator.cli import main

AS_OF = ["--as-of", "2024-11-28"]


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    files = community_files()
    files["site_data/ceshi/a.yaml"] = meeting("ok-1", "正常会议")
    make_project(tmp_path, files)
    assert main(["build", "--root", str(tmp_path), *AS_OF]) == 0
    return tmp_path, digest(tmp_path / "site")


def _leftovers(root: Path) -> list[str]:
    return [p.name for p in root.iterdir() if p.name.startswith(".site.") or p.name == "site.old"]


def _break_the_engine(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    real = building.build_site

    def half_then_fail(root: Path, site_dir: Path, as_of: str | None, strict: bool = False, prepared=None) -> None:
        real(root, site_dir, as_of, strict, prepared)  # the whole new site is written aside…
        (site_dir / "index.html").write_text("half", encoding="utf-8")
        raise error  # …and then the disk fills up, or the user presses Ctrl-C

    monkeypatch.setattr(building, "build_site", half_then_fail)


def test_full_disk_leaves_previous_site(built, monkeypatch, capsys):
    root, before = built
    (root / "site_data/ceshi/b.yaml").write_text(meeting("ok-2", "第二次会议"), encoding="utf-8")
    _break_the_engine(monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    assert main(["build", "--root", str(root), *AS_OF]) == 1
    assert "无法写入输出" in capsys.readouterr().err
    assert digest(root / "site") == before
    assert _leftovers(root) == []


def test_interrupt_leaves_previous_site(built, monkeypatch, capsys):
    root, before = built
    _break_the_engine(monkeypatch, KeyboardInterrupt())
    assert main(["build", "--root", str(root), *AS_OF]) == 130
    assert "已中断" in capsys.readouterr().err
    assert digest(root / "site") == before
    assert _leftovers(root) == []


def test_strict_warning_leaves_previous_site(built, capsys):
    root, before = built
    (root / "site_data/ceshi/catalogue.yaml").write_text(
        "目录:\n  - 公开事项: 居务收支\n    公开内容: 收支明细\n    公开依据: 组织法\n    公开时限: 每季度\n"
        "    公开主体: 居委会\n    公开渠道: 公开栏\n    公开对象: 居民\n    公开方式: 主动公开\n"
        "    对应类型: 收支公开\n    频次: 每季度\n",
        encoding="utf-8",
    )
    assert main(["build", "--root", str(root), "--strict", *AS_OF]) == 1
    err = capsys.readouterr().err
    assert (
        "site_data/ceshi/catalogue.yaml:11:9: 目录[1].频次: 警告：“居务收支”应每季度公开，还没有公开过，已超期" in err
    )
    assert digest(root / "site") == before
    assert main(["build", "--root", str(root), *AS_OF]) == 0  # without --strict a warning does not stop it
    assert digest(root / "site") != before


def test_successful_rebuild_replaces_the_site(built):
    root, _ = built
    (root / "site_data/ceshi/b.yaml").write_text(meeting("ok-2", "第二次会议"), encoding="utf-8")
    assert main(["build", "--root", str(root), *AS_OF]) == 0
    assert (root / "site/ceshi/party/ok-2/index.html").is_file()
    assert _leftovers(root) == []
