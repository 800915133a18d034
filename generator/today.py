"""The build's "today": an input, parsed once at the edge, never read deep inside."""

from __future__ import annotations

import datetime as dt
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
