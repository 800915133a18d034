"""requirements.lock installs on every system that README names, as dev.sh installs it.

Each system's Python: Debian 12 ships 3.11.2, Ubuntu 24.04 3.12.3, Debian 13 3.13.5. pip checks
a release's Requires-Python against `--python-version` with all three parts (see
`test_pip_compares_all_three_parts`), but it evaluates environment markers against the Python
running it; so the lock has no markers and one version of each package serves every system.

These tests ask the package index that pip is configured with (PyPI unless pip.conf says
otherwise); they are skipped, saying why, when it cannot be reached.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
SYSTEMS = {"Debian 12": "3.11.2", "Ubuntu 24.04": "3.12.3", "Debian 13": "3.13.5"}
# Published only as source (pure Python): checked without their dependencies, which have none
# (jieba) or are pinned wheels (feedgen: lxml, python-dateutil).
SOURCE_ONLY = {"feedgen", "jieba"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins() -> dict[str, str]:
    lines = [line.strip() for line in LOCK.read_text(encoding="utf-8").splitlines()]
    return dict(line.split("==") for line in lines if line and not line.startswith("#"))


def pip(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}
    command = [sys.executable, "-m", "pip", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)


def dry_run(report: Path, *args: str) -> dict[str, str]:
    """What `pip install` would install, {name: version}; fails with pip's own words."""
    done = pip("install", "--dry-run", "--ignore-installed", "--quiet", "--report", str(report), *args)
    assert done.returncode == 0, done.stdout + done.stderr
    chosen = json.loads(report.read_text(encoding="utf-8"))["install"]
    return {canonical(item["metadata"]["name"]): item["metadata"]["version"] for item in chosen}


@pytest.fixture(scope="module")
def index() -> None:
    """Skips when the package index cannot be reached (no cache: the index itself must answer)."""
    probe = pip(
        "install", "--dry-run", "--ignore-installed", "--no-deps", "--no-cache-dir", "--retries", "0",
        "--timeout", "20", "--only-binary=:all:", f"packaging=={pins()['packaging']}",
    )  # fmt: skip
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["?"])[-1]
        pytest.skip(f"无法连接软件包索引（PyPI），未检查 requirements.lock (package index not reachable): {last}")


def test_lock_pins_every_package_once_without_markers() -> None:
    lines = [line.strip() for line in LOCK.read_text(encoding="utf-8").splitlines()]
    requirements = [line for line in lines if line and not line.startswith("#")]
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+==[A-Za-z0-9.+!-]+", line) for line in requirements), requirements
    names = [canonical(line.split("==")[0]) for line in requirements]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("system", SYSTEMS)
def test_lock_installs_on(system: str, index: None, tmp_path: Path) -> None:
    version = SYSTEMS[system]
    wheels = tmp_path / "wheels.txt"
    wheels.write_text("".join(f"{n}=={v}\n" for n, v in pins().items() if canonical(n) not in SOURCE_ONLY))
    target = ["--python-version", version, "--only-binary=:all:"]
    chosen = dry_run(tmp_path / "wheels.json", *target, "-r", str(wheels))
    sources = [f"{n}=={v}" for n, v in pins().items() if canonical(n) in SOURCE_ONLY]
    chosen |= dry_run(tmp_path / "sources.json", "--python-version", version, "--no-deps", *sources)
    assert chosen == {canonical(n): v for n, v in pins().items()}, f"{system} (Python {version})"


def test_lock_pins_everything_gongkai_needs(index: None, tmp_path: Path) -> None:
    """dev.sh's own command, on the Python running the tests: nothing is left to float."""
    chosen = dry_run(tmp_path / "all.json", "-c", str(LOCK), "-e", f"{ROOT}[test]")
    locked = {canonical(n): v for n, v in pins().items()}
    chosen.pop("gongkai")
    assert {n: v for n, v in chosen.items() if locked.get(n) != v} == {}


def test_pip_compares_all_three_parts(index: None, tmp_path: Path) -> None:
    """The check above can fail: a release that needs Python 3.11.5 is refused for 3.11.2."""
    refused = pip(
        "install", "--dry-run", "--ignore-installed", "--no-deps", "--python-version", "3.11.2",
        "--only-binary=:all:", "pymdown-extensions==13.1.2",
    )  # fmt: skip
    assert refused.returncode != 0
    assert "Requires-Python >=3.11.5" in refused.stdout + refused.stderr
