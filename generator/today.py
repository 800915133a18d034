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


EPOCH_MIN = 315_532_800  # 1980-01-01, the earliest date a ZIP file (and most tools) can carry
EPOCH_MAX = 4_102_444_800  # 2100-01-01


def check_epoch(value: str | None) -> None:
    """SOURCE_DATE_EPOCH, when set, must be whole seconds since 1970 between 1980 and 2100: the
    sitemap and the PDFs are dated with it (0 gave 1970; text or a huge value crashed mkdocs)."""
    if value is None:
        return
    text = value.strip()
    if text.isascii() and text.isdigit() and EPOCH_MIN <= int(text) < EPOCH_MAX:
        return
    raise ValueError(
        f"环境变量 SOURCE_DATE_EPOCH=“{value}”不对：应是 1980 年到 2100 年之间的秒数（整数），"
        "例如 git log -1 --format=%ct 的结果；不设置时用最后一次提交的时间"
        f" (SOURCE_DATE_EPOCH='{value}' is not valid: use whole seconds since 1970 between 1980 and 2100,"
        " such as `git log -1 --format=%ct`, or leave it unset)"
    )
