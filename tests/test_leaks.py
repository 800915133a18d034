"""The corpus of leaks (issue 14): personal data and files of the build machine never reach
site/ — each case is refused, by the checks at its file and line, or by the output gate naming
the record it came from, and the site that was there stays as it was.

A case in tests/leaks/ is:

- `NN-slug/`         files copied into a throwaway project (paths relative to its root; the
                     project already has site_data/site.yaml and the community `ceshi`)
- `NN-slug.links`    symlinks to make, one `path -> target` per line (targets outside the project)
- `NN-slug.expected` the exact problem lines `gongkai build --as-of 2024-11-28` prints

The binary attachments were made once by hand (a minimal PDF with one line of Helvetica text).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import community_files, make_project
from generator.cli import main

LEAKS = Path(__file__).resolve().parent / "leaks"
AS_OF = "2024-11-28"
PROBLEM_LINE = re.compile(r"^\S+:\d+:\d+: ")
CASES = sorted(p.name for p in LEAKS.iterdir() if p.is_dir())


def install(root: Path, name: str) -> None:
    case = LEAKS / name
    for src in sorted(case.rglob("*")):
        if src.is_file():
            dest = root / src.relative_to(case)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
    links = LEAKS / f"{name}.links"
    if links.exists():
        for line in links.read_text(encoding="utf-8").splitlines():
            path, target = (part.strip() for part in line.split("->"))
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(target, root / path)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def old_outputs(root: Path) -> dict[str, dict[str, bytes]]:
    for out in ("site", "print"):
        (root / out).mkdir()
        (root / out / "index.html").write_text(f"<p>昨天的{out}</p>", encoding="utf-8")
    return {out: snapshot(root / out) for out in ("site", "print")}


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert all((LEAKS / f"{name}.expected").exists() for name in CASES)


@pytest.mark.parametrize("name", CASES)
def test_leak_is_refused(tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "p", community_files())
    install(root, name)
    before = old_outputs(root)
    capsys.readouterr()
    code = main(["build", "--root", str(root), "--as-of", AS_OF])
    out = capsys.readouterr()
    lines = [line for line in (out.err + out.out).splitlines() if PROBLEM_LINE.match(line)]
    expected = [line for line in (LEAKS / f"{name}.expected").read_text(encoding="utf-8").splitlines() if line]
    assert code == 1, out.err
    assert lines == expected
    assert {o: snapshot(root / o) for o in ("site", "print")} == before
