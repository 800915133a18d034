"""`gongkai import` and `gongkai export`: real-looking workbooks and CSVs in, checked records out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from conftest import community_files, make_project
from generator.cli import main

AS_OF = "2024-11-28"

STATEMENT = """\
编号: 2024-cw-010
类型: 收支公开
标题: 关于2024年10月收支情况的公示（行政账）
发布单位: juweihui
发布日期: 2024-11-08
状态: 已发布
账户: 行政账
周期: 月度
期间开始: 2024-10-01
期间结束: 2024-10-31
期初余额: 8326.45
收入:  # 收入明细
  - 日期: 2024-10-08
    来源: 天桥街道拨付第四季度社区工作经费
    金额: 5000.00
    凭证号: 记-2024-051
  - 日期: 2024-10-21
    来源: 银行存款利息
    金额: 6.38
    凭证号: 记-2024-056
支出:
  - 日期: 2024-10-09
    类别: 办公费
    收款方: 文华办公用品商行
    金额: 356.00
    凭证号: 记-2024-052
    审批人: 居委会主任
    摘要: A4打印纸、墨盒
  - 日期: 2024-10-29
    类别: 水电费
    收款方: 国网漯河供电公司
    金额: 642.87
    凭证号: 记-2024-058
    审批人: 居委会主任
期末余额: 12333.96
正文: |
  现将本月收支情况公示如下。
"""

BENEFITS = """\
编号: 2024-jw-020
类型: 救助名单
标题: 关于2024年10月临时救助对象的公示
发布单位: juweihui
发布日期: 2024-11-04
状态: 已发布
公示期: {开始: 2024-11-04, 结束: 2024-11-10}
项目: 临时救助
金额单位: 元（一次性）
名单:
  - 姓名: 吴春梅
    家庭人口: 3
    金额: 2000.00
    理由: 本人突发重病住院
    网格: 第二网格（湘江苑）
标签: [临时救助]
"""


def project(tmp_path: Path, records: dict[str, str]) -> Path:
    files = community_files()
    files.update({f"site_data/ceshi/{name}": text for name, text in records.items()})
    return make_project(tmp_path / "proj", files)


def run(root: Path, *args: str) -> int:
    return main([*args, "--root", str(root), "--as-of", AS_OF] if args[0] != "export" else [*args, "--root", str(root)])


def journal_workbook(path: Path, closing_total: str = "5000.00") -> Path:
    """A cash journal as an accountant keeps it: a merged title, a two-row header with 金额 merged
    over 收入 and 支出, dates typed three ways, a blank row, a 合计 row and a signature line."""
    wb = Workbook()
    ws = wb.active
    ws.title = "10月"
    ws.append(["测试社区居委会2024年10月现金日记账"])
    ws.merge_cells("A1:I1")
    ws.append(["日期", "凭证号", "摘要", "科目", "收款单位", "审批人", "金额（元）", None, "余额"])
    ws.append([None, None, None, None, None, None, "收入", "支出", None])
    for col in "ABCDEFI":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("G2:H2")
    ws.append([None, None, "上月结转", None, None, None, None, None, 8326.45])
    ws.append([dt.datetime(2024, 10, 8), "记-2024-051", "天桥街道拨付第四季度社区工作经费", None, None, None, 5000])
    ws.append(["2024/10/9", "记-2024-052", "A4打印纸", "办公费", "文华办公用品商行", "居委会主任", None, 356])
    ws.append([])
    ws.append([45594, "记-2024-058", "9-10月电费", "水电费", "国网漯河供电公司", "居委会主任", 0, "642.87"])
    ws.append(["本月合计", None, None, None, None, None, float(closing_total), 998.87])
    ws.append(["制表人：李会计", None, "审核人：王主任"])
    wb.save(path)
    return path


def test_statement_from_a_journal_updates_the_record_and_passes_check(tmp_path, capsys):
    root = project(tmp_path, {"caiwu/2024-cw-010.yaml": STATEMENT.replace("期末余额: 12333.96", "期末余额: 12327.58")})
    book = journal_workbook(tmp_path / "十月账.xlsx")
    record = root / "site_data/ceshi/caiwu/2024-cw-010.yaml"
    assert run(root, "import", "收支公开", str(book), "--into", str(record)) == 0
    text = record.read_text(encoding="utf-8")
    assert "收入:  # 收入明细\n  - 日期: 2024-10-08\n    来源: 天桥街道拨付第四季度社区工作经费\n" in text
    assert "  - 日期: 2024-10-29\n    类别: 水电费\n    收款方: 国网漯河供电公司\n    金额: 642.87\n" in text
    assert "上月结转" not in text and "合计" not in text and "李会计" not in text
    assert text.count("  - 日期:") == 3
    assert text.endswith("期末余额: 12327.58\n正文: |\n  现将本月收支情况公示如下。\n")
    out = capsys.readouterr().out
    assert "收入 1 行，支出 2 行" in out and "未导入的列：I3 余额" in out
    assert run(root, "check") == 0


def test_new_draft_in_the_community_when_no_record_is_given(tmp_path):
    root = project(tmp_path, {})
    assert run(root, "import", "收支公开", str(journal_workbook(tmp_path / "账.xlsx"))) == 0
    draft = root / "site_data/ceshi/caiwu/2024-cw-001.yaml"
    text = draft.read_text(encoding="utf-8")
    assert "状态: 草稿" in text and "发布单位: juweihui" in text
    assert "    摘要: A4打印纸\n" in text and "期末余额:  #" in text


def broken_workbook(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["日期", "凭证号", "摘要", None, "类别", "收款方", "审批人", "收入", "支出"])
    ws.merge_cells("C1:D1")
    ws.append(["2024-10-08", "记-1", "拨款", "附言", None, None, None, "1,200.5元", None])
    ws.append(["2024-10-32", "记-2", "纸", None, "办公费", "商行", "主任", None, 1200.4999999])
    ws.append(["10月9日", "记-3", "电费", None, "水电费", "供电公司", "主任", None, 100])
    ws.append(["合计", None, None, None, None, None, None, 1200.5, 1400])
    wb.save(path)
    return path


def test_every_problem_at_once_with_its_cell(tmp_path, capsys):
    root = project(tmp_path, {"caiwu/2024-cw-010.yaml": STATEMENT})
    record = root / "site_data/ceshi/caiwu/2024-cw-010.yaml"
    assert run(root, "import", "收支公开", str(broken_workbook(tmp_path / "账.xlsx")), "--into", str(record)) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:6] == [
        "账.xlsx!Sheet!C1: 摘要: 表头“摘要”是合并单元格（C1:D1），分不出每一列是什么 → "
        "取消合并，每一列写一个表头（例如 收入、支出）",
        "账.xlsx!Sheet!H2: 金额: 金额格式不对：“1,200.5元” → 写成 1200.50（单位：元，不写逗号、符号和“万”）",
        "账.xlsx!Sheet!A3: 日期: 日期“2024-10-32”不存在 → 检查月份和日期，例如 2024-02-29",
        "账.xlsx!Sheet!I3: 支出: 单元格里的数是 1200.4999999，不是整分（常见于公式计算的结果） → "
        "核对后直接输入 1200.50，或把公式改为 =ROUND(…,2)",
        "账.xlsx!Sheet!A4: 日期: 日期格式不对：“10月9日” → 写成 年-月-日，例如 2024-03-01",
        "账.xlsx!Sheet!I5: 支出: 支出合计 1400.00 与上面各行之和 1300.50 不符 → 核对各行金额，或把合计改为 1300.50",
    ]
    assert record.read_text(encoding="utf-8") == STATEMENT  # nothing written


def test_a_wrong_total_is_named_in_english_too(tmp_path, capsys):
    root = project(tmp_path, {"caiwu/2024-cw-010.yaml": STATEMENT.replace("期末余额: 12333.96", "期末余额: 12327.58")})
    record = root / "site_data/ceshi/caiwu/2024-cw-010.yaml"
    book = journal_workbook(tmp_path / "账.xlsx", closing_total="5100.00")
    assert run(root, "import", "收支公开", str(book), "--into", str(record), "--lang", "en") == 1
    assert capsys.readouterr().err.splitlines() == [
        "账.xlsx!10月!G9: 收入: the 合计 of 收入, 5100.00, differs from the sum of the lines, 5000.00"
        " → check the lines, or correct the 合计 to 5000.00",
        "",
        "1 error(s), 0 warning(s): nothing was published.",
    ]


def test_lines_that_break_the_balance_are_refused_and_the_record_kept(tmp_path, capsys):
    root = project(tmp_path, {"caiwu/2024-cw-010.yaml": STATEMENT})
    record = root / "site_data/ceshi/caiwu/2024-cw-010.yaml"
    assert run(root, "import", "收支公开", str(journal_workbook(tmp_path / "账.xlsx")), "--into", str(record)) == 1
    err = capsys.readouterr().err
    assert "site_data/ceshi/caiwu/2024-cw-010.yaml:" in err and "账不平" in err and "12327.58" in err
    assert record.read_text(encoding="utf-8") == STATEMENT


def test_the_site_checks_run_on_an_updated_record(tmp_path, capsys):
    """A line dated after the build date is found by the checks across the site; the cell is named."""
    before = STATEMENT.replace("期末余额: 12333.96", "期末余额: 12327.58").replace(
        "发布日期: 2024-11-08", "发布日期: 2024-10-20"
    )
    root = project(tmp_path, {"caiwu/2024-cw-010.yaml": before})
    record = root / "site_data/ceshi/caiwu/2024-cw-010.yaml"
    book = journal_workbook(tmp_path / "账.xlsx")
    args = ["import", "收支公开", str(book), "--into", str(record), "--root", str(root), "--as-of", "2024-10-20"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "账.xlsx!10月!A8: 日期: 日期 2024-10-29 晚于今天（2024-10-20）" in err
    assert err.count("晚于今天") == 1  # the record's own lines were fine, and it is put back as it was
    assert record.read_text(encoding="utf-8") == before


def test_a_mobile_number_in_a_cell_is_refused_at_that_cell(tmp_path, capsys):
    root = project(tmp_path, {"caiwu/2024-cw-010.yaml": STATEMENT})
    record = root / "site_data/ceshi/caiwu/2024-cw-010.yaml"
    book = journal_workbook(tmp_path / "账.xlsx")
    wb = load_workbook(book)
    wb.active["C6"] = "A4打印纸 联系人13912345678"
    wb.save(book)
    assert run(root, "import", "收支公开", str(book), "--into", str(record)) == 1
    err = capsys.readouterr().err
    assert "账.xlsx!10月!C6: 摘要:" in err and "手机号" in err
    assert "13912345678" not in record.read_text(encoding="utf-8")


def test_unknown_headers_are_listed_and_map_fixes_them(tmp_path, capsys):
    root = project(tmp_path, {"juwu/2024-jw-020.yaml": BENEFITS})
    record = root / "site_data/ceshi/juwu/2024-jw-020.yaml"
    sheet = tmp_path / "名单.csv"
    sheet.write_text("户名,几口人,钱,事由\n李大爷,1,800,年老体弱\n", encoding="utf-8")
    assert run(root, "import", "救助名单", str(sheet), "--into", str(record)) == 1
    err = capsys.readouterr().err
    assert "名单.csv!A1: 找不到表头：前 15 行里没有认得的列名。找到的是：A1 户名、B1 几口人、C1 钱、D1 事由" in err
    maps = ["--map", "户名=姓名,几口人=家庭人口", "--map", "钱=金额"]
    assert run(root, "import", "救助名单", str(sheet), "--into", str(record), *maps) == 0  # 理由 is optional…
    assert "未导入的列：D1 事由" in capsys.readouterr().out  # …so the column not mapped is named
    assert "理由" not in record.read_text("utf-8").split("名单:")[1]
    assert run(root, "import", "救助名单", str(sheet), "--into", str(record), *maps, "--map", "事由=理由") == 0
    assert "  - 姓名: 李大爷\n    家庭人口: 1\n    金额: 800.00\n    理由: 年老体弱\n标签" in record.read_text("utf-8")


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_a_list_from_csv_in_each_encoding_passes_check(tmp_path, encoding):
    root = project(tmp_path, {"juwu/2024-jw-020.yaml": BENEFITS})
    record = root / "site_data/ceshi/juwu/2024-jw-020.yaml"
    sheet = tmp_path / "名单.csv"
    rows = ["序号,户主姓名,家庭人口,救助金额（元）,救助原因,所在小区", "1,张秀兰,2,1500,住房失火,金山小区", ",,,,,"]
    rows += ["2,赵国强,4,2500.00,因病致贫,湘江苑", "合计,,,4000,,"]
    sheet.write_bytes("\r\n".join(rows).encode(encoding))
    assert run(root, "import", "救助名单", str(sheet), "--into", str(record)) == 0
    text = record.read_text(encoding="utf-8")
    assert "  - 姓名: 张秀兰\n    家庭人口: 2\n    金额: 1500.00\n    理由: 住房失火\n    网格: 金山小区\n" in text
    assert "吴春梅" not in text and "合计" not in text
    assert run(root, "check") == 0


def test_an_id_column_is_refused_unless_dropped_on_purpose(tmp_path, capsys):
    root = project(tmp_path, {"juwu/2024-jw-020.yaml": BENEFITS})
    record = root / "site_data/ceshi/juwu/2024-jw-020.yaml"
    sheet = tmp_path / "低保.csv"
    sheet.write_text("姓名,身份证号,家庭人口,金额,理由\n张秀兰,410102195001011234,2,600,年老\n", encoding="gbk")
    assert run(root, "import", "救助名单", str(sheet), "--into", str(record)) == 1
    err = capsys.readouterr().err
    assert (
        "低保.csv!B1: 身份证号: “身份证号”列是个人信息，不能导入公开记录 → "
        "从表格中删去这一列再导入，或用 --map 身份证号= 明确跳过它" in err
    )
    assert run(root, "import", "救助名单", str(sheet), "--into", str(record), "--map", "身份证号=") == 0
    assert "410102" not in record.read_text(encoding="utf-8")


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize(
    ("kind", "name", "text"),
    [("收支公开", "caiwu/2024-cw-010.yaml", STATEMENT), ("救助名单", "juwu/2024-jw-020.yaml", BENEFITS)],
)
def test_export_then_import_gives_the_record_back_byte_for_byte(tmp_path, kind, name, text, suffix):
    root = project(tmp_path, {name: text})
    record = root / "site_data/ceshi" / name
    before = record.read_bytes()
    sheet = tmp_path / f"out{suffix}"
    assert run(root, "export", kind, str(record), str(sheet)) == 0
    first = sheet.read_bytes()
    assert run(root, "export", kind, str(record), str(sheet)) == 0
    assert sheet.read_bytes() == first  # identical input, identical file
    record.write_text(text.replace("2024-10-08", "2024-10-02").replace("吴春梅", "某某"), encoding="utf-8")
    assert run(root, "import", kind, str(sheet), "--into", str(record)) == 0
    assert record.read_bytes() == before


def test_the_exported_workbook_reads_as_a_journal(tmp_path):
    root = project(tmp_path, {"caiwu/2024-cw-010.yaml": STATEMENT})
    out = tmp_path / "账.xlsx"
    assert run(root, "export", "收支公开", str(root / "site_data/ceshi/caiwu/2024-cw-010.yaml"), str(out)) == 0
    ws = load_workbook(out).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["日期", "凭证号", "摘要", "类别", "收款方", "审批人", "收入", "支出"]
    assert [r[0].date() for r in rows[1:5]] == [dt.date(2024, 10, d) for d in (8, 9, 21, 29)]
    assert rows[2][6:] == [None, 356] and rows[3][6:] == [6.38, None]
    assert rows[5] == ["合计", None, None, None, None, None, "=SUM(G2:G5)", "=SUM(H2:H5)"]
