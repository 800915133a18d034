"""Spreadsheets in and out: .xlsx through openpyxl, CSV in UTF-8 (with or without BOM), UTF-16 or
GBK/GB18030. A sheet comes back as a grid of cell values with merged ranges filled in; nothing
here knows what the columns mean.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from generator.errors import Problem, RecordsInvalid

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
FIXED_TIME = (2000, 1, 1, 0, 0, 0)  # zip entries and document properties: exports are byte-identical


@dataclass(frozen=True)
class Sheet:
    """One sheet: `rows[r][c]` is the value of cell (r+1, c+1); `merged` names the range a filled-in
    cell came from (for the messages), `label` is how problems name the sheet (账.xlsx!Sheet1)."""

    label: str
    rows: list[list[Any]]
    merged: dict[tuple[int, int], str] = field(default_factory=dict)
    epoch: dt.datetime = dt.datetime(1899, 12, 30)

    def value(self, row: int, col: int) -> Any:
        """The value at 1-based (row, col), None outside the grid."""
        if row - 1 < len(self.rows) and col - 1 < len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return None


def cell_ref(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def sheet_problem(sheet_label: str, row: int, col: int, field_name: str, zh: str, en: str, hint_zh: str, hint_en: str):
    """A Problem located at a cell, shown as 账.xlsx!Sheet1!D17."""
    return Problem(sheet_label, row, col, field_name, zh, en, hint_zh, hint_en, cell=cell_ref(row, col))


def _refuse(label: str, zh: str, en: str, hint_zh: str, hint_en: str) -> RecordsInvalid:
    return RecordsInvalid([Problem(label, 1, 1, "", zh, en, hint_zh, hint_en)])


def read_sheet(path: Path, sheet: str | None = None) -> Sheet:
    """The named sheet (the first one by default) of an .xlsx or CSV file."""
    if not path.is_file():
        raise _refuse(str(path), "找不到这个表格文件", "no such spreadsheet file", "检查文件名和路径", "check the path")
    if path.suffix.lower() in CSV_SUFFIXES:
        return _read_csv(path)
    if path.suffix.lower() != ".xlsx":
        raise _refuse(
            path.name,
            f"不能读取“{path.suffix}”文件",
            f"cannot read '{path.suffix}' files",
            "在 Excel 或 WPS 里“另存为”.xlsx 或 CSV 再导入",
            "save it as .xlsx or CSV first",
        )
    book = _open(path)
    names = book.sheetnames
    if sheet is not None and sheet not in names:
        raise _refuse(
            path.name,
            f"没有名为“{sheet}”的工作表，表格里有：{'、'.join(names)}",
            f"no sheet named '{sheet}'; the workbook has: {', '.join(names)}",
            "用 --sheet 写其中一个名称",
            "pass one of them with --sheet",
        )
    ws = book[sheet] if sheet is not None else book.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return Sheet(f"{path.name}!{ws.title}", rows, _fill_merged(ws, rows), book.epoch)


def _open(path: Path) -> Any:
    try:
        return load_workbook(path, data_only=True)  # formulas: the value Excel/WPS saved with them
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise _refuse(
            path.name,
            f"打不开这个表格：{exc}",
            f"cannot open the workbook: {exc}",
            "用 Excel 或 WPS 打开后重新保存为 .xlsx",
            "open it in Excel or WPS and save it again as .xlsx",
        ) from None


def _fill_merged(ws: Any, rows: list[list[Any]]) -> dict[tuple[int, int], str]:
    """Give every cell of a merged range the range's value; return which range each came from."""
    merged = {}
    for rng in ws.merged_cells.ranges:
        top = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= len(rows) else None
        for r in range(rng.min_row, min(rng.max_row, len(rows)) + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                while len(rows[r - 1]) < c:
                    rows[r - 1].append(None)
                rows[r - 1][c - 1] = top
                merged[(r, c)] = rng.coord
    return merged


def _decode(data: bytes, name: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):  # GB18030 reads GBK and GB2312 too
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _refuse(
        name,
        "读不出这个 CSV 的文字编码（不是 UTF-8，也不是 GBK/GB18030）",
        "cannot tell the CSV's encoding (neither UTF-8 nor GBK/GB18030)",
        "在 Excel 或 WPS 里另存为“CSV UTF-8”或 .xlsx",
        "save it as CSV UTF-8 or .xlsx",
    )


def _read_csv(path: Path) -> Sheet:
    text = _decode(path.read_bytes(), path.name)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    rows: list[list[Any]] = [
        [v if v.strip() else None for v in row]
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ]
    return Sheet(path.name, rows)


# -- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """What an export writes: a header row, the lines, an optional 合计 row and number formats."""

    title: str
    header: list[str]
    lines: list[list[Any]]
    total: list[Any] | None = None
    widths: list[int] = field(default_factory=list)


def _formats(value: Any) -> str | None:
    if isinstance(value, dt.date):
        return "yyyy-mm-dd"
    if isinstance(value, Decimal) or (isinstance(value, str) and value.startswith("=SUM(")):
        return "#,##0.00"
    return None


def _deterministic(data: bytes) -> bytes:
    """openpyxl stamps the time into the zip entries and docProps/core.xml; fix both."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2000-01-01T00:00:00Z", body)
            zout.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def workbook_bytes(table: Table) -> bytes:
    """The table as an .xlsx: bold header, frozen first row, dates and amounts formatted."""
    book = Workbook()
    ws = book.active
    ws.title = table.title
    ws.append(table.header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for values in [*table.lines, *([table.total] if table.total else [])]:
        ws.append(values)
        for cell, value in zip(ws[ws.max_row], values, strict=False):
            if fmt := _formats(value):
                cell.number_format = fmt
    ws.freeze_panes = "A2"
    for i, width in enumerate(table.widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    book.properties.creator = "gongkai"
    book.properties.created = book.properties.modified = dt.datetime(2000, 1, 1)
    raw = io.BytesIO()
    book.save(raw)
    return _deterministic(raw.getvalue())


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_bytes(table: Table) -> bytes:
    """The table as CSV in UTF-8 with a BOM (Excel and WPS open it without asking)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.header)
    for values in [*table.lines, *([table.total] if table.total else [])]:
        writer.writerow([_csv_text(v) for v in values])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
