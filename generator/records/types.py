"""Field types for records: every value arrives as the text the person wrote and is typed here.

Each type refuses what YAML 1.1 or a spreadsheet would have guessed at, and says in Chinese
(then English) what to write instead.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError


def fail(zh: str, en: str, hint_zh: str = "", hint_en: str = "", at: tuple[str | int, ...] = ()) -> PydanticCustomError:
    """A validation error that carries our bilingual message and hint.

    `at` is the path, below the model that raised it, of the field to point the user at.
    """
    ctx = {"zh": zh, "en": en, "hint_zh": hint_zh, "hint_en": hint_en, "at": at}
    return PydanticCustomError("gongkai", "{en}", ctx)


def _text(value: Any) -> str:
    if value is None:
        raise fail("不能为空", "must not be empty", "填写这一项", "fill this in")
    if not isinstance(value, str):
        raise fail("这里应是一段文字", "expected text", "写成一行文字", "write it as one line of text")
    value = value.strip()
    if not value:
        raise fail("不能为空", "must not be empty", "填写这一项", "fill this in")
    return value


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _date(value: Any) -> dt.date:
    text = _text(value)
    if _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise fail(
                f"日期“{text}”不存在",
                f"date '{text}' does not exist",
                "检查月份和日期，例如 2024-02-29",
                "check month and day, e.g. 2024-02-29",
            ) from None
    numbers = re.findall(r"\d+", text)
    suggestion = ""
    if len(numbers) == 3 and len(numbers[0]) == 4:
        y, m, d = (int(n) for n in numbers)
        suggestion = f"{y:04d}-{m:02d}-{d:02d}"
    hint = f"写成 {suggestion}" if suggestion else "写成 年-月-日，例如 2024-03-01"
    hint_en = f"write {suggestion}" if suggestion else "write YYYY-MM-DD, e.g. 2024-03-01"
    raise fail(f"日期格式不对：“{text}”", f"bad date format: '{text}'", hint, hint_en)


_MONEY = re.compile(r"-?\d+(\.\d{1,2})?", re.ASCII)


def money_suggestion(text: str) -> str | None:
    """The amount we think the person meant, as plain yuan with two places, or None."""
    t = unicodedata.normalize("NFKC", text).replace(",", "").replace("，", "").replace(" ", "")
    t = t.removeprefix("¥").removeprefix("￥").removesuffix("元")
    factor = Decimal(1)
    if t.endswith("万"):
        t, factor = t[:-1], Decimal(10000)
    try:
        amount = Decimal(t) * factor
    except InvalidOperation:
        return None
    if not amount.is_finite():
        return None
    return f"{amount:.2f}" if amount == amount.quantize(Decimal("0.01")) else None


def _money(value: Any) -> Decimal:
    text = _text(value)
    if _MONEY.fullmatch(text):
        return Decimal(text)
    suggestion = money_suggestion(text)
    if suggestion is not None:
        return_hint = (
            f"写成 {suggestion}（单位：元，不写逗号、符号和“万”）",
            f"write {suggestion} (yuan, no commas, symbols or 万)",
        )
    elif re.fullmatch(r"-?\d+\.\d{3,}", text):
        return_hint = ("金额最多两位小数（到分），请核对后改正", "at most two decimal places (fen)")
    else:
        return_hint = ("写成以元为单位的数字，例如 1250.00", "write yuan as a number, e.g. 1250.00")
    raise fail(f"金额格式不对：“{text}”", f"bad amount: '{text}'", *return_hint)


def _count(value: Any) -> int:
    text = _text(value)
    if not re.fullmatch(r"[0-9]+", text):
        raise fail(
            f"这里应是整数：“{text}”",
            f"expected a whole number: '{text}'",
            "只写阿拉伯数字，例如 35",
            "digits only, e.g. 35",
        )
    return int(text)


def _decimal(value: Any) -> Decimal:
    text = _text(value)
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
        raise fail(
            f"这里应是数字：“{text}”", f"expected a number: '{text}'", "只写数字，例如 1.3", "digits only, e.g. 1.3"
        )
    return Decimal(text)


_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def _ident(value: Any) -> str:
    text = _text(value)
    if not _ID.fullmatch(text):
        raise fail(
            f"编号“{text}”不合规",
            f"invalid id '{text}'",
            "编号只用小写英文字母、数字和连字符，例如 2024-dw-001（用于网址，发布后不再改动）",
            "use lowercase letters, digits and hyphens, e.g. 2024-dw-001",
        )
    return text


_PHONE = re.compile(r"[0-9][0-9\- ]{3,20}[0-9]")


_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")


def _phone(value: Any) -> str:
    """Digits with hyphens or spaces; any dash a publisher types (－ – — ‐) is written as "-"."""
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", _text(value)))
    if not _PHONE.fullmatch(text):
        raise fail(
            f"电话号码格式不对：“{text}”",
            f"bad phone number: '{text}'",
            "例如 0395-1234567 或 12345",
            "e.g. 0395-1234567 or 12345",
        )
    return text


def _str_list(value: Any) -> Any:
    if isinstance(value, str):
        return [value]
    return value


# JSON Schemas for editors: YAML editors type unquoted scalars as numbers, so those are allowed
# wherever Gongkai accepts the digits as written; the checker stays the authority.
_SCALAR = ["string", "number", "integer", "boolean"]
Text = Annotated[str, BeforeValidator(_text), WithJsonSchema({"type": _SCALAR})]
Day = Annotated[
    dt.date,
    BeforeValidator(_date),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "examples": ["2024-09-01"]}),
]
Money = Annotated[
    Decimal,
    BeforeValidator(_money),
    PlainSerializer(lambda d: f"{d:.2f}", return_type=str),
    WithJsonSchema({"type": ["number", "string"], "pattern": r"^-?\d+(\.\d{1,2})?$", "examples": [1250.0]}),
]
Count = Annotated[
    int, BeforeValidator(_count), WithJsonSchema({"type": ["integer", "string"], "pattern": r"^\d+$", "minimum": 0})
]
Number = Annotated[
    Decimal,
    BeforeValidator(_decimal),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": ["number", "string"], "pattern": r"^\d+(\.\d+)?$"}),
]
Ident = Annotated[
    str,
    BeforeValidator(_ident),
    WithJsonSchema({"type": ["string", "integer"], "pattern": "^[a-z0-9][a-z0-9-]{0,63}$"}),
]
PublicPhone = Annotated[
    str,
    BeforeValidator(_phone),
    WithJsonSchema({"type": ["string", "integer"], "pattern": r"^[0-9][0-9\- ]{3,20}[0-9]$"}),
]
TextList = Annotated[list[Text], BeforeValidator(_str_list)]
