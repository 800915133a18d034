"""Reproducible builds: the same commit and as-of date give the same bytes, PDFs included, whatever
the machine's time zone, locale, hash seed, file order, or whether a PDF came from the cache."""

from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, make_project

AS_OF = "2024-11-28"
EPOCH = "1732780800"  # 2024-11-28 16:00 +08:00, a commit time like any other
GIT_DATE = "2024-11-28T16:00:00+08:00"
# jieba's dictionary cache as anybody can leave it in /tmp: no words at all, so every character
# would be a word of its own (print titles broken mid-word, another search index).
POISON = marshal.dumps(({}, 1))


def _locale() -> str:
    """en_US.UTF-8 where it is installed (it changes number and date formatting), else C."""
    found = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout.lower()
    return "en_US.UTF-8" if "en_us.utf8" in found or "en_us.utf-8" in found else "C"


def _env(cache: Path, tz: str, lang: str, seed: str, epoch: str | None) -> dict[str, str]:
    """`cache`: the build's caches; its temporary folder (TMPDIR) is `cache` with `-tmp` after it."""
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "LANG", "LANGUAGE")}
    env.update(TZ=tz, LC_ALL=lang, PYTHONHASHSEED=seed, GONGKAI_CACHE=str(cache), PYTHONPATH=str(ROOT))
    tmp = cache.with_name(cache.name + "-tmp")
    tmp.mkdir(parents=True)
    env["TMPDIR"] = str(tmp)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    return env


def _project(root: Path, reverse: bool = False) -> Path:
    """The example project; with `reverse`, its record files are written in the opposite order."""
    if not reverse:
        return make_project(root, {}, example=True)
    make_project(root, {})
    for path in sorted((ROOT / "site_data").rglob("*"), reverse=True):
        target = root / path.relative_to(ROOT)
        if path.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return root


def _commit(root: Path) -> None:
    """Make the project a git repository whose one commit is dated GIT_DATE."""
    env = {**os.environ, "GIT_AUTHOR_DATE": GIT_DATE, "GIT_COMMITTER_DATE": GIT_DATE}
    ident = ["-c", "user.name=测试", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "records"]):
        subprocess.run(["git", *ident, *args], cwd=root, env=env, check=True, capture_output=True)


def _run_all(commands: list[tuple[Path, list[str], dict[str, str]]]) -> list[bytes]:
    """Run `python -m generator …` in several projects side by side; stdout of each, or fail."""
    started = [
        subprocess.Popen([sys.executable, "-m", "generator", *args], cwd=cwd, env=env, stdout=-1, stderr=-1)
        for cwd, args, env in commands
    ]
    outputs = []
    for (cwd, args, _), proc in zip(commands, started, strict=True):
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, f"{' '.join(args)} in {cwd} failed:\n{err.decode('utf-8', 'replace')}"
        outputs.append(out)
    return outputs


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _differences(a: Path, b: Path) -> list[str]:
    one, other = _tree(a), _tree(b)
    return sorted(p for p in set(one) | set(other) if one.get(p) != other.get(p))


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example built three times, each with its own PDF cache (so every PDF is rendered):
    `utc` and `shanghai` differ in TZ, locale, hash seed and file order and share SOURCE_DATE_EPOCH;
    `commit` has no SOURCE_DATE_EPOCH, only a git commit dated at that same moment."""
    base = tmp_path_factory.mktemp("reproducible")
    roots = {"utc": _project(base / "utc"), "shanghai": _project(base / "shanghai", reverse=True)}
    roots["commit"] = _project(base / "commit")
    for root in roots.values():  # the same history everywhere: pages show each record's changes
        _commit(root)
    envs = {
        "utc": _env(base / "cache-utc", "UTC", "C.UTF-8", "1", EPOCH),
        "shanghai": _env(base / "cache-shanghai", "Asia/Shanghai", _locale(), "2", EPOCH),
        "commit": _env(base / "cache-commit", "Asia/Shanghai", "C.UTF-8", "3", None),
    }
    (base / "cache-shanghai-tmp" / "jieba.cache").write_bytes(POISON)
    build = ["build", "--as-of", AS_OF]
    _run_all([(roots[name], build, envs[name]) for name in roots])
    boards = ["boards", "--as-of", AS_OF, "--out", "print"]
    printed = _run_all([(roots[name], boards, envs[name]) for name in ("utc", "shanghai")])
    (base / "boards-utc.txt").write_bytes(printed[0])
    (base / "boards-shanghai.txt").write_bytes(printed[1])
    return roots


def test_the_machines_temporary_folder_is_neither_read_nor_left_full(builds: dict[str, Path]) -> None:
    """Each build and print run renders every PDF in worker processes: they leave nothing in the
    temporary folder (WeasyPrint's copy of the print font was left there by every worker, 7 MB
    each, gigabytes a day), and the jieba cache found there is neither read (the builds above are
    byte-identical with and without it) nor replaced."""
    base = builds["utc"].parent
    assert sorted(os.listdir(base / "cache-utc-tmp")) == []
    assert sorted(os.listdir(base / "cache-commit-tmp")) == []
    assert sorted(os.listdir(base / "cache-shanghai-tmp")) == ["jieba.cache"]
    assert (base / "cache-shanghai-tmp" / "jieba.cache").read_bytes() == POISON
    assert any((base / "cache-utc" / "jieba").rglob("jieba.cache"))  # its cache is among ours


def test_site_is_byte_identical_across_machines(builds: dict[str, Path]) -> None:
    site = builds["utc"] / "site"
    assert any(site.rglob("*.pdf")) and (site / "sitemap.xml").is_file()
    differing = _differences(site, builds["shanghai"] / "site")
    assert not differing, "these files differ between the two builds: " + ", ".join(differing)


def test_boards_are_byte_identical_across_machines(builds: dict[str, Path]) -> None:
    printed = builds["utc"] / "print"
    assert any(printed.rglob("*.pdf"))
    differing = _differences(printed, builds["shanghai"] / "print")
    assert not differing, "these PDFs differ between the two `gongkai boards` runs: " + ", ".join(differing)
    listing = builds["utc"].parent / "boards-utc.txt"
    assert listing.read_bytes() == (builds["utc"].parent / "boards-shanghai.txt").read_bytes()


def test_printed_pdfs_are_the_ones_online(builds: dict[str, Path]) -> None:
    """What goes to the print shop is, byte for byte, what the website offers for download."""
    printed, site = _tree(builds["utc"] / "print"), _tree(builds["utc"] / "site")
    assert printed and set(printed) <= set(site)
    assert [p for p in printed if printed[p] != site[p]] == []


def test_without_source_date_epoch_the_commit_time_is_used(builds: dict[str, Path]) -> None:
    differing = _differences(builds["utc"] / "site", builds["commit"] / "site")
    assert not differing, "these files take the build's wall-clock time: " + ", ".join(differing)


def test_no_build_time_and_never_the_epoch_in_the_sitemap(builds: dict[str, Path]) -> None:
    sitemap = (builds["utc"] / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2024-11-28</lastmod>" in sitemap
    assert "1970-01-01" not in sitemap
