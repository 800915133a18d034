"""What a kind's spreadsheet holds, and its rows read into record table items.

Most kinds have one table (救助名单's 名单, 预算执行's 科目, 专项资金's 支出 …) whose columns are
the row's fields. A 收支公开 is read as the journal accountants keep: one line per entry with a
收入 or a 支出 amount; income lines become 收入, spending lines 支出.

Rows that are not lines are recognised by a cell that says what they are: 合计 / 总计 (checked
against the lines above, then the table ends: 制表人 and signatures below are not read), 小计
(checked against the lines since the previous 小计), and balance rows (期初余额, 上期结转, 本年累计 …,
skipped). Blank rows are skipped; merged cells were filled in when the sheet was read.
"""

from __future__ import annotations

import re
import typing
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from generator.authoring.cells import date_text, lenient_amount, money_text, plain_text, text_list
from generator.authoring.columns import Layout
from generator.authoring.spreadsheet import Sheet, sheet_problem
from generator.errors import Problem
from generator.reading.validation import model_at
from generator.records import KINDS

JOURNAL = "收支公开"
TABLE_OF = {
    "专项资金": "支出",
    "预算执行": "科目",
    "救助名单": "名单",
    "人员公示": "人员",
    "发展党员公示": "人员",
    "党费收缴": "明细",
    "承诺事项": "事项",
    "普法计划": "计划",
    "普法责任清单": "清单",
    "选举公告": "职位",
    "服务窗口": "窗口",
}
_KIND_OF_VALIDATOR = {"_str_list": "list", "_money": "money", "_date": "date", "_count": "count"}
JOURNAL_COLUMNS = {
    "日期": "date",
    "凭证号": "text",
    "摘要": "text",
    "来源": "text",
    "类别": "text",
    "收款方": "text",
    "审批人": "text",
    "收入": "money",
    "支出": "money",
}
INCOME = ("日期", "来源", "金额", "凭证号")
EXPENSE = ("日期", "类别", "收款方", "金额", "凭证号", "审批人", "摘要")
TOTAL = re.compile(r"(本[日月期年季]|收入|支出|收支|总)?(合计|总计)")
SUBTOTAL = re.compile(r".{0,16}小计")
BALANCE = re.compile(
    r"(本[月期年季])?(累计|期初余额|期末余额|上[期月年季]结转|上年结余|承前页|过次页|结转下[期月年季]|本[期月年季]结余)"
)

Item = dict[str, Any]  # field → text (or a list of texts)
Where = dict[str, tuple[int, int]]  # field → (row, column) of the cell it came from


def _field_kind(info: Any) -> str | None:
    """money, date, count, list or text for a scalar field; None for a nested record part."""
    found: list[str] = []

    def walk(annotation: Any) -> None:
        for meta in getattr(annotation, "__metadata__", ()):
            found.append(getattr(getattr(meta, "func", None), "__name__", ""))
        for arg in typing.get_args(annotation):
            walk(arg)

    for meta in info.metadata:
        found.append(getattr(getattr(meta, "func", None), "__name__", ""))
    walk(info.annotation)
    if any(isinstance(a, type) and issubclass(a, BaseModel) for a in _classes(info.annotation)):
        return None
    return next((_KIND_OF_VALIDATOR[f] for f in found if f in _KIND_OF_VALIDATOR), "text")


def _classes(annotation: Any) -> list[Any]:
    args = typing.get_args(annotation)
    return [c for a in args for c in _classes(a)] if args else [annotation]


@dataclass(frozen=True)
class Spec:
    """A kind's spreadsheet: its tables, each column's kind, the fields every line needs."""

    kind: str
    tables: tuple[str, ...]
    columns: dict[str, str]
    required: tuple[str, ...]
    order: dict[str, tuple[str, ...]] = field(default_factory=dict)  # table → its fields in order


def spec_for(kind: str) -> Spec | None:
    """The spreadsheet layout of `kind`, or None when it has no table to import."""
    if kind == JOURNAL:
        return Spec(kind, ("收入", "支出"), JOURNAL_COLUMNS, ("日期", "凭证号"), {"收入": INCOME, "支出": EXPENSE})
    if kind not in TABLE_OF:
        return None
    table = TABLE_OF[kind]
    row_model = model_at(KINDS[kind], (table,))
    assert row_model is not None
    columns = {f.alias: _field_kind(f) for f in row_model.model_fields.values() if f.alias}
    wanted = {k: v for k, v in columns.items() if v is not None}
    required = tuple(f.alias for f in row_model.model_fields.values() if f.is_required() and f.alias in wanted)
    return Spec(kind, (table,), wanted, required, {table: tuple(wanted)})  # type: ignore[arg-type]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _labels(row: list[Any]) -> list[str]:
    return [unicodedata.normalize("NFKC", re.sub(r"\s+", "", v)).strip(":：") for v in row if isinstance(v, str)]


@dataclass
class Reading:
    """The tables read so far, where each value came from, and the problems met."""

    sheet: Sheet
    layout: Layout
    spec: Spec
    items: dict[str, list[Item]]
    where: dict[tuple[str, int], Where] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    amounts: list[dict[str, Decimal | None]] = field(default_factory=list)  # per line, for 合计 checks
    since_subtotal: int = 0

    def refuse(self, row: int, name: str, refusal: tuple[str, str, str, str]) -> None:
        self.problems.append(sheet_problem(self.sheet.label, row, self.layout.columns[name], name, *refusal))

    def convert(self, row: int, name: str, value: Any) -> Any:
        """The cell's value as record text, or None (blank or refused: then the problem is noted)."""
        kind = self.spec.columns[name]
        if _blank(value):
            return None
        if kind == "money":
            text, refusal = money_text(value)
        elif kind == "date":
            text, refusal = date_text(value, self.sheet.epoch)
        elif kind == "list":
            return text_list(value) or None
        else:
            text, refusal = plain_text(value), None
        if refusal:
            self.refuse(row, name, refusal)
        return text

    def add(self, table: str, row: int, names: dict[str, str], values: dict[str, Any]) -> None:
        """One line into `table`: `names` maps the table's fields to the columns they come from."""
        item: Item = {}
        where: Where = {}
        for target, column in names.items():
            if column not in self.layout.columns:
                continue
            where[target] = (row, self.layout.columns[column])
            text = self.convert(row, column, values[column])
            if text is not None:
                item[target] = text
        self.where[(table, len(self.items[table]))] = where
        self.items[table].append(item)


def read_rows(sheet: Sheet, layout: Layout, spec: Spec) -> Reading:
    """Every line below the header, into the spec's tables; totals checked, problems collected."""
    reading = Reading(sheet, layout, spec, {t: [] for t in spec.tables})
    money = [n for n in layout.columns if spec.columns[n] == "money"]
    for row in range(layout.header_row + 1, len(sheet.rows) + 1):
        values = {name: sheet.value(row, col) for name, col in layout.columns.items()}
        labels = _labels(sheet.rows[row - 1])
        if any(TOTAL.fullmatch(t) for t in labels):
            _check_total(reading, row, money, values, 0, "合计")
            break
        if any(SUBTOTAL.fullmatch(t) for t in labels):
            _check_total(reading, row, money, values, reading.since_subtotal, "小计")
            reading.since_subtotal = len(reading.amounts)
            continue
        if all(_blank(v) for v in values.values()) or any(BALANCE.fullmatch(t) for t in labels):
            continue
        reading.amounts.append({n: Decimal(0) if _blank(values[n]) else lenient_amount(values[n]) for n in money})
        if spec.kind == JOURNAL:
            _journal_line(reading, row, values)
        else:
            table = spec.tables[0]
            reading.add(table, row, {n: n for n in spec.order[table]}, values)
    return reading


def _journal_line(reading: Reading, row: int, values: dict[str, Any]) -> None:
    present = {n: lenient_amount(values[n]) for n in ("收入", "支出") if not _blank(values.get(n))}
    nonzero = [n for n, amount in present.items() if amount != 0]
    filled = nonzero if len(present) == 2 and len(nonzero) == 1 else list(present)  # 0.00 in the other column
    columns = reading.layout.columns
    if len(filled) != 1:
        where = "支出" if "支出" in columns else "收入"
        both = len(filled) == 2
        reading.refuse(
            row,
            where,
            (
                "这一行同时有收入和支出" if both else "这一行没有收入或支出金额",
                "this line has both income and spending" if both else "this line has no income or spending amount",
                "拆成两行，一行收入、一行支出" if both else "填写收入或支出；不是收支的行请删去",
                "split it into two lines" if both else "fill in an amount, or delete the row",
            ),
        )
        return
    if filled == ["收入"]:
        source = "来源" if "来源" in columns and not _blank(values.get("来源")) else "摘要"
        names = {"日期": "日期", "来源": source, "金额": "收入", "凭证号": "凭证号"}
        reading.add("收入", row, names, values)
    else:
        names = {"日期": "日期", "类别": "类别", "收款方": "收款方", "金额": "支出", "凭证号": "凭证号"}
        reading.add("支出", row, {**names, "审批人": "审批人", "摘要": "摘要"}, values)


def _check_total(reading: Reading, row: int, money: list[str], values: dict[str, Any], start: int, word: str) -> None:
    lines = reading.amounts[start:]
    for name in money:
        if _blank(values.get(name)):
            continue
        stated = lenient_amount(values[name])
        parts = [line[name] for line in lines]
        if stated is None:
            reading.refuse(row, name, (f"{word}读不出金额", f"cannot read the {word} amount", "写成数字", "a number"))
            continue
        if any(p is None for p in parts):
            continue  # an unreadable line is reported on its own
        total = sum((p for p in parts if p is not None), Decimal(0))
        if stated != total:
            reading.refuse(
                row,
                name,
                (
                    f"{name}{word} {stated:.2f} 与上面各行之和 {total:.2f} 不符",
                    f"the {word} of {name}, {stated:.2f}, differs from the sum of the lines, {total:.2f}",
                    f"核对各行金额，或把{word}改为 {total:.2f}",
                    f"check the lines, or correct the {word} to {total:.2f}",
                ),
            )
