"""Values as real publishers write them: approximate figures ("100余份", "约300人"), a day with an
optional time ("2021-12-31 17:00"), e-mail addresses, and Chinese ordinal numbers (第二号, 一、).

Each value keeps the text as written (faithful display) and carries what the checks need.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

from generator.records.types import _date, _text, fail

_APPROX = re.compile(r"(约|大约|近|逾|超过)?\s*([0-9]+(?:\.[0-9]+)?)\s*(万)?\s*(余|多|左右|以上)?")


class Approx(str):
    """A count as written: "300", "约300", "100余", "30多". `value` is the number, `approx` says
    whether the publisher wrote it as approximate."""

    label = "数字或约数，如 35、约300、100余"
    value: Decimal
    approx: bool

    @property
    def shown(self) -> str:
        """Exact whole numbers get thousands separators; anything else stays as written."""
        if not self.approx and self.value == self.value.to_integral_value() and "万" not in self:
            return f"{int(self.value):,}"
        return str(self)


def _approx(value: Any) -> Approx:
    if isinstance(value, Approx):
        return value
    text = _text(value if not isinstance(value, int) else str(value))
    m = _APPROX.fullmatch(text)
    if m is None:
        raise fail(
            f"这里应是数字或约数：“{text}”",
            f"expected a number or an approximate one: '{text}'",
            "例如 35、约300、100余、30多",
            "e.g. 35, 约300, 100余, 30多",
        )
    out = Approx(text)
    out.value = Decimal(m.group(2)) * (10000 if m.group(3) else 1)
    out.approx = bool(m.group(1) or m.group(4))
    return out


_TIME = re.compile(r"([01]?[0-9]|2[0-3])[:：]([0-5][0-9])")


class Moment(str):
    """A day, or a day and a time: "2022-05-17" or "2021-12-31 17:00"."""

    label = "日期 YYYY-MM-DD，可带时间 YYYY-MM-DD HH:MM"
    day: dt.date
    time: str | None

    @property
    def cn(self) -> str:
        """2021年12月31日 17:00."""
        text = f"{self.day.year}年{self.day.month}月{self.day.day}日"
        return f"{text} {self.time}" if self.time else text


def _moment(value: Any) -> Moment:
    if isinstance(value, Moment):
        return value
    text = _text(value)
    day_text, _, time_text = text.partition(" ")
    time_text = time_text.strip()
    day = _date(day_text)
    clock = None
    if time_text:
        m = _TIME.fullmatch(time_text)
        if m is None:
            raise fail(
                f"时间格式不对：“{time_text}”",
                f"bad time: '{time_text}'",
                "写成 年-月-日 时:分，例如 2021-12-31 17:00（请加引号）",
                "write YYYY-MM-DD HH:MM, e.g. 2021-12-31 17:00 (quoted)",
            )
        clock = f"{int(m.group(1)):02d}:{m.group(2)}"
    out = Moment(f"{day.isoformat()} {clock}" if clock else day.isoformat())
    out.day, out.time = day, clock
    return out


_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


def _email(value: Any) -> str:
    text = _text(value)
    if not _EMAIL.fullmatch(text):
        raise fail(
            f"电子邮箱格式不对：“{text}”", f"bad e-mail address: '{text}'", "例如 sqb@example.cn", "e.g. sqb@example.cn"
        )
    return text


def _cell(value: Any) -> str:
    """A table cell: any text, empty allowed (a blank cell as published)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise fail("这里应是一段文字", "expected text", "写成一行文字", "write it as one line of text")
    return value.strip()


_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 35 → 三十五 (up to 99; larger numbers stay in digits)."""
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return str(n)


def plain(amount: Decimal) -> str:
    """A Decimal without trailing zeros and with thousands separators: 53000 → 53,000; 5.30 → 5.3."""
    text = f"{amount:,.2f}".rstrip("0").rstrip(".")
    return text


ApproxCount = Annotated[
    Approx,
    PlainValidator(_approx),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": ["string", "integer"], "examples": ["35", "约300", "100余"]}),
]
DayTime = Annotated[
    Moment,
    PlainValidator(_moment),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}( \d{1,2}:\d{2})?$"}),
]
Email = Annotated[str, PlainValidator(_email), WithJsonSchema({"type": "string", "format": "email"})]
Cell = Annotated[str, PlainValidator(_cell), WithJsonSchema({"type": ["string", "number", "null"]})]


def _month(value: Any) -> str:
    text = _text(value)
    m = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if m is None or not 1 <= int(m.group(2)) <= 12:
        raise fail(f"月份格式不对：“{text}”", f"bad month: '{text}'", "写成 年-月，例如 2025-04", "write YYYY-MM")
    return text


Month = Annotated[str, PlainValidator(_month), WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}$"})]


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value)
    if text in ("是", "否"):
        return text == "是"
    raise fail(f"这里应写“是”或“否”：“{text}”", f"expected 是 or 否: '{text}'", "写 是 或 否", "write 是 or 否")


YesNo = Annotated[bool, PlainValidator(_yes_no), WithJsonSchema({"enum": ["是", "否"]})]
