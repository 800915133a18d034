"""Spreadsheet import, cell by cell: amounts, dates, headers, totals, and values written back as YAML."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from conftest import community_files, make_project
from generator.authoring.cells import date_text, money_text
from generator.authoring.columns import normalise
from generator.authoring.yamltables import scalar
from generator.cli import main
from generator.reading.limits import HIDDEN as _HIDDEN
from generator.reading.loading import Source, parse

EPOCH = dt.datetime(1899, 12, 30)


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        (1200.5, "1200.50"),
        (5000, "5000.00"),
        (Decimal("6.38"), "6.38"),
        (-12.3, "-12.30"),
        ("642.87", "642.87"),
        ("1500", "1500.00"),
        ("1,200.5元", "1,200.5元"),  # passed on as typed: the record's Money rule refuses it with its hint
    ],
)
def test_amounts_are_read_exactly(cell, text):
    assert money_text(cell) == (text, None)


def test_a_float_residue_is_refused_not_rounded():
    text, refusal = money_text(1200.4999999)
    assert text is None
    assert refusal is not None and refusal[0] == "单元格里的数是 1200.4999999，不是整分（常见于公式计算的结果）"
    assert refusal[2] == "核对后直接输入 1200.50，或把公式改为 =ROUND(…,2)"


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        (dt.datetime(2024, 3, 1, 10, 30), "2024-03-01"),
        (dt.date(2024, 3, 1), "2024-03-01"),
        (45352, "2024-03-01"),  # Excel's serial number
        (20240301, "2024-03-01"),
        ("2024/3/1", "2024-03-01"),
        ("2024.3.1", "2024-03-01"),
        ("2024年3月1日", "2024-03-01"),
        ("20240301", "2024-03-01"),
        ("3月1日", "3月1日"),  # no year: passed on, and refused by the record's Day rule
    ],
)
def test_dates_in_the_forms_excel_and_wps_write(cell, text):
    assert date_text(cell, EPOCH) == (text, None)


def test_a_number_that_is_no_date_is_refused():
    assert date_text(-3, EPOCH)[1] is not None


@pytest.mark.parametrize(("header", "name"), [("金额（元）", "金额"), ("凭 证 号*", "凭证号"), ("日期：", "日期")])
def test_headers_are_compared_without_units_spaces_and_marks(header, name):
    assert normalise(header) == name


@given(st.text(max_size=40))
def test_any_cell_text_reads_back_from_the_yaml_unchanged(text):
    """Unchanged, or — for invisible control and direction characters, which no record may hold —
    refused at the cell's line with what it is."""
    raw, problem = parse(Source("x.yaml", f"a: {scalar(text)}\n", ""))
    if _HIDDEN.search(text):
        assert problem is not None and problem.line == 1 and "控制字符" in problem.message_zh
        return
    assert problem is None and raw is not None
    assert raw.data["a"] == text


@pytest.mark.parametrize("text", ["2024-10-08", "记-2024-051", "5000.00", "A4打印纸、墨盒", "no"])
def test_usual_values_are_written_plain(text):
    assert scalar(text) == text


def test_a_wrong_subtotal_is_named_and_a_right_one_is_not_a_line(tmp_path, capsys):
    root = make_project(tmp_path / "proj", community_files())
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(["姓名", "家庭人口", "金额", "理由", "网格"])
    ws.append(["甲", 1, 300, "年老", "一网格"])
    ws.append(["乙", 2, 500, "因病", "一网格"])
    ws.append(["一网格小计", None, 800])
    ws.append(["丙", 3, 700, "残疾", "二网格"])
    ws.append(["二网格小计", None, 600])
    wb.save(tmp_path / "名单.xlsx")
    args = ["import", "救助名单", str(tmp_path / "名单.xlsx"), "--root", str(root), "--as-of", "2024-11-28"]
    assert main(args) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "名单.xlsx!名单!C6: 金额: 金额小计 600.00 与上面各行之和 700.00 不符 → 核对各行金额，或把小计改为 700.00"
    )
    ws["C6"] = 700
    wb.save(tmp_path / "名单.xlsx")
    assert main(args) == 0
    text = (root / "site_data/ceshi/juwu/2024-jw-001.yaml").read_text(encoding="utf-8")
    assert text.count("  - 姓名:") == 3 and "小计" not in text


def test_a_list_in_one_cell_becomes_a_list(tmp_path):
    root = make_project(tmp_path / "proj", community_files())
    wb = Workbook()
    wb.active.append(["窗口", "办理事项", "办公时间", "咨询电话"])
    wb.active.append(["1号窗口", "低保申请、临时救助", "周一至周五 8:30-12:00", "0395-1234567"])
    wb.save(tmp_path / "窗口.xlsx")
    assert main(["import", "服务窗口", str(tmp_path / "窗口.xlsx"), "--root", str(root), "--as-of", "2024-11-28"]) == 0
    text = (root / "site_data/ceshi/juwu/2024-jw-001.yaml").read_text(encoding="utf-8")
    assert '    办理事项:\n      - 低保申请\n      - 临时救助\n    办公时间: "周一至周五 8:30-12:00"\n' in text


def test_an_old_xls_and_a_missing_sheet_are_explained(tmp_path, capsys):
    root = make_project(tmp_path / "proj", community_files())
    old = tmp_path / "账.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert main(["import", "收支公开", str(old), "--root", str(root)]) == 1
    assert "账.xls:1:1: 不能读取“.xls”文件 → 在 Excel 或 WPS 里“另存为”.xlsx 或 CSV 再导入" in capsys.readouterr().err
    wb = Workbook()
    wb.active.title = "十月"
    wb.save(tmp_path / "账.xlsx")
    assert main(["import", "收支公开", str(tmp_path / "账.xlsx"), "--sheet", "九月", "--root", str(root)]) == 1
    assert "没有名为“九月”的工作表，表格里有：十月" in capsys.readouterr().err
    assert not list(Path(root / "site_data/ceshi").rglob("20*.yaml"))


def test_a_cell_merged_down_several_lines_belongs_to_each(tmp_path):
    root = make_project(tmp_path / "proj", community_files())
    wb = Workbook()
    ws = wb.active
    ws.append(["日期", "凭证号", "摘要", "类别", "收款方", "审批人", "支出"])
    ws.append(["2024-10-09", "记-1", "打印纸", "办公费", "文华商行", "主任", 100])
    ws.append([None, "记-2", "墨盒", None, "文华商行", "主任", 200])
    ws.merge_cells("A2:A3")
    ws.merge_cells("D2:D3")
    wb.save(tmp_path / "账.xlsx")
    assert main(["import", "收支公开", str(tmp_path / "账.xlsx"), "--root", str(root), "--as-of", "2024-11-28"]) == 0
    text = (root / "site_data/ceshi/caiwu/2024-cw-001.yaml").read_text(encoding="utf-8")
    assert text.count("  - 日期: 2024-10-09\n    类别: 办公费\n") == 2
