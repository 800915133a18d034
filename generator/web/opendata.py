"""Finance as open data: CSV and JSON per statement, fund and budget, and a Fiscal Data Package.

Amounts are written as exact decimal strings ("1250.00"), never floats. CSV files are UTF-8
with a byte-order mark so that Excel on a community office's PC shows the Chinese correctly.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from typing import Any

from generator.reading.site import CommunityData, Entry
from generator.records.budget import Budget
from generator.records.finance import SpecialFund, Statement
from generator.web.memo import Memo, remember

LINE_COLUMNS = {  # column → meaning, shown on the open-data page
    "statement_id": "收支公开记录的编号",
    "account": "账户：行政账（居委会）或 经济账（股份经济合作社）",
    "period_start": "期间第一天",
    "period_end": "期间最后一天",
    "direction": "收入 或 支出",
    "date": "入账或支出日期",
    "counterpart": "收入来源，或支出的收款方",
    "category": "支出类别（收入为空）",
    "purpose": "用途摘要",
    "amount": "金额（元，两位小数，精确值）",
    "voucher": "记账凭证号",
    "approver": "审批人（收入为空）",
}
BUDGET_COLUMNS = {
    "budget_id": "预算执行记录的编号",
    "account": "账户",
    "year": "年度",
    "as_at": "实际支出统计截至日期",
    "item": "预算科目",
    "budgeted": "预算（元）",
    "executed": "实际支出（元）",
    "rate": "执行率（%）",
}
FUND_COLUMNS = {
    "fund_id": "专项资金记录的编号",
    "fund": "资金名称",
    "year": "年度",
    "source": "资金来源",
    "rate": "人均标准（元/人·年）",
    "allocated": "拨付金额（元）",
}


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def statement_lines(entry: Entry) -> list[dict[str, str]]:
    s = entry.notice
    assert isinstance(s, Statement)
    base = {
        "statement_id": s.id,
        "account": s.account.value,
        "period_start": s.from_.isoformat(),
        "period_end": s.to.isoformat(),
    }
    rows = [
        {
            **base,
            "direction": "收入",
            "date": i.on.isoformat(),
            "counterpart": i.source,
            "category": "",
            "purpose": "",
            "amount": _money(i.amount),
            "voucher": i.voucher,
            "approver": "",
        }
        for i in s.income
    ]
    rows += [
        {
            **base,
            "direction": "支出",
            "date": e.on.isoformat(),
            "counterpart": e.payee,
            "category": e.category,
            "purpose": e.purpose or "",
            "amount": _money(e.amount),
            "voucher": e.voucher,
            "approver": e.approver,
        }
        for e in s.expenses
    ]
    return rows


def budget_lines(entry: Entry) -> list[dict[str, str]]:
    b = entry.notice
    assert isinstance(b, Budget)
    return [
        {
            "budget_id": b.id,
            "account": b.account.value,
            "year": str(b.year),
            "as_at": b.as_at.isoformat(),
            "item": line.item,
            "budgeted": _money(line.budget),
            "executed": _money(line.actual),
            "rate": "" if line.rate is None else str(line.rate),
        }
        for line in b.lines
    ]


def fund_lines(entry: Entry) -> list[dict[str, str]]:
    f = entry.notice
    assert isinstance(f, SpecialFund)
    return [
        {
            "fund_id": f.id,
            "fund": f.fund,
            "year": str(f.year),
            "source": s.source,
            "rate": _money(s.rate),
            "allocated": _money(s.amount),
        }
        for s in f.sources
    ]


_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def formula_safe(cell: str) -> str:
    """A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
    apostrophe (OWASP's CSV injection advice); numbers, negative amounts included, stay numbers."""
    if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def to_csv(columns: dict[str, str], rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: formula_safe(v) if isinstance(v, str) else v for k, v in row.items()} for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def record_json(entry: Entry) -> bytes:
    """The public record as JSON: the record's own fields (Chinese keys) plus computed totals."""
    n = entry.notice
    data: dict[str, Any] = n.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(n, Statement):
        data["收入合计"], data["支出合计"] = _money(n.income_total), _money(n.expense_total)
    elif isinstance(n, SpecialFund):
        data["已使用"], data["结余"] = _money(n.spent), _money(n.remaining)
    elif isinstance(n, Budget):
        data["预算合计"], data["实际合计"] = _money(n.budget_total), _money(n.actual_total)
    data["网址"] = entry.url
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def _schema(columns: dict[str, str], measures: dict[str, dict[str, str]]) -> dict[str, Any]:
    fields = []
    for name, meaning in columns.items():
        field: dict[str, Any] = {"name": name, "title": meaning, "type": "string"}
        if name in measures:
            field.update(type="number", decimalChar=".", columnType="value", **measures[name])
        elif name in ("date", "period_start", "period_end", "as_at"):
            field["type"] = "date"
        fields.append(field)
    return {"fields": fields}


def datapackage(data: CommunityData, files: dict[str, str]) -> bytes:
    """A Fiscal Data Package describing the community's finance CSV files (paths relative)."""
    c = data.community
    line_columns = {k: v for k, v in LINE_COLUMNS.items() if k != "direction"}

    def resource(name: str, title: str, columns: dict[str, str], measures: dict[str, dict[str, str]]) -> dict:
        return {
            "name": name,
            "path": files[name],
            "format": "csv",
            "encoding": "utf-8-sig",
            "title": title,
            "schema": _schema(columns, measures),
        }

    executed = {"phase": "executed", "currency": "CNY"}
    resources = [
        resource(
            "revenue", "收入明细（行政账、经济账）", line_columns, {"amount": {"direction": "revenue", **executed}}
        ),
        resource(
            "expenditure",
            "支出明细（行政账、经济账）",
            line_columns,
            {"amount": {"direction": "expenditure", **executed}},
        ),
        resource(
            "budget",
            "预算执行",
            BUDGET_COLUMNS,
            {
                "budgeted": {"direction": "expenditure", "phase": "approved", "currency": "CNY"},
                "executed": {"direction": "expenditure", **executed},
            },
        ),
        resource("special-funds", "专项资金来源", FUND_COLUMNS, {"allocated": {"direction": "revenue", **executed}}),
    ]
    measures = {
        f"{r['name']}-{f['name']}": {
            "resource": r["name"],
            "source": f["name"],
            "currency": "CNY",
            "direction": f["direction"],
            "phase": f["phase"],
        }
        for r in resources
        for f in r["schema"]["fields"]
        if f.get("columnType") == "value"
    }
    package = {
        "name": f"{c.id}-finance",
        "title": f"{c.name}财务公开数据",
        "profile": "fiscal-data-package",
        "countryCode": "CN",
        "resources": resources,
        "model": {
            "measures": measures,
            "dimensions": {
                "account": {
                    "attributes": {"account": {"source": "account"}},
                    "primaryKey": "account",
                    "dimensionType": "classification",
                },
            },
        },
    }
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def community_files(data: CommunityData, memo: Memo | None = None) -> dict[str, bytes]:
    """Every open-data file of a community, by site-relative path. `memo`: the live preview's;
    a record's own files depend on that record alone."""
    base = f"{data.community.id}/opendata/"
    statements = [e for e in data.public if isinstance(e.notice, Statement)]
    lines = [row for e in sorted(statements, key=lambda e: e.notice.id) for row in statement_lines(e)]
    line_columns = {k: v for k, v in LINE_COLUMNS.items() if k != "direction"}

    def rows(direction: str) -> list[dict[str, str]]:
        return [{k: v for k, v in row.items() if k != "direction"} for row in lines if row["direction"] == direction]

    files = {
        "revenue": ("revenue.csv", to_csv(line_columns, rows("收入"))),
        "expenditure": ("expenditure.csv", to_csv(line_columns, rows("支出"))),
        "budget": (
            "budget.csv",
            to_csv(
                BUDGET_COLUMNS, [row for e in data.public if isinstance(e.notice, Budget) for row in budget_lines(e)]
            ),
        ),
        "special-funds": (
            "special-funds.csv",
            to_csv(
                FUND_COLUMNS, [row for e in data.public if isinstance(e.notice, SpecialFund) for row in fund_lines(e)]
            ),
        ),
    }
    out = {base + name: content for name, content in files.values()}
    out[base + "datapackage.json"] = datapackage(data, {k: v[0] for k, v in files.items()})
    for e in data.public:
        if isinstance(e.notice, (Statement, SpecialFund, Budget)):
            out[e.url + "record.json"] = remember(memo, ("record.json", e.url, e.raw.blob), lambda e=e: record_json(e))
        if isinstance(e.notice, Statement):
            out[e.url + "lines.csv"] = remember(
                memo, ("lines.csv", e.url, e.raw.blob), lambda e=e: to_csv(LINE_COLUMNS, statement_lines(e))
            )
    return out
