"""Each record's change history from git: when its file changed, and the commit's message.

One `git log` for the whole data folder (not one per record), following renames, so a notice's
history survives its file being moved. Outside a git repository there is no history to show.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Change:
    day: dt.date
    message: str


def file_history(root: Path, data_dir: str = "site_data") -> dict[str, list[Change]]:
    """Path (as it is now, relative to root) → its changes, newest first."""
    try:
        done = subprocess.run(
            ["git", "log", "-M", "--name-status", "--format=%x00%cs%x00%s", "--", data_dir],
            cwd=root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
        prefix = subprocess.run(
            ["git", "rev-parse", "--show-prefix"], cwd=root, capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:  # git is not installed
        return {}
    if done.returncode != 0:
        return {}
    history: dict[str, list[Change]] = {}
    now_called: dict[str, str] = {}  # a path in older commits → the path it has today
    for day, message, files in _commits(done.stdout):
        for status, *paths in files:
            current = now_called.get(paths[-1], paths[-1])
            if status.startswith("R") and len(paths) == 2:
                now_called[paths[0]] = current
            history.setdefault(current.removeprefix(prefix), []).append(Change(day, message))
    return history


def _commits(log: str) -> list[tuple[dt.date, str, list[list[str]]]]:
    parts = log.split("\0")[1:]
    commits = []
    for day, rest in zip(parts[0::2], parts[1::2], strict=False):
        message, _, names = rest.partition("\n")
        files = [line.split("\t") for line in names.splitlines() if "\t" in line]
        commits.append((dt.date.fromisoformat(day), message.strip(), files))
    return commits
