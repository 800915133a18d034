"""`gongkai export`: a record's tables as the spreadsheet `gongkai import` reads back.

Values are taken as written in the record (a draft with blanks exports too); amounts become
numbers and dates real dates, so the accountant can sum and sort them. A 合计 row closes the
table: a SUM formula in .xlsx (Excel and WPS save its value, which the import then checks), the
sums themselves in CSV. Importing the file into the same record gives it back byte for byte
when its tables are in the usual layout.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from generator.authoring.spreadsheet import CSV_SUFFIXES, Table, csv_bytes, workbook_bytes
from generator.authoring.tables import EXPENSE, JOURNAL, JOURNAL_COLUMNS, Spec, spec_for
from generator.errors import Problem, RecordsInvalid
from generator.reading.loading import parse as parse_yaml
from generator.reading.loading import read_source

_MONEY = re.compile(r"-?\d+(\.\d{1,2})?")


def _problem(file: str, zh: str, en: str, hint_zh: str, hint_en: str) -> RecordsInvalid:
    return RecordsInvalid([Problem(file, 1, 1, "", zh, en, hint_zh, hint_en)])


def _typed(value: Any, kind: str) -> Any:
    """The written text as a cell value: Decimal, date or int where it reads as one, else text."""
    if value is None:
        return None
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    text = str(value)
    if kind == "money" and _MONEY.fullmatch(text):
        return Decimal(text)
    if kind == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    if kind == "count" and text.isdigit():
        return int(text)
    return text


def _journal(data: dict[str, Any]) -> list[list[Any]]:
    def line(item: dict[str, Any], income: bool) -> dict[str, Any]:
        if income:
            return {
                "日期": item.get("日期"),
                "凭证号": item.get("凭证号"),
                "摘要": item.get("来源"),
                "收入": item.get("金额"),
            }
        return {**{k: item.get(k) for k in EXPENSE if k != "金额"}, "支出": item.get("金额")}

    income = [line(i, True) for i in data.get("收入") or []]
    spending = [line(e, False) for e in data.get("支出") or []]
    merged = heapq.merge(income, spending, key=lambda r: str(r["日期"]))  # each table keeps its order
    return [[_typed(r.get(name), kind) for name, kind in JOURNAL_COLUMNS.items() if name != "来源"] for r in merged]


def table_of(spec: Spec, data: dict[str, Any], csv: bool) -> Table:
    """The record's table as header, lines and a 合计 row."""
    if spec.kind == JOURNAL:
        header = [n for n in JOURNAL_COLUMNS if n != "来源"]
        kinds = [JOURNAL_COLUMNS[n] for n in header]
        lines, title = _journal(data), "收支明细"
    else:
        title = spec.tables[0]
        header = list(spec.order[title])
        kinds = [spec.columns[n] for n in header]
        lines = [[_typed(item.get(n), spec.columns[n]) for n in header] for item in data.get(title) or []]
    total = _total(kinds, lines, csv) if lines and "money" in kinds else None
    widths = [12 if k in ("money", "date", "count") else 24 for k in kinds]
    return Table(title, header, lines, total, widths)


def _total(kinds: list[str], lines: list[list[Any]], csv: bool) -> list[Any]:
    label = next(i for i, k in enumerate(kinds) if k != "money")
    row: list[Any] = [None] * len(kinds)
    row[label] = "合计"
    last = len(lines) + 1
    for i, kind in enumerate(kinds):
        if kind != "money":
            continue
        if csv:
            row[i] = sum((v for line in lines if isinstance(v := line[i], Decimal)), Decimal("0.00"))
        else:
            column = get_column_letter(i + 1)
            row[i] = f"=SUM({column}2:{column}{last})"
    return row


def export_record(root: Path, kind: str, record: Path, out: Path) -> int:
    """Write the record's table(s) to `out` (.xlsx or .csv); returns the number of lines."""
    spec = spec_for(kind)
    shown = str(record)
    if spec is None:
        raise _problem(shown, f"“{kind}”没有可导出的明细", f"'{kind}' has no table to export", "换一个类型", "")
    if not record.is_file():
        raise _problem(shown, "找不到这个记录文件", "no such record file", "检查文件名和路径", "check the path")
    source = read_source(record.resolve(), record.resolve().parent)
    raw, problem = parse_yaml(source) if source.text is not None else (None, source.problem)
    if raw is None:
        raise RecordsInvalid([problem] if problem else [])
    if not isinstance(raw.data, dict) or raw.data.get("类型") != kind:
        written = raw.data.get("类型") if isinstance(raw.data, dict) else None
        raise _problem(
            shown,
            f"这个记录的类型是“{written}”，不是“{kind}”",
            f"this record is a {written}, not a {kind}",
            f"写 gongkai export {written} …",
            "give the record's own kind",
        )
    is_csv = out.suffix.lower() in CSV_SUFFIXES
    if not is_csv and out.suffix.lower() != ".xlsx":
        raise _problem(str(out), "只能导出为 .xlsx 或 .csv", "export to .xlsx or .csv", "把文件名改为 …xlsx", "")
    table = table_of(spec, raw.data, is_csv)
    out.write_bytes(csv_bytes(table) if is_csv else workbook_bytes(table))
    return len(table.lines)
