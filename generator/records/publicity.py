"""公示 state of a notice on the as-of date, and whether its personal data has to leave."""

from __future__ import annotations

import datetime as dt
from typing import Any

from generator.records.common import Notice, Period


def publicity(period: Period | None, as_of: dt.date) -> dict[str, Any] | None:
    """未开始 / 公示中 (剩 N 天) / 已结束 for a 公示期 on the as-of date; end dates inclusive."""
    if period is None:
        return None
    end = period.last_day
    if as_of < period.start:
        return {"state": "未开始", "css": "upcoming", "days_left": None, "end": end}
    if as_of <= end:
        return {"state": "公示中", "css": "open", "days_left": (end - as_of).days + 1, "end": end}
    return {"state": "已结束", "css": "ended", "days_left": None, "end": end}


def withheld(notice: Notice, as_of: dt.date) -> bool:
    """A list of people outside its 公示期 (ended, or not yet begun): its rows, body, files and A4
    are not published, only its title and dates."""
    state = publicity(notice.period, as_of)
    return notice.personal and state is not None and state["state"] != "公示中"
