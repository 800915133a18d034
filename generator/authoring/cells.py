"""A cell's value as the text a person would have typed into the record, or why it cannot be.

Amounts are never floats: a number cell holds the shortest decimal that reads back as the stored
binary value (what Excel and WPS wrote into the file), and a value that is not a whole number of
fen — 1200.4999999999998, the residue of a formula — is refused rather than rounded, because a
rounded figure would no longer be the one in the accountant's books. Text is passed on as typed;
the record checks judge it (“1,200.5元” gets their hint: 写成 1200.50).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from openpyxl.utils.datetime import from_excel

FEN = Decimal("0.01")
_TEXT_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(\s+\d{1,2}:\d{2}(:\d{2})?)?")

_TWO_PLACES = re.compile(r"-?\d+(\.\d{1,2})?", re.ASCII)

Refusal = tuple[str, str, str, str]  # message and hint, Chinese and English


def _number(value: int | float | Decimal) -> Decimal:
    return Decimal(value) if isinstance(value, int | Decimal) else Decimal(repr(value))


def money_text(value: Any) -> tuple[str | None, Refusal | None]:
    if isinstance(value, bool | dt.date | dt.time):
        return None, ("这里应是金额", "expected an amount", "输入以元为单位的数字", "enter yuan as a number")
    if isinstance(value, int | float | Decimal):
        amount = _number(value)
        if not amount.is_finite():
            return None, ("这里应是金额", "expected an amount", "输入以元为单位的数字", "enter yuan as a number")
        if amount != amount.quantize(FEN):
            near = amount.quantize(FEN)
            return None, (
                f"单元格里的数是 {amount}，不是整分（常见于公式计算的结果）",
                f"the cell holds {amount}, not a whole number of fen (typically a formula's residue)",
                f"核对后直接输入 {near:.2f}，或把公式改为 =ROUND(…,2)",
                f"check it and type {near:.2f}, or wrap the formula in ROUND(…,2)",
            )
        return f"{amount:.2f}", None
    text = str(value).strip()
    if _TWO_PLACES.fullmatch(text):  # typed as text, or from CSV: written with two places like a number cell
        return f"{Decimal(text):.2f}", None
    return text, None


def date_text(value: Any, epoch: dt.datetime) -> tuple[str | None, Refusal | None]:
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), None
    if isinstance(value, dt.date):
        return value.isoformat(), None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, int) and 19000101 <= value <= 21001231:
            return _from_digits(str(value)), None
        if 1 <= value < 73051:  # 1900-01-01 … 2099-12-31 as Excel serial numbers
            return from_excel(value, epoch=epoch).date().isoformat(), None
        return None, (
            f"“{value}”不是日期",
            f"'{value}' is not a date",
            "输入日期，例如 2024-03-01",
            "enter a date, e.g. 2024-03-01",
        )
    text = str(value).strip()
    if m := _TEXT_DATE.fullmatch(text):
        return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}", None
    if re.fullmatch(r"\d{8}", text):
        return _from_digits(text), None
    return text, None  # the record check refuses it with its own hint


def _from_digits(text: str) -> str:
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"


def plain_text(value: Any) -> str:
    """Text and counts: a number cell as its digits (凭证号 51, not 51.0), a date as 2024-03-01."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(_number(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def text_list(value: Any) -> list[str]:
    """办理事项 and the like: one cell, items separated by 、 ， ； or line breaks."""
    return [t.strip() for t in re.split(r"[、,，;；\n]", plain_text(value)) if t.strip()]


def lenient_amount(value: Any) -> Decimal | None:
    """An amount for adding up (合计 checks): tolerant of 1,200.50 and 元; None when unreadable."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return _number(value)
    if isinstance(value, str):
        text = re.sub(r"[,，\s¥￥元]", "", value)
        if re.fullmatch(r"-?\d+(\.\d+)?", text):
            return Decimal(text)
    return None
