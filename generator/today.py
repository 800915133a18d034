"""The build's "today": an input, parsed once at the edge, never read deep inside."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def parse_as_of(text: str | None) -> dt.date:
    """`YYYY-MM-DD`, or today in Beijing time when not given."""
    if not text:
        return dt.datetime.now(BEIJING).date()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"--as-of 日期格式不对：“{text}”，应写成 YYYY-MM-DD (bad --as-of date '{text}', use YYYY-MM-DD)"
        ) from None


def source_date_epoch(root: Path, as_of: dt.date) -> str:
    """The time a build is dated: the last commit's time, or (outside git) the as-of day at 00:00
    Beijing time; never the wall clock and never 0, so the same commit builds the same bytes."""
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True)
    except OSError:  # no git installed
        done = None
    if done is not None and done.returncode == 0 and done.stdout.strip().isdigit():
        return done.stdout.strip()
    return str(int(dt.datetime.combine(as_of, dt.time(), BEIJING).timestamp()))
