"""The corpus of bad inputs: each case's problems, asserted word for word (issue 3).

A case in tests/corpus/ is every file whose name starts with the same `NN-slug`:

- `NN-slug.yaml`            a record, copied to site_data/ceshi/NN-slug.yaml (bytes as they are)
- `NN-slug.ok.yaml`         a record that must pass, copied to site_data/ceshi/NN-slug.yaml
- `NN-slug.community.yaml`  replaces site_data/ceshi/community.yaml
- `NN-slug.site.yaml`       replaces site_data/site.yaml
- `NN-slug/`                a folder whose files are copied under site_data/ceshi/
- `NN-slug.expected`        the exact problem lines `gongkai check --as-of 2024-11-28` prints,
                            as printed (sorted); empty when the case must pass

Every case runs in a throwaway project with the community `ceshi` from conftest.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import community_files, make_project
from generator.cli import main

CORPUS = Path(__file__).resolve().parent / "corpus"
AS_OF = "2024-11-28"
CASE_NAME = re.compile(r"^(\d{2}-[a-z0-9-]+)")
# `file:line:column: …` — a problem line, as opposed to the summary printed after them.
PROBLEM_LINE = re.compile(r"^\S+:\d+:\d+: ")


def case_names() -> list[str]:
    names = {m.group(1) for p in CORPUS.iterdir() if (m := CASE_NAME.match(p.name))}
    return sorted(names)


def case_files(name: str) -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.name == name or p.name.startswith(name + "."))


def install_case(root: Path, name: str) -> None:
    """Copy the case's files into the throwaway project at `root`, byte for byte."""
    data = root / "site_data"
    for src in case_files(name):
        if src.name.endswith(".expected"):
            continue
        if src.is_dir():
            for f in sorted(src.rglob("*")):
                if f.is_file():
                    dest = data / "ceshi" / f.relative_to(src)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(f, dest)
        elif src.name == f"{name}.community.yaml":
            shutil.copyfile(src, data / "ceshi" / "community.yaml")
        elif src.name == f"{name}.site.yaml":
            shutil.copyfile(src, data / "site.yaml")
        elif src.name in (f"{name}.yaml", f"{name}.ok.yaml"):
            shutil.copyfile(src, data / "ceshi" / f"{name}.yaml")
        else:
            raise AssertionError(f"corpus file {src.name} does not follow the naming rules")


def run_case(root: Path, name: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """Run `gongkai check` on the case; its exit code and the problem lines it printed."""
    make_project(root, community_files())
    install_case(root, name)
    capsys.readouterr()
    code = main(["check", "--root", str(root), "--as-of", AS_OF])
    out = capsys.readouterr()
    lines = [line for line in (out.err + out.out).splitlines() if PROBLEM_LINE.match(line)]
    return code, lines


def expected_lines(name: str) -> list[str]:
    text = (CORPUS / f"{name}.expected").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]


def test_corpus_is_big_enough():
    names = case_names()
    assert len(names) >= 40, names
    bad = [n for n in names if expected_lines(n)]
    assert len(bad) >= 40, f"only {len(bad)} cases expect problems"


def test_every_case_has_an_expectation_and_an_input():
    for name in case_names():
        files = case_files(name)
        assert CORPUS / f"{name}.expected" in files, f"{name} has no .expected"
        assert len(files) >= 2, f"{name} has no input file"


@pytest.mark.parametrize("name", case_names())
def test_case(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    want = expected_lines(name)
    code, got = run_case(tmp_path, name, capsys)
    assert got == want
    assert code == (1 if want else 0)
