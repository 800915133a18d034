"""Each record's change history from git: the days its file changed, in Beijing time (like the
build's "today": a commit at 00:30 in China is that day's, whatever zone the committer's machine
was set to).

Commit messages are never read: they are written for reviewers, unchecked, and may name a
household or a phone number; what the public learns about a change is the record's own
更正说明 (shown by the notice page). One `git log` for the whole data folder (not one per
record), following renames, so a notice's history survives its file being moved. Outside a git
repository there is no history to show.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.today import BEIJING


@dataclass(frozen=True)
class Change:
    day: dt.date


def file_history(root: Path, data_dir: str = "site_data") -> dict[str, list[Change]]:
    """Path (as it is now, relative to root) → its changes, newest first."""
    try:
        done = subprocess.run(
            ["git", "log", "-M", "--name-status", "--format=%x00%ct%x00", "--", data_dir],
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
    for day, files in _commits(done.stdout):
        for status, *paths in files:
            current = now_called.get(paths[-1], paths[-1])
            if status.startswith("R") and len(paths) == 2:
                now_called[paths[0]] = current
            history.setdefault(current.removeprefix(prefix), []).append(Change(day))
    return history


def _commits(log: str) -> list[tuple[dt.date, list[list[str]]]]:
    parts = log.split("\0")[1:]
    commits = []
    for seconds, names in zip(parts[0::2], parts[1::2], strict=False):
        files = [line.split("\t") for line in names.splitlines() if "\t" in line]
        commits.append((dt.datetime.fromtimestamp(int(seconds), BEIJING).date(), files))
    return commits
