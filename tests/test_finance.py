"""财务公开: exact to the fen, accounts kept apart, charts equal to tables, open data that reads back."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from conftest import ROOT, article
from generator.records.finance import SpecialFund, Statement
from generator.templating.charts import bar_chart, chart_values
from records_on_disk import is_public, notices, page_of

RECORDS = notices(ROOT / "site_data")
STATEMENTS = [r for r in RECORDS if r["类型"] == "收支公开"]
D = Decimal


def totals(record: dict) -> tuple[Decimal, Decimal]:
    return (
        sum((D(i["金额"]) for i in record.get("收入", [])), D(0)),
        sum((D(e["金额"]) for e in record.get("支出", [])), D(0)),
    )


@pytest.mark.parametrize("record", STATEMENTS, ids=lambda r: r["编号"])
def test_example_statements_reconcile_to_the_fen(record):
    income, spent = totals(record)
    assert D(record["期初余额"]) + income - spent == D(record["期末余额"])


def test_example_periods_continue_from_each_other():
    chains = defaultdict(list)
    for r in STATEMENTS:
        chains[(r["_community"], r["发布单位"], r["账户"])].append(r)
    assert any(len(chain) > 1 for chain in chains.values()), "the example needs two consecutive statements"
    for chain in chains.values():
        chain.sort(key=lambda r: r["期间开始"])
        for prev, cur in pairwise(chain):
            assert D(cur["期初余额"]) == D(prev["期末余额"])


def _statement(opening: Decimal, income: list[Decimal], spent: list[Decimal], closing: Decimal) -> dict:
    return {
        "编号": "p-1",
        "类型": "收支公开",
        "标题": "测试",
        "发布单位": "juweihui",
        "发布日期": "2024-10-10",
        "状态": "已发布",
        "账户": "行政账",
        "周期": "季度",
        "期间开始": "2024-07-01",
        "期间结束": "2024-09-30",
        "期初余额": f"{opening:.2f}",
        "期末余额": f"{closing:.2f}",
        "收入": [
            {"日期": "2024-07-02", "来源": "街道", "金额": f"{a:.2f}", "凭证号": f"r{i}"} for i, a in enumerate(income)
        ],
        "支出": [
            {
                "日期": "2024-08-02",
                "类别": "办公费",
                "收款方": "商店",
                "金额": f"{a:.2f}",
                "凭证号": f"e{i}",
                "审批人": "主任",
            }
            for i, a in enumerate(spent)
        ],
    }


fen = st.integers(min_value=0, max_value=10**9).map(lambda n: D(n) / 100)


@settings(max_examples=200, deadline=None)
@given(
    opening=fen,
    income=st.lists(fen, max_size=30),
    spent=st.lists(fen, max_size=30),
    off=st.integers(min_value=-500, max_value=500).filter(lambda n: n != 0),
)
def test_any_statement_reconciles_exactly_when_closing_is_the_sum(opening, income, spent, off):
    closing = opening + sum(income, D(0)) - sum(spent, D(0))
    statement = Statement.model_validate(_statement(opening, income, spent, closing))
    assert statement.closing == closing and statement.income_total - statement.expense_total == closing - opening
    with pytest.raises(ValidationError, match="does not reconcile"):
        Statement.model_validate(_statement(opening, income, spent, closing + D(off) / 100))


def test_a_fund_whose_sources_do_not_add_up_fails():
    fund = {
        "编号": "f-1",
        "类型": "专项资金",
        "标题": "测试",
        "发布单位": "juweihui",
        "发布日期": "2024-10-10",
        "状态": "已发布",
        "资金名称": "公共卫生",
        "年度": "2024",
        "人均标准": "27.50",
        "人口基数": "100",
        "来源": [
            {"来源": "市", "人均标准": "5.00", "金额": "500.00"},
            {"来源": "区", "人均标准": "15.00", "金额": "1500.00"},
            {"来源": "镇", "人均标准": "7.50", "金额": "750.00"},
        ],
        "合计": "2750.00",
    }
    assert SpecialFund.model_validate(fund).total == D("2750.00")
    fund["合计"] = "2750.01"
    with pytest.raises(ValidationError, match=re.escape("sources add up to 2750.00, not 2750.01")):
        SpecialFund.model_validate(fund)
    fund["合计"], fund["来源"][2]["金额"] = "2750.00", "700.00"
    with pytest.raises(ValidationError, match=re.escape("镇: rate × population = 750.00, amount is 700.00")):
        SpecialFund.model_validate(fund)


def _csv(path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


@pytest.mark.parametrize("record", [r for r in STATEMENTS if is_public(r)], ids=lambda r: r["编号"])
def test_statement_csv_and_json_read_back_to_the_same_decimals(example_site, record):
    folder = page_of(example_site, record).parent
    rows = _csv(folder / "lines.csv")
    assert [D(r["amount"]) for r in rows if r["direction"] == "收入"] == [D(i["金额"]) for i in record.get("收入", [])]
    assert [D(r["amount"]) for r in rows if r["direction"] == "支出"] == [D(e["金额"]) for e in record.get("支出", [])]
    data = json.loads((folder / "record.json").read_text(encoding="utf-8"), parse_float=D)
    assert D(data["期末余额"]) == D(record["期末余额"]) and D(data["期初余额"]) == D(record["期初余额"])
    income, spent = totals(record)
    assert (D(data["收入合计"]), D(data["支出合计"])) == (income, spent)


def test_fiscal_data_package_describes_files_that_read_back(example_site):
    folder = example_site / "lijianglu" / "opendata"
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "fiscal-data-package"
    for measure in package["model"]["measures"].values():
        assert measure["direction"] in ("revenue", "expenditure") and measure["phase"] in ("approved", "executed")
    by_name = {r["name"]: r for r in package["resources"]}
    for resource in package["resources"]:
        rows = _csv(folder / resource["path"])
        assert [f["name"] for f in resource["schema"]["fields"]] == list(rows[0])
    public = [r for r in STATEMENTS if is_public(r) and r["_community"] == "lijianglu"]
    spent = sum((D(r["amount"]) for r in _csv(folder / by_name["expenditure"]["path"])), D(0))
    assert spent == sum((totals(r)[1] for r in public), D(0))
    received = sum((D(r["amount"]) for r in _csv(folder / by_name["revenue"]["path"])), D(0))
    assert received == sum((totals(r)[0] for r in public), D(0))


@pytest.mark.parametrize("record", [r for r in STATEMENTS if is_public(r) and r.get("支出")], ids=lambda r: r["编号"])
def test_chart_shows_the_same_figures_as_its_table(example_site, record):
    page = article(page_of(example_site, record))
    for figure in page.select("figure.gk-chart"):  # spending by category and income by source
        table = page.select_one("#" + figure["aria-describedby"])
        table_amounts = [td.get_text(strip=True) for td in table.select("tbody td.gk-num")]
        assert chart_values(str(figure.select_one("svg"))) == table_amounts
        assert "<script" not in str(figure)
    assert len(page.select("figure.gk-chart")) == 2


def test_accounts_are_kept_apart(example_site):
    admin = article(example_site / "lijianglu" / "accounts" / "admin-juweihui" / "index.html")
    economic = article(example_site / "lijianglu" / "accounts" / "economic-hezuoshe" / "index.html")
    for page, account in ((admin, "行政账"), (economic, "经济账")):
        linked = {a["href"].strip("/").split("/")[-1] for a in page.select("#balance-table a")}
        expected = {
            r["编号"] for r in STATEMENTS if is_public(r) and r["账户"] == account and r["_community"] == "lijianglu"
        }
        assert linked == expected and expected
    closings = [td.get_text(strip=True) for td in admin.select("#balance-table td[data-label=期末余额]")]
    chart = chart_values(str(admin.select_one("figure.gk-chart svg")))
    assert [c.removesuffix(" 元") for c in chart] == closings


def test_budget_page_shows_execution_rates(example_site):
    budget = next(r for r in RECORDS if r["类型"] == "预算执行")
    text = article(page_of(example_site, budget)).get_text(" ", strip=True)
    for line in budget["科目"]:
        rate = (D(line["实际"]) * 100 / D(line["预算"])).quantize(D("0.1"))
        assert f"{rate}%" in text
    assert re.search(r"执行率 [\d.]+%", text)


def test_charts_drawn_once_are_read_back_and_never_for_other_figures(tmp_path):
    bars = [("办公经费", Decimal("1250.50")), ("公益金", Decimal("80.00"))]
    first = bar_chart("支出分类（元）", bars, cache=tmp_path)
    assert chart_values(first) == ["1,250.50", "80.00"]
    assert bar_chart("支出分类（元）", bars, cache=tmp_path) == first
    [kept] = tmp_path.glob("*.svg")
    kept.write_text(first.replace("1,250.50", "已缓存"), encoding="utf-8")
    assert "已缓存" in bar_chart("支出分类（元）", bars, cache=tmp_path)  # read back, not drawn again
    other = bar_chart(
        "支出分类（元）", [("办公经费", Decimal("1250.51")), ("公益金", Decimal("80.00"))], cache=tmp_path
    )
    assert chart_values(other) == ["1,250.51", "80.00"]
    assert len(list(tmp_path.glob("*.svg"))) == 2
