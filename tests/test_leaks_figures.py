"""Totals in the 正文 cannot drift from the tables (issue 14): placeholders filled from the record
on the page, the A4 and the feed; unknown placeholders refused; stale amounts warned about."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from conftest import ROOT, community_files, make_project
from generator.build import build
from generator.errors import RecordsInvalid
from generator.today import parse_as_of

AS_OF = parse_as_of("2024-11-28")
EXAMPLE = (ROOT / "generator/records/examples/收支公开.yaml").read_text(encoding="utf-8")
RECORD = "site_data/ceshi/caiwu/a.yaml"


BODY = "  现将漓江路社区居委会2024年10月行政账收支情况公示如下：本月收入{收入合计}元，支出{支出合计}元。"


def project(tmp_path: Path, body: str) -> Path:
    assert BODY in EXAMPLE
    record = EXAMPLE.replace(BODY, "  " + body)
    return make_project(tmp_path / "p", {**community_files(), RECORD: record})


def test_placeholders_are_filled_from_the_tables(tmp_path: Path) -> None:
    root = project(tmp_path, "本月收入{收入合计}元，支出{支出合计}元，月末结余{期末余额}元。")
    site = build(root, AS_OF, root / "site")
    statement = site.by_id["example-cw-001"].notice
    income, spent, closing = statement.income_total, statement.expense_total, statement.closing
    expected = f"本月收入{income:,.2f}元，支出{spent:,.2f}元，月末结余{closing:,.2f}元。"
    [page] = (root / "site/ceshi").glob("*/example-cw-001/index.html")
    assert expected in page.read_text(encoding="utf-8")
    a4 = "".join(p.extract_text() for p in pypdf.PdfReader(page.parent / "notice-a4.pdf").pages).replace(" ", "")
    assert expected.replace(" ", "") in a4.replace("\n", "")
    feed = page.parent.parent / "feed.xml"
    assert expected in feed.read_text(encoding="utf-8") and "{收入合计}" not in feed.read_text(encoding="utf-8")


def test_an_unknown_placeholder_is_refused_at_its_line(tmp_path: Path) -> None:
    root = project(tmp_path, "本月收入{收入合记}元。")
    with pytest.raises(RecordsInvalid) as caught:
        build(root, AS_OF, root / "site")
    [problem] = caught.value.problems
    assert (problem.file, problem.field, problem.message_zh) == (
        RECORD,
        "正文",
        "正文里的“{收入合记}”不是可用的数字占位符",
    )
    assert problem.line == EXAMPLE.splitlines().index("正文: |") + 1


def test_a_written_amount_the_tables_no_longer_hold_is_a_warning(tmp_path: Path) -> None:
    root = project(tmp_path, "本月支出59664.14元，另有办公费356.00元。")
    site = build(root, AS_OF, root / "site")
    warnings = [w for w in site.warnings if w.field == "正文"]
    assert [w.message_zh for w in warnings] == [
        "正文里写的金额 59664.14 与本记录的明细、合计和余额都对不上（可能是更正后没改正文）"
    ]
    assert warnings[0].severity == "warning"
